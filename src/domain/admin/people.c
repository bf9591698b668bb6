#include "domain/admin/people.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/outbox.h"
#include "domain/session.h"
#include "domain/user.h"
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* The roles as the person reads them in the e-mail, in user_roles' order. */
static const char *const role_names_de[] = { "Bürger:in", "un:box-Team (Geschäftsstelle)", "Spurgruppe",
	"Lenkungsausschuss", "Unterstützer:in", "Datenverantwortliche:r", "Administrator:in" };
static const char *const role_names_en[] = { "resident", "un:box team (office)", "Spurgruppe",
	"steering committee", "supporter", "data steward", "administrator" };

static const char *role_name(const char *role, bool en)
{
	for (size_t i = 0; user_roles[i]; i++)
		if (strcmp(user_roles[i], role) == 0)
			return en ? role_names_en[i] : role_names_de[i];
	return role;
}

static void dates(json_t *o, const char *iso_key, const char *date_key, int64_t t, const char *lang)
{
	char iso[32], date[32];
	clock_format_iso(t, iso, sizeof iso);
	clock_format_date(t, lang, date, sizeof date);
	jset_str(o, iso_key, iso);
	jset_str(o, date_key, date);
}

/* "%müller%": the search as a LIKE pattern, its own % _ and \ escaped. */
static char *like_pattern(const char *q, char *out, size_t cap)
{
	size_t n = 0;
	out[n++] = '%';
	for (const char *p = q; *p && n + 3 < cap; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n++] = '%';
	out[n] = '\0';
	return out;
}

/* One filter for the page and for the count: $1 the pattern ("" for none), $2 the role ("" for every one). */
#define PEOPLE_WHERE "($1 = '' OR lower(name) LIKE lower($1) ESCAPE '\\' OR email LIKE lower($1) ESCAPE '\\') " \
		     "AND ($2 = '' OR role = $2)"

json_t *people_search(struct db *db, const char *lang, const struct people_filter *f)
{
	char pattern[PEOPLE_QUERY_MAX * 8 + 8];
	const char *pat = f->q && *f->q ? like_pattern(f->q, pattern, sizeof pattern) : "";
	const char *role = f->role ? f->role : "";
	int64_t count = 0;
	if (db_find_int(db, &count, "SELECT COUNT(*) FROM users WHERE " PEOPLE_WHERE, "ss", pat, role) < 0)
		return NULL;
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name, email, role, confirmed_at, blocked_at, created_at FROM users WHERE " PEOPLE_WHERE
		" AND id < $3 ORDER BY id DESC LIMIT $4");
	enum { P_ID, P_NAME, P_EMAIL, P_ROLE, P_CONFIRMED, P_BLOCKED, P_CREATED };
	if (!st)
		return NULL;
	int rc = db_bind(st, "ssii", pat, role, f->before > 0 ? f->before : INT64_MAX, (int64_t)f->limit + 1);
	json_t *items = json_array();
	int n = 0;
	int64_t last = 0;
	bool more = false;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		if (n == f->limit) {
			more = true;
			rc = DB_OK;
			break;
		}
		json_t *o = json_object();
		last = db_int(st, P_ID);
		jset_int(o, "id", last);
		jset(o, "name", json_string(db_text(st, P_NAME)));
		jset(o, "email", json_string(db_text(st, P_EMAIL)));
		jset(o, "role", json_string(db_text(st, P_ROLE)));
		jset(o, "confirmed", json_boolean(!db_is_null(st, P_CONFIRMED)));
		jset(o, "blocked", json_boolean(!db_is_null(st, P_BLOCKED)));
		dates(o, "created_at", "created_date", db_int(st, P_CREATED), lang);
		json_array_append_new(items, o);
		n++;
		rc = DB_OK;
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	json_t *page = jpage(items, more, last, f->limit);
	jset_int(page, "count", count);
	return page;
}

