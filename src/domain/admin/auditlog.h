/* The moderation log: the audit rows of the decisions about content and
 * people (reports, hiding, deleting comments, blocking, roles) and of the
 * administration (settings, texts), the newest first, for the
 * administrators. The rows themselves are written by each module in the
 * transaction of its change (domain/audit.h); this only reads them. */
#ifndef UNBOX_AUDITLOG_H
#define UNBOX_AUDITLOG_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

#define AUDITLOG_PAGE_DEFAULT 50    /* rows per page ... */
#define AUDITLOG_PAGE_MAX 200       /* ... and at most, on request */

/* The actions the log shows, in the order of its filter; NULL-terminated. */
extern const char *const auditlog_actions[];
bool auditlog_action_known(const char *action);

/* The rows of action (NULL or "": of every action above), with ids below
 * before (0: from the newest), at most limit: {items [{id, at (ISO 8601),
 * date, time (UTC, "14:03"), action, subject, detail, actor {id, name} or
 * null}], next (an id) or null, limit}. NULL when the database failed. */
json_t *auditlog_list(struct db *db, const char *lang, const char *action, int64_t before, int limit);

#endif
