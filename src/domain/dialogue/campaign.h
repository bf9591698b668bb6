/* Campaigns: the codes the team prints on QR codes and links, so that ideas
 * handed in through them say where they came from. A code must be known:
 * an idea or an assisted submission with an unknown one is refused (field
 * "campaign", code "unknown"), nothing is stored under a mistyped code. */
#ifndef UNBOX_CAMPAIGN_H
#define UNBOX_CAMPAIGN_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define CAMPAIGN_NAME_MIN 3
#define CAMPAIGN_NAME_MAX 120
#define CAMPAIGNS_SHOWN 200     /* listed on the team's page, newest first */

/* 1 when code is a campaign's, 0 when not, -1 when the database failed. */
int campaign_exists(struct db *db, const char *code);
/* A new campaign (code: idea_campaign_valid; name CAMPAIGN_NAME_MIN..MAX
 * characters), with an audit row. DB_OK with *id; DB_CONSTRAINT with fe
 * (a taken code: "campaign" "taken"); DB_ERROR. */
int campaign_add(struct db *db, int64_t actor_id, const char *code, const char *name, int64_t now,
		 struct field_errors *fe, int64_t *id);
/* For demo content and imports, inside the caller's transaction: the
 * campaign as given (code valid), with an audit row. DB_OK or an error. */
int campaign_insert(struct db *db, int64_t actor_id, const char *code, const char *name, int64_t now);
/* [{id, code, name, created_at, created_date, link}] newest first, at most
 * CAMPAIGNS_SHOWN; NULL when the database failed. */
json_t *campaign_list(struct db *db, const char *lang);

#endif
