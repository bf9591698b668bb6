/* Login sessions, kept in the database so any server instance can answer.
 * The cookie holds a 256-bit random token; the table holds only its hash. */
#ifndef UNBOX_SESSION_H
#define UNBOX_SESSION_H
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "domain/token.h"
#include "domain/user.h"

#define SESSION_RESIDENT_SECONDS (30 * 24 * 3600)
#define SESSION_STAFF_SECONDS (12 * 3600)

struct session {
	struct user user;
	char csrf[TOKEN_LEN + 1];
	int64_t expires_at;
};

int64_t session_lifetime(const char *role);
/* Creates a session for u (and removes u's expired ones), inside the
 * caller's transaction when there is one; writes the cookie token.
 * Returns DB_OK or an error. */
int session_create(struct db *db, const struct user *u, int64_t now, char token[TOKEN_LEN + 1]);
/* 1 when token names a live session of an unblocked user (filled into s),
 * 0 when it names none (also for a malformed token), -1 when the database
 * failed. */
int session_lookup(struct db *db, struct arena *a, const char *token, int64_t now, struct session *s);
/* Ends the session of token; all sessions of a user. DB_OK (also when there
 * was none) or an error. */
int session_end(struct db *db, const char *token);
int session_end_all(struct db *db, int64_t user_id);

#endif
