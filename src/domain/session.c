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
	db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2", "ii", u->id, now);
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
	int found = 0;
	if (st && db_bind(st, "si", hash, now) == DB_OK && db_step(st) == DB_ROW) {
		s->user.id = db_int(st, 0);
		s->user.email = arena_strdup(a, db_text(st, 1));
		s->user.name = arena_strdup(a, db_text(st, 2));
		s->user.role = arena_strdup(a, db_text(st, 3));
		s->user.lang = arena_strdup(a, db_text(st, 4));
		s->user.created_at = db_int(st, 5);
		s->user.confirmed_at = db_is_null(st, 6) ? 0 : db_int(st, 6);
		s->user.blocked = false;
		snprintf(s->csrf, sizeof s->csrf, "%s", db_text(st, 7));
		s->expires_at = db_int(st, 8);
		found = 1;
	}
	db_done(st);
	return found;
}

void session_end(struct db *db, const char *token)
{
	if (!token_well_formed(token))
		return;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	db_run(db, "DELETE FROM sessions WHERE token_hash = $1", "s", hash);
}

void session_end_all(struct db *db, int64_t user_id)
{
	db_run(db, "DELETE FROM sessions WHERE user_id = $1", "i", user_id);
}