/* The audit rows about person id, the newest first; NULL when failed. */
static json_t *history(struct db *db, const char *lang, int64_t id)
{
	char subject[48];
	snprintf(subject, sizeof subject, "user:%" PRId64, id);
	struct db_stmt *st = db_prepare(db,
		"SELECT a.id, a.at, a.action, a.detail, u.id, u.name FROM audit a LEFT JOIN users u ON u.id = a.actor_id "
		"WHERE a.subject = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2");
	enum { H_ID, H_AT, H_ACTION, H_DETAIL, H_ACTOR_ID, H_ACTOR_NAME };
	if (!st)
		return NULL;
	int rc = db_bind(st, "si", subject, (int64_t)PEOPLE_HISTORY_MAX);
	json_t *items = json_array();
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		jset_int(o, "id", db_int(st, H_ID));
		dates(o, "at", "date", db_int(st, H_AT), lang);
		jset(o, "action", json_string(db_text(st, H_ACTION)));
		jset(o, "detail", json_string(db_text(st, H_DETAIL)));
		json_t *actor = json_null();
		if (!db_is_null(st, H_ACTOR_ID)) {
			actor = json_object();
			jset_int(actor, "id", db_int(st, H_ACTOR_ID));
			jset(actor, "name", json_string(db_text(st, H_ACTOR_NAME)));
		}
		jset(o, "actor", actor);
		json_array_append_new(items, o);
		rc = DB_OK;
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	return items;
}

int people_get(struct db *db, const char *lang, int64_t id, json_t **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, name, email, role, lang, confirmed_at, blocked_at, created_at "
					    "FROM users WHERE id = $1");
	enum { G_ID, G_NAME, G_EMAIL, G_ROLE, G_LANG, G_CONFIRMED, G_BLOCKED, G_CREATED };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	json_t *o = NULL;
	if (rc == DB_ROW) {
		o = json_object();
		jset_int(o, "id", db_int(st, G_ID));
		jset(o, "name", json_string(db_text(st, G_NAME)));
		jset(o, "email", json_string(db_text(st, G_EMAIL)));
		jset(o, "role", json_string(db_text(st, G_ROLE)));
		jset(o, "lang", json_string(db_text(st, G_LANG)));
		jset(o, "confirmed", json_boolean(!db_is_null(st, G_CONFIRMED)));
		if (!db_is_null(st, G_CONFIRMED))
			dates(o, "confirmed_at", "confirmed_date", db_int(st, G_CONFIRMED), lang);
		jset(o, "blocked", json_boolean(!db_is_null(st, G_BLOCKED)));
		if (!db_is_null(st, G_BLOCKED))
			dates(o, "blocked_at", "blocked_date", db_int(st, G_BLOCKED), lang);
		dates(o, "created_at", "created_date", db_int(st, G_CREATED), lang);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_OK ? 0 : -1;
	json_t *h = history(db, lang, id);
	if (!h) {
		json_decref(o);
		return -1;
	}
	jset(o, "history", h);
	*out = o;
	return 1;
}

/* The administrators who can log in, counted; on PostgreSQL their rows
 * are locked, so two administrators taking the role from each other at
 * once cannot both succeed (the second counts again after the first). */
static int active_admins(struct db *db, int64_t *n)
{
	bool pg = strcmp(db_backend(db), "postgres") == 0;
	struct db_stmt *st = db_prepare(db, pg ? "SELECT id FROM users WHERE role = 'admin' AND blocked_at IS NULL FOR UPDATE"
					       : "SELECT id FROM users WHERE role = 'admin' AND blocked_at IS NULL");
	int rc = st ? DB_OK : DB_ERROR;
	*n = 0;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		(*n)++;
		rc = DB_OK;
	}
	db_done(st);
	return rc;
}

