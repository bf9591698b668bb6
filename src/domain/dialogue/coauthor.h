/* Co-authors of an idea: people the author invites by e-mail. The e-mail
 * carries a link with a token (only its hash is stored) that leads to
 * GET /coauthor?token=..., where the invited person accepts (with the name
 * to be shown on the idea page) or declines. */
#ifndef UNBOX_COAUTHOR_H
#define UNBOX_COAUTHOR_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

enum coauthor_rc { COAUTHOR_OK = 0, COAUTHOR_INVALID, COAUTHOR_NOT_FOUND, COAUTHOR_ANSWERED, COAUTHOR_ERROR };

/* Records the invitation and queues its e-mail (inside the caller's transaction). */
int coauthor_invite(struct db *db, int64_t idea_id, const char *email, const char *inviter,
		    const char *title, const char *base_url, const char *lang, int64_t now);
/* The invitation behind a token: 1 found (*out {idea: {id, title, url},
 * status, email}, one reference), 0 there is none (also for a malformed
 * token), -1 the database failed (*out NULL). */
int coauthor_lookup(struct db *db, const char *token, json_t **out);
/* Accepts (name required, 2 to 80 characters) or declines; user_id 0 when
 * not logged in. COAUTHOR_ERROR when the database failed. */
int coauthor_answer(struct db *db, const char *token, bool accept, const char *name, int64_t user_id,
		    int64_t now, struct field_errors *fe);
/* 1 when the person with account user_id and e-mail address email is an
 * accepted co-author of the idea: they accepted while logged in, or the
 * invitation they accepted went to the address of their account; 0 when
 * not, -1 when the database failed. */
int coauthor_is_accepted(struct db *db, int64_t idea_id, int64_t user_id, const char *email);
/* [{name}] of those who accepted, in the order they answered; NULL when the
 * database failed. */
json_t *coauthor_accepted(struct db *db, int64_t idea_id);

#endif
