#include "domain/session.h"
#include <stdio.h>
#include <string.h>

int64_t session_lifetime(const char *role)
{
	return role_is_staff(role) ? SESSION_STAFF_SECONDS : SESSION_RESIDENT_SECONDS;
}

int session_create(struct db *db, const struct user *u, int64_t now, char token[TOKEN_LEN + 1])
{
	char hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1];
	token_new(token);
	token_new(csrf);
	token_hash(token, hash);
	/* expired sessions of this user go when a new one starts */
	int rc = db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2", "ii", u->id, now);
	if (rc != DB_OK)
		return rc;
	return db_run(db, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
			  "VALUES ($1, $2, $3, $4, $5)",
		      "sisii", hash, u->id, csrf, now, now + session_lifetime(u->role));
}

int session_lookup(struct db *db, struct arena *a, const char *token, int64_t now, struct session *s)
{
	if (!token_well_formed(token))
		return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(db,
		"SELECT u.id, u.email, u.name, u.role, u.lang, u.created_at, u.confirmed_at, "
		"       s.csrf, s.expires_at "
		"FROM sessions s JOIN users u ON u.id = s.user_id "
		"WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.blocked_at IS NULL");
	enum { S_USER_ID, S_EMAIL, S_NAME, S_ROLE, S_LANG, S_CREATED_AT, S_CONFIRMED_AT, S_CSRF, S_EXPIRES_AT };
	if (!st)
		return -1;
	int rc = db_bind(st, "si", hash, now);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		s->user.id = db_int(st, S_USER_ID);
		s->user.email = arena_strdup(a, db_text(st, S_EMAIL));
		s->user.name = arena_strdup(a, db_text(st, S_NAME));
		s->user.role = arena_strdup(a, db_text(st, S_ROLE));
		s->user.lang = arena_strdup(a, db_text(st, S_LANG));
		s->user.created_at = db_int(st, S_CREATED_AT);
		s->user.confirmed_at = db_is_null(st, S_CONFIRMED_AT) ? 0 : db_int(st, S_CONFIRMED_AT);
		s->user.blocked = false;
		snprintf(s->csrf, sizeof s->csrf, "%s", db_text(st, S_CSRF));
		s->expires_at = db_int(st, S_EXPIRES_AT);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int session_end(struct db *db, const char *token)
{
	if (!token_well_formed(token))
		return DB_OK;    /* no such session: nothing to end */
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	return db_run(db, "DELETE FROM sessions WHERE token_hash = $1", "s", hash);
}

int session_end_all(struct db *db, int64_t user_id)
{
	return db_run(db, "DELETE FROM sessions WHERE user_id = $1", "i", user_id);
}
