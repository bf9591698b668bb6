/* The audit trail: who did what to which object, written in the same
 * transaction as the change itself. */
#ifndef UNBOX_AUDIT_H
#define UNBOX_AUDIT_H
#include <stdint.h>
#include "db/db.h"

/* actor 0 = the system or an anonymous visitor; subject like "idea:42". */
int audit_add(struct db *db, int64_t actor, const char *action, const char *subject, const char *detail);

#endif
