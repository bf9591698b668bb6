/* Login sessions, kept in the database so any server instance can answer.
 * The cookie holds a 256-bit random token; the table holds only its hash.
 * Each session also has a plain id, so a person can see their sessions and
 * end one of them without a page ever showing a token or its hash. */
#ifndef UNBOX_SESSION_H
#define UNBOX_SESSION_H
#include <jansson.h>
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "domain/token.h"
#include "domain/user.h"

#define SESSION_RESIDENT_SECONDS (30 * 24 * 3600)
#define SESSION_STAFF_SECONDS (12 * 3600)
#define SESSION_TOUCH_SECONDS 300      /* "last used" is written at most this often per session */
#define SESSION_PER_USER_MAX 100       /* live sessions per person: the oldest ends when one more starts */
#define SESSION_AGENT_MAX 200          /* bytes of the User-Agent kept */

struct session {
	int64_t id;
	struct user user;
	char csrf[TOKEN_LEN + 1];
	int64_t expires_at, last_used_at;
};

int64_t session_lifetime(const char *role);
/* Creates a session for u (and removes u's expired ones, and the oldest
 * beyond SESSION_PER_USER_MAX), inside the caller's transaction when there
 * is one; writes the cookie token. user_agent may be NULL. Returns DB_OK or
 * an error. */
int session_create(struct db *db, const struct user *u, int64_t now, const char *user_agent,
		   char token[TOKEN_LEN + 1]);
/* 1 when token names a live session of an unblocked user (filled into s),
 * 0 when it names none (also for a malformed token), -1 when the database
 * failed. Reads only (it may run on a read replica). */
int session_lookup(struct db *db, struct arena *a, const char *token, int64_t now, struct session *s);
/* Records that s was used now, when it was last recorded more than
 * SESSION_TOUCH_SECONDS ago (one write per session every few minutes, not
 * one per request). DB_OK or an error. */
int session_touch(struct db *db, const struct session *s, int64_t now);
/* Ends the session of token; all sessions of a user. DB_OK (also when there
 * was none) or an error. */
int session_end(struct db *db, const char *token);
int session_end_all(struct db *db, int64_t user_id);
/* Ends session id of user_id: 1 ended, 0 the user has no such session, -1. */
int session_end_id(struct db *db, int64_t user_id, int64_t id);
/* Ends every session of user_id but the one of keep_token: DB_OK or an error. */
int session_end_others(struct db *db, int64_t user_id, const char *keep_token);
/* The user's live sessions, the most recently used first: [{id, current
 * (the one of current_token), browser, system (from the User-Agent; "" when
 * unknown), created_at, created_date, last_used_at, last_used_date,
 * expires_at, expires_date}]; NULL when the database failed. */
json_t *session_list(struct db *db, const char *lang, int64_t user_id, const char *current_token, int64_t now);
/* The browser and operating system a User-Agent names, as far as known
 * ("Firefox", "Linux"); "" for what it does not tell. Pure. */
void session_device(const char *user_agent, const char **browser, const char **system);

#endif