static int tell(struct db *db, const char *email, const char *name, const char *lang, const char *from,
		const char *to, const char *reason, const char *base_url)
{
	bool en = strcmp(lang, "en") == 0;
	char body[4096];
	if (en)
		snprintf(body, sizeof body,
			 "Hello %s,\n\nan administrator of un:box has changed your role from \"%s\" to \"%s\".\n"
			 "The reason given: %s\n\nPlease log in again at %s/login: the new role applies from your "
			 "next login.\nIf you have questions, answer the un:box team through %s/kontakt.\n",
			 name, role_name(from, true), role_name(to, true), reason, base_url, base_url);
	else
		snprintf(body, sizeof body,
			 "Hallo %s,\n\neine Administratorin oder ein Administrator von un:box hat Ihre Rolle von "
			 "„%s“ zu „%s“ geändert.\nDer angegebene Grund: %s\n\nBitte melden Sie sich unter %s/login neu "
			 "an: Die neue Rolle gilt ab Ihrer nächsten Anmeldung.\nBei Fragen erreichen Sie das "
			 "un:box-Team über %s/kontakt.\n",
			 name, role_name(from, false), role_name(to, false), reason, base_url, base_url);
	return outbox_add(db, email, en ? "Your role on un:box has changed" : "Ihre Rolle bei un:box wurde geändert",
			  body);
}

int people_set_role(struct db *db, int64_t id, const char *role, const char *reason, int64_t actor,
		    const char *base_url, struct field_errors *fe)
{
	if (!role || !*role)
		field_error(fe, "role", "required");
	else if (!role_valid(role))
		field_error(fe, "role", "invalid");
	check_text(fe, "reason", reason, ROLE_REASON_MIN, ROLE_REASON_MAX, 1);
	if (fe->count)
		return PEOPLE_INVALID;
	if (db_begin(db) != DB_OK)
		return PEOPLE_ERROR;
	struct db_stmt *st = db_prepare(db, "SELECT role, blocked_at, email, name, lang FROM users WHERE id = $1");
	enum { R_ROLE, R_BLOCKED, R_EMAIL, R_NAME, R_LANG };
	char from[24] = "", email[EMAIL_MAX + 1] = "", name[NAME_MAX * 4 + 1] = "", lang[8] = "de";
	bool blocked = false;
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(from, sizeof from, "%s", db_text(st, R_ROLE));
		blocked = !db_is_null(st, R_BLOCKED);
		snprintf(email, sizeof email, "%s", db_text(st, R_EMAIL));
		snprintf(name, sizeof name, "%s", db_text(st, R_NAME));
		snprintf(lang, sizeof lang, "%s", db_text(st, R_LANG));
	}
	db_done(st);
	int result = PEOPLE_ERROR;
	if (rc == DB_OK) {
		result = PEOPLE_NOT_FOUND;
		rc = DB_ERROR;
	} else if (rc == DB_ROW && strcmp(from, role) == 0) {
		field_error(fe, "role", "unchanged");
		result = PEOPLE_INVALID;
		rc = DB_ERROR;
	} else if (rc == DB_ROW) {
		rc = DB_OK;
	}
	if (rc == DB_OK && strcmp(from, "admin") == 0 && !blocked) {
		int64_t admins = 0;
		rc = active_admins(db, &admins);
		if (rc == DB_OK && admins <= 1) {
			result = PEOPLE_LAST_ADMIN;
			rc = DB_ERROR;
		}
	}
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE users SET role = $2 WHERE id = $1", "is", id, role);
	if (rc == DB_OK && id != actor)     /* the new role at the next login, with its session length */
		rc = session_end_all(db, id);
	if (rc == DB_OK) {
		char subject[48], detail[ROLE_REASON_MAX * 4 + 64];
		snprintf(subject, sizeof subject, "user:%" PRId64, id);
		snprintf(detail, sizeof detail, "%s → %s: %s", from, role, reason);
		rc = audit_add(db, actor, "user.role", subject, detail);
	}
	if (rc == DB_OK)
		rc = tell(db, email, name, lang, from, role, reason, base_url);
	if (rc == DB_OK)
		rc = content_changed(db);    /* pages show people's roles beside their names */
	if (rc == DB_OK && db_commit(db) == DB_OK)
		return PEOPLE_OK;
	db_rollback(db);
	return result;
}
