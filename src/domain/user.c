#include "domain/user.h"
#include "core/clock.h"
#include "core/utf8.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const user_roles[] = { "resident", "team", "spurgruppe", "committee",
				   "supporter", "steward", "admin", NULL };

bool role_valid(const char *role)
{
	for (size_t i = 0; role && user_roles[i]; i++)
		if (strcmp(role, user_roles[i]) == 0)
			return true;
	return false;
}

bool role_is_staff(const char *role)
{
	return role && (strcmp(role, "team") == 0 || strcmp(role, "committee") == 0 ||
			strcmp(role, "steward") == 0 || strcmp(role, "admin") == 0);
}

bool role_is_team(const char *role)
{
	return role && (strcmp(role, "team") == 0 || strcmp(role, "admin") == 0);
}

bool email_normalize(const char *in, char out[EMAIL_MAX + 1])
{
	char tmp[EMAIL_MAX + 2];      /* one byte more, to notice an address that is too long */
	if (text_trim(in ? in : "", tmp, sizeof tmp) > EMAIL_MAX) {
		out[0] = '\0';
		return false;
	}
	for (char *p = tmp; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	memcpy(out, tmp, strlen(tmp) + 1);
	return true;
}

/* Deliberately simple: one @, a non-empty local part, a dotted domain, no
 * spaces or control characters. The confirmation e-mail is the real check. */
bool email_valid(const char *e)
{
	size_t n = e ? strlen(e) : 0;
	if (n < 3 || n > EMAIL_MAX || !utf8_valid(e, n))
		return false;
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F || *p == '<' || *p == '>' || *p == ',' ||
		    *p == ';' || *p == '"')
			return false;
	return true;
}

int user_validate(struct field_errors *fe, const char *email, const char *name)
{
	size_t before = fe->count;
	if (!email || !*email)
		field_error(fe, "email", "required");
	else if (!email_valid(email))
		field_error(fe, "email", "invalid");
	check_text(fe, "name", name, NAME_MIN, NAME_MAX, 0);
	return (int)(fe->count - before);
}

int user_create(struct db *db, const char *email, const char *name, const char *pw_hash,
		const char *role, int64_t confirmed_at, int64_t *id)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO users (email, name, pw_hash, role, confirmed_at, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
	if (!st)
		return DB_ERROR;
	int rc = db_bind(st, "ssss", email, name, pw_hash, role);
	if (rc == DB_OK)
		rc = confirmed_at ? db_bind_int(st, 5, confirmed_at) : db_bind_null(st, 5);
	if (rc == DB_OK)
		rc = db_bind_int(st, 6, clock_now());
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_int(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

#define USER_COLS "id, email, name, role, lang, created_at, confirmed_at, blocked_at, pw_hash, " \
		  "COALESCE(blocked_reason, ''), deleted_at"
enum { USER_ID, USER_EMAIL, USER_NAME, USER_ROLE, USER_LANG, USER_CREATED_AT, USER_CONFIRMED_AT,
       USER_BLOCKED_AT, USER_PW_HASH, USER_BLOCKED_REASON, USER_DELETED_AT };

static void read_user(struct db_stmt *st, struct arena *a, struct user *u, char **pw_hash)
{
	u->id = db_int(st, USER_ID);
	u->email = arena_strdup(a, db_text(st, USER_EMAIL));
	u->name = arena_strdup(a, db_text(st, USER_NAME));
	u->role = arena_strdup(a, db_text(st, USER_ROLE));
	u->lang = arena_strdup(a, db_text(st, USER_LANG));
	u->created_at = db_int(st, USER_CREATED_AT);
	u->confirmed_at = db_is_null(st, USER_CONFIRMED_AT) ? 0 : db_int(st, USER_CONFIRMED_AT);
	u->blocked = !db_is_null(st, USER_BLOCKED_AT);
	u->blocked_reason = arena_strdup(a, db_text(st, USER_BLOCKED_REASON));
	u->deleted = !db_is_null(st, USER_DELETED_AT);
	if (pw_hash)
		*pw_hash = arena_strdup(a, db_text(st, USER_PW_HASH));
}

/* One account by the statement's one parameter: 1, 0 or -1 as user_by_id. */
static int find_user(struct db_stmt *st, int rc, struct arena *a, struct user *u, char **pw_hash)
{
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		read_user(st, a, u, pw_hash);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int user_by_email(struct db *db, struct arena *a, const char *email, struct user *u, char **pw_hash)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE email = $1");
	return st ? find_user(st, db_bind(st, "s", email), a, u, pw_hash) : -1;
}

int user_by_id(struct db *db, struct arena *a, int64_t id, struct user *u)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE id = $1");
	return st ? find_user(st, db_bind(st, "i", id), a, u, NULL) : -1;
}

int user_set_confirmed(struct db *db, int64_t id, int64_t when)
{
	return db_run(db, "UPDATE users SET confirmed_at = $2 WHERE id = $1 AND confirmed_at IS NULL",
		      "ii", id, when);
}

int user_password_hash(struct db *db, struct arena *a, int64_t id, char **pw_hash)
{
	struct db_stmt *st = db_prepare(db, "SELECT pw_hash FROM users WHERE id = $1 AND deleted_at IS NULL");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		*pw_hash = arena_strdup(a, db_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int user_set_name(struct db *db, int64_t id, const char *name)
{
	return db_run(db, "UPDATE users SET name = $2 WHERE id = $1 AND deleted_at IS NULL", "is", id, name);
}

int user_set_email(struct db *db, int64_t id, const char *email, int64_t now)
{
	/* the link to the new address was opened: it is confirmed too */
	return db_run(db, "UPDATE users SET email = $2, confirmed_at = COALESCE(confirmed_at, $3) "
			  "WHERE id = $1 AND deleted_at IS NULL", "isi", id, email, now);
}

int user_set_password(struct db *db, int64_t id, const char *pw_hash)
{
	return db_run(db, "UPDATE users SET pw_hash = $2 WHERE id = $1 AND deleted_at IS NULL", "is", id, pw_hash);
}

int user_erase(struct db *db, int64_t id, int64_t now)
{
	char placeholder[40];
	snprintf(placeholder, sizeof placeholder, "deleted-%lld", (long long)id);
	return db_run(db, "UPDATE users SET email = $2, name = '', pw_hash = '', role = 'resident', "
			  "  confirmed_at = NULL, blocked_reason = NULL, deleted_at = $3 WHERE id = $1",
		      "isi", id, placeholder, now);
}
