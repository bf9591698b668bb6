#include "domain/session.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include <stdio.h>
#include <string.h>

int64_t session_lifetime(const char *role)
{
	return role_is_staff(role) ? SESSION_STAFF_SECONDS : SESSION_RESIDENT_SECONDS;
}

/* What is kept of a User-Agent: printable ASCII, at most SESSION_AGENT_MAX bytes. */
static void agent_clean(const char *in, char out[SESSION_AGENT_MAX + 1])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p && n < SESSION_AGENT_MAX; p++)
		if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F)
			out[n++] = *p;
	out[n] = '\0';
}

int session_create(struct db *db, const struct user *u, int64_t now, const char *user_agent,
		   char token[TOKEN_LEN + 1])
{
	char hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1], agent[SESSION_AGENT_MAX + 1];
	token_new(token);
	token_new(csrf);
	token_hash(token, hash);
	agent_clean(user_agent, agent);
	/* expired sessions of this user go when a new one starts, and so does
	 * the oldest beyond the cap, so the profile's list stays short */
	int rc = db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2", "ii", u->id, now);
	if (rc == DB_OK)
		rc = db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND id <= "
				"(SELECT id FROM sessions WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
			    "ii", u->id, (int64_t)SESSION_PER_USER_MAX - 1);
	if (rc != DB_OK)
		return rc;
	return db_run(db, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, last_used_at, "
			  "  user_agent) VALUES ($1, $2, $3, $4, $5, $4, $6)",
		      "sisiis", hash, u->id, csrf, now, now + session_lifetime(u->role), agent);
}

int session_lookup(struct db *db, struct arena *a, const char *token, int64_t now, struct session *s)
{
	if (!token_well_formed(token))
		return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(db,
		"SELECT u.id, u.email, u.name, u.role, u.lang, u.created_at, u.confirmed_at, "
		"       s.csrf, s.expires_at, s.id, s.last_used_at "
		"FROM sessions s JOIN users u ON u.id = s.user_id "
		"WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.blocked_at IS NULL AND u.deleted_at IS NULL");
	enum { S_USER_ID, S_EMAIL, S_NAME, S_ROLE, S_LANG, S_CREATED_AT, S_CONFIRMED_AT, S_CSRF, S_EXPIRES_AT,
	       S_ID, S_LAST_USED_AT };
	if (!st)
		return -1;
	int rc = db_bind(st, "si", hash, now);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_int(st, S_ID);
		s->user.id = db_int(st, S_USER_ID);
		s->user.email = arena_strdup(a, db_text(st, S_EMAIL));
		s->user.name = arena_strdup(a, db_text(st, S_NAME));
		s->user.role = arena_strdup(a, db_text(st, S_ROLE));
		s->user.lang = arena_strdup(a, db_text(st, S_LANG));
		s->user.created_at = db_int(st, S_CREATED_AT);
		s->user.confirmed_at = db_is_null(st, S_CONFIRMED_AT) ? 0 : db_int(st, S_CONFIRMED_AT);
		s->user.blocked = false;
		s->user.blocked_reason = "";
		s->user.deleted = false;
		snprintf(s->csrf, sizeof s->csrf, "%s", db_text(st, S_CSRF));
		s->expires_at = db_int(st, S_EXPIRES_AT);
		s->last_used_at = db_int(st, S_LAST_USED_AT);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int session_touch(struct db *db, const struct session *s, int64_t now)
{
	if (now - s->last_used_at < SESSION_TOUCH_SECONDS)
		return DB_OK;
	/* the condition again in SQL: of parallel requests, one writes */
	return db_run(db, "UPDATE sessions SET last_used_at = $2 WHERE id = $1 AND last_used_at <= $3", "iii", s->id, now,
		      now - SESSION_TOUCH_SECONDS);
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

int session_end_id(struct db *db, int64_t user_id, int64_t id)
{
	int64_t one;
	return db_find_int(db, &one, "DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING 1", "ii", id,
			   user_id);
}

int session_end_others(struct db *db, int64_t user_id, const char *keep_token)
{
	char hash[TOKEN_HASH_LEN + 1] = "";
	if (token_well_formed(keep_token))
		token_hash(keep_token, hash);
	return db_run(db, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", "is", user_id, hash);
}

json_t *session_list(struct db *db, const char *lang, int64_t user_id, const char *current_token, int64_t now)
{
	char hash[TOKEN_HASH_LEN + 1] = "";
	if (token_well_formed(current_token))
		token_hash(current_token, hash);
	struct db_stmt *st = db_prepare(db,
		"SELECT id, token_hash = $2, user_agent, created_at, last_used_at, expires_at FROM sessions "
		"WHERE user_id = $1 AND expires_at > $3 ORDER BY last_used_at DESC, id DESC LIMIT $4");
	enum { L_ID, L_CURRENT, L_AGENT, L_CREATED, L_USED, L_EXPIRES };
	json_t *list = json_array();
	int rc = st ? db_bind(st, "isii", user_id, hash, now, (int64_t)SESSION_PER_USER_MAX) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_t *o = json_object();
		const char *browser, *system;
		session_device(db_text(st, L_AGENT), &browser, &system);
		jset_int(o, "id", db_int(st, L_ID));
		jset(o, "current", json_boolean(db_int(st, L_CURRENT) != 0));
		jset_str(o, "browser", browser);
		jset_str(o, "system", system);
		static const struct { const char *iso, *date; int col; } times[] = {
			{ "created_at", "created_date", L_CREATED },
			{ "last_used_at", "last_used_date", L_USED },
			{ "expires_at", "expires_date", L_EXPIRES },
		};
		for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
			char iso[32], date[32];
			clock_format_iso(db_int(st, times[i].col), iso, sizeof iso);
			clock_format_date(db_int(st, times[i].col), lang, date, sizeof date);
			jset_str(o, times[i].iso, iso);
			jset_str(o, times[i].date, date);
		}
		json_array_append_new(list, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(list);
		return NULL;
	}
	return list;
}

void session_device(const char *ua, const char **browser, const char **system)
{
	/* the first that matches: Edge and Opera name Chrome too, Chrome names Safari */
	static const struct { const char *mark, *name; } browsers[] = {
		{ "Edg/", "Microsoft Edge" }, { "OPR/", "Opera" }, { "SamsungBrowser/", "Samsung Internet" },
		{ "Firefox/", "Firefox" }, { "Chromium/", "Chromium" }, { "Chrome/", "Chrome" },
		{ "Safari/", "Safari" }, { "curl/", "curl" }, { "Wget/", "Wget" }, { "node", "Node.js" },
	}, systems[] = {
		{ "Android", "Android" }, { "iPhone", "iOS" }, { "iPad", "iPadOS" }, { "Windows", "Windows" },
		{ "Mac OS X", "macOS" }, { "CrOS", "ChromeOS" }, { "Linux", "Linux" },
	};
	*browser = *system = "";
	for (size_t i = 0; ua && i < sizeof browsers / sizeof browsers[0]; i++)
		if (strstr(ua, browsers[i].mark)) {
			*browser = browsers[i].name;
			break;
		}
	for (size_t i = 0; ua && i < sizeof systems / sizeof systems[0]; i++)
		if (strstr(ua, systems[i].mark)) {
			*system = systems[i].name;
			break;
		}
}
