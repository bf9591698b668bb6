#include "domain/moderation.h"
#include "domain/user.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/notification.h"
#include "domain/session.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int moderation_validate_reason(const char *reason, struct field_errors *fe)
{
	size_t before = fe->count;
	check_text(fe, "reason", reason, MODERATION_REASON_MIN, MODERATION_REASON_MAX, 1);
	return (int)(fe->count - before);
}

static bool is_en(const char *lang)
{
	return !lang || strcmp(lang, "de") != 0;
}

char *moderation_hidden_text(const char *lang, const char *reason)
{
	const char *lead = is_en(lang) ? "Hidden by the moderation: " : "Von der Moderation ausgeblendet: ";
	size_t a = strlen(lead), b = strlen(reason ? reason : "");
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, lead, a);
		memcpy(s + a, reason ? reason : "", b + 1);
	}
	return s;
}

static int finish(struct db *db, int rc)
{
	if (rc != DB_OK) {
		db_rollback(db);
		return MOD_ERROR;
	}
	return db_commit(db) == DB_OK ? MOD_OK : MOD_ERROR;
}

int moderation_report(struct db *db, const struct target_kind *kind, int64_t id, int64_t reporter_id,
		      const char *reason, int64_t now, struct field_errors *fe, int64_t *report_id)
{
	if (moderation_validate_reason(reason, fe))
		return MOD_INVALID;
	if (!kind->set_hidden)
		return MOD_NOT_FOUND;   /* this kind cannot be reported */
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	int state = kind->state(db, id, false);
	int refusal = state < 0 ? MOD_ERROR : state == 0 ? MOD_NOT_FOUND : state == TARGET_HIDDEN ? MOD_HIDDEN
		: state == TARGET_MERGED ? MOD_MERGED : MOD_OK;
	int reported = refusal == MOD_OK ? moderation_reported(db, kind, id, reporter_id) : 0;
	if (refusal != MOD_OK || reported != 0) {
		db_rollback(db);
		return refusal != MOD_OK ? refusal : reported < 0 ? MOD_ERROR : MOD_DUPLICATE;
	}
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO reports (target_kind, target_id, reporter_id, reason, created_at) "
		"VALUES ($1, $2, $3, $4, $5) RETURNING id");
	int rc = DB_ERROR;
	if (st && db_bind(st, "siisi", kind->name, id, reporter_id, reason, now) == DB_OK) {
		rc = db_step(st);
		if (rc == DB_ROW) {
			*report_id = db_int(st, 0);
			rc = DB_OK;
		}
	}
	db_done(st);
	if (rc == DB_CONSTRAINT) {   /* a parallel report of the same person won */
		db_rollback(db);
		return MOD_DUPLICATE;
	}
	char subject[48], detail[48];
	target_subject(kind, id, subject, sizeof subject);
	snprintf(detail, sizeof detail, "report:%" PRId64, *report_id);
	if (rc == DB_OK)
		rc = audit_add(db, reporter_id, "moderation.report", subject, detail);
	return finish(db, rc);
}

/* Closes the open reports of a target with outcome and tells each reporter,
 * about the page it shows on (with "<kind>_id" of the target when that is
 * not the page itself, e.g. the comment). */
static int decide(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor, const char *outcome,
		  int64_t now)
{
	const struct target_kind *page_kind;
	int64_t page_id;
	if (target_page(db, kind, id, &page_kind, &page_id) < 0)
		return DB_ERROR;   /* (0: gone meanwhile; the reporters hear about the target itself) */
	int64_t *who = NULL;
	size_t n = 0, cap = 0;
	int rc = DB_OK;
	struct db_stmt *st = db_prepare(db,
		"SELECT reporter_id FROM reports WHERE target_kind = $1 AND target_id = $2 "
		"AND decided_at IS NULL ORDER BY id");
	if (!st || db_bind(st, "si", kind->name, id) != DB_OK)
		rc = DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			int64_t *more = realloc(who, cap * sizeof *who);
			if (!more) {
				rc = DB_ERROR;
				break;
			}
			who = more;
		}
		who[n++] = db_int(st, 0);
	}
	db_done(st);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE reports SET decided_at = $3, decided_by = $4, outcome = $5 "
				"WHERE target_kind = $1 AND target_id = $2 AND decided_at IS NULL",
			    "siiis", kind->name, id, now, actor, outcome);
	char subject[48], data[128];
	target_subject(page_kind, page_id, subject, sizeof subject);
	if (page_kind != kind || page_id != id)
		snprintf(data, sizeof data, "{\"outcome\":\"%s\",\"%s_id\":%" PRId64 "}", outcome, kind->name, id);
	else
		snprintf(data, sizeof data, "{\"outcome\":\"%s\"}", outcome);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = notify_user(db, who[i], actor, NOTIFY_MODERATION, subject, data);
	free(who);
	return rc;
}

/* Hides (reason) or shows (NULL) a target: one transaction with the
 * decision on its reports (when hiding), an audit row and content_changed. */
static int set_hidden(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id,
		      const char *reason, int64_t now, const struct target_kind **page_kind, int64_t *page_id)
{
	if (!kind->set_hidden)
		return MOD_NOT_FOUND;
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	int found = kind->set_hidden(db, id, reason, now);
	if (found == 1)
		found = target_page(db, kind, id, page_kind, page_id);
	if (found <= 0) {
		db_rollback(db);
		return found == 0 ? MOD_NOT_FOUND : MOD_ERROR;
	}
	char subject[48], action[48];
	target_subject(kind, id, subject, sizeof subject);
	snprintf(action, sizeof action, "%s.%s", kind->name, reason ? "hide" : "unhide");
	int rc = reason ? decide(db, kind, id, actor_id, "hidden", now) : DB_OK;
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, action, subject, reason ? reason : "");
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_hide(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id, const char *reason,
		    int64_t now, struct field_errors *fe, const struct target_kind **page_kind, int64_t *page_id)
{
	if (moderation_validate_reason(reason, fe))
		return MOD_INVALID;
	return set_hidden(db, kind, id, actor_id, reason, now, page_kind, page_id);
}

int moderation_unhide(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id, int64_t now,
		      const struct target_kind **page_kind, int64_t *page_id)
{
	return set_hidden(db, kind, id, actor_id, NULL, now, page_kind, page_id);
}

int moderation_resolve(struct db *db, int64_t report_id, int64_t actor_id, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	struct db_stmt *st = db_prepare(db, "SELECT target_kind, target_id, decided_at FROM reports WHERE id = $1");
	enum { R_KIND, R_ID, R_DECIDED };
	const struct target_kind *kind = NULL;
	int64_t id = 0;
	bool decided = false;
	int rc = st ? db_bind(st, "i", report_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		kind = target_kind_find(db_text(st, R_KIND));
		id = db_int(st, R_ID);
		decided = !db_is_null(st, R_DECIDED);
	}
	db_done(st);
	if (rc != DB_ROW || decided || !kind) {
		db_rollback(db);
		return rc == DB_OK ? MOD_NOT_FOUND : rc != DB_ROW || !kind ? MOD_ERROR : MOD_OK;
	}
	char subject[48], detail[48];
	target_subject(kind, id, subject, sizeof subject);
	snprintf(detail, sizeof detail, "report:%" PRId64, report_id);
	rc = decide(db, kind, id, actor_id, "kept", now);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, "moderation.keep", subject, detail);
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_block(struct db *db, int64_t user_id, int64_t actor_id, bool actor_admin, bool on, const char *reason,
		     int64_t now, struct field_errors *fe)
{
	if (moderation_validate_reason(reason, fe))
		return MOD_INVALID;
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	struct db_stmt *st = db_prepare(db, "SELECT role FROM users WHERE id = $1 AND deleted_at IS NULL");
	char role[24] = "";
	int rc = st ? db_bind(st, "i", user_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(role, sizeof role, "%s", db_text(st, 0));
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(db);
		return rc == DB_OK ? MOD_NOT_FOUND : MOD_ERROR;
	}
	bool staff = role_is_team(role);
	if (user_id == actor_id || (staff && !actor_admin)) {
		db_rollback(db);
		return MOD_FORBIDDEN;
	}
	rc = on ? db_run(db, "UPDATE users SET blocked_at = COALESCE(blocked_at, $2), blocked_reason = $3 WHERE id = $1",
			 "iis", user_id, now, reason)
		: db_run(db, "UPDATE users SET blocked_at = NULL, blocked_reason = NULL WHERE id = $1", "i", user_id);
	if (rc == DB_OK && on)   /* their sessions end now; session_lookup refuses blocked people too */
		rc = session_end_all(db, user_id);
	char subject[48];
	snprintf(subject, sizeof subject, "user:%" PRId64, user_id);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, on ? "user.block" : "user.unblock", subject, reason);
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_person(struct db *db, const char *lang, int64_t user_id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT name, role, created_at, blocked_at, COALESCE(blocked_reason, '') "
					    "FROM users WHERE id = $1 AND deleted_at IS NULL");
	enum { P_NAME, P_ROLE, P_CREATED, P_BLOCKED, P_REASON };
	int rc = st ? db_bind(st, "i", user_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	json_t *p = NULL;
	if (rc == DB_ROW) {
		char iso[32], date[32];
		p = json_object();
		jset_int(p, "id", user_id);
		jset_str(p, "name", db_text(st, P_NAME));
		jset_str(p, "role", db_text(st, P_ROLE));
		clock_format_iso(db_int(st, P_CREATED), iso, sizeof iso);
		clock_format_date(db_int(st, P_CREATED), lang, date, sizeof date);
		jset_str(p, "created_at", iso);
		jset_str(p, "member_since", date);
		bool blocked = !db_is_null(st, P_BLOCKED);
		jset(p, "blocked", json_boolean(blocked));
		if (blocked) {
			clock_format_iso(db_int(st, P_BLOCKED), iso, sizeof iso);
			clock_format_date(db_int(st, P_BLOCKED), lang, date, sizeof date);
			jset_str(p, "blocked_at", iso);
			jset_str(p, "blocked_date", date);
			jset_str(p, "blocked_reason", db_text(st, P_REASON));
		}
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_OK ? 0 : -1;
	char subject[48];
	snprintf(subject, sizeof subject, "user:%" PRId64, user_id);
	st = db_prepare(db, "SELECT a.action, a.detail, a.at, COALESCE(u.name, '') FROM audit a "
			    "LEFT JOIN users u ON u.id = a.actor_id "
			    "WHERE a.subject = $1 AND a.action IN ('user.block', 'user.unblock') "
			    "ORDER BY a.at DESC, a.id DESC LIMIT $2");
	enum { H_ACTION, H_DETAIL, H_AT, H_BY };
	json_t *history = json_array();
	rc = st ? db_bind(st, "si", subject, (int64_t)MODERATION_HISTORY_MAX) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char iso[32], date[32];
		clock_format_iso(db_int(st, H_AT), iso, sizeof iso);
		clock_format_date(db_int(st, H_AT), lang, date, sizeof date);
		json_t *h = json_object();
		jset_str(h, "action", db_text(st, H_ACTION));
		jset(h, "blocking", json_boolean(strcmp(db_text(st, H_ACTION), "user.block") == 0));
		jset_str(h, "reason", db_text(st, H_DETAIL));
		jset_str(h, "by", db_text(st, H_BY));
		jset_str(h, "at", iso);
		jset_str(h, "date", date);
		json_array_append_new(history, h);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(history);
		json_decref(p);
		return -1;
	}
	jset(p, "history", history);
	*out = p;
	return 1;
}

/* ---- reads ---- */

int moderation_reported(struct db *db, const struct target_kind *kind, int64_t id, int64_t reporter_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM reports WHERE reporter_id = $1 AND target_kind = $2 "
					    "AND target_id = $3 AND decided_at IS NULL");
	int rc = st ? db_bind(st, "isi", reporter_id, kind->name, id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

/* The open reports' reasons of a target, oldest first; NULL when failed. */
static json_t *queue_reasons(struct db *db, const char *lang, const char *kind, int64_t id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT r.id, r.reason, r.created_at, COALESCE(u.name, '') FROM reports r "
		"LEFT JOIN users u ON u.id = r.reporter_id "
		"WHERE r.target_kind = $1 AND r.target_id = $2 AND r.decided_at IS NULL "
		"ORDER BY r.id LIMIT $3");
	enum { Q_ID, Q_REASON, Q_CREATED, Q_REPORTER };
	json_t *list = json_array();
	int rc = st ? db_bind(st, "sii", kind, id, (int64_t)MODERATION_REASONS_SHOWN) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char iso[32], date[32];
		clock_format_iso(db_int(st, Q_CREATED), iso, sizeof iso);
		clock_format_date(db_int(st, Q_CREATED), lang, date, sizeof date);
		json_t *r = json_object();
		jset_int(r, "id", db_int(st, Q_ID));
		jset_str(r, "reason", db_text(st, Q_REASON));
		jset_str(r, "reporter", db_text(st, Q_REPORTER));
		jset_str(r, "created_at", iso);
		jset_str(r, "created_date", date);
		json_array_append_new(list, r);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *moderation_queue(struct db *db, const char *lang, int64_t after, int limit)
{
	limit = limit < 1 ? MODERATION_PAGE_DEFAULT : limit > MODERATION_PAGE_MAX ? MODERATION_PAGE_MAX : limit;
	struct db_stmt *st = db_prepare(db,
		"SELECT MIN(r.id), r.target_kind, r.target_id, COUNT(*) FROM reports r "
		"WHERE r.decided_at IS NULL GROUP BY r.target_kind, r.target_id "
		"HAVING MIN(r.id) > $1 ORDER BY MIN(r.id) LIMIT $2");
	enum { G_FIRST, G_KIND, G_ID, G_COUNT };
	json_t *items = json_array();
	json_t *next = json_null();
	int64_t last = 0;
	int rc = st ? db_bind(st, "ii", after, (int64_t)limit + 1) : DB_ERROR;
	int n = 0;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (n++ == limit) {   /* one more than a page: there is a next page */
			char cursor[24];
			snprintf(cursor, sizeof cursor, "%" PRId64, last);
			json_decref(next);
			next = json_string(cursor);
			break;
		}
		last = db_int(st, G_FIRST);
		const char *kind = db_text(st, G_KIND);
		int64_t id = db_int(st, G_ID);
		json_t *item = json_object();
		jset_int(item, "report_id", last);
		jset_str(item, "kind", kind);
		jset(item, "target", json_pack("{ss sI}", "kind", kind, "id", (json_int_t)id));
		jset(item, "comment_id", strcmp(kind, "comment") == 0 ? json_integer(id) : json_null());
		jset_int(item, "report_count", db_int(st, G_COUNT));
		json_array_append_new(items, item);
	}
	db_done(st);
	/* the content and reasons: a few indexed reads per item */
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		if (rc != DB_OK)
			break;
		json_t *t = json_object_get(item, "target");
		const char *name = json_string_value(json_object_get(t, "kind"));
		int64_t id = json_integer_value(json_object_get(t, "id"));
		const struct target_kind *kind = target_kind_find(name);
		int found = kind && kind->moderation_item ? kind->moderation_item(db, id, item) : 0;
		if (found < 0)
			rc = DB_ERROR;
		else if (found == 0)
			jset(item, "author", json_null());
		json_t *reasons = queue_reasons(db, lang, name, id);
		if (!reasons)
			rc = DB_ERROR;
		jset(item, "reasons", reasons ? reasons : json_array());
	}
	if (rc != DB_OK) {
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	json_t *out = json_object();
	jset(out, "items", items);
	jset(out, "next", next);
	jset_int(out, "limit", limit);
	return out;
}

json_t *moderation_blocked_list(struct db *db, const char *lang)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name, blocked_at, COALESCE(blocked_reason, '') FROM users "
		"WHERE blocked_at IS NOT NULL AND deleted_at IS NULL ORDER BY blocked_at DESC, id DESC LIMIT $1");
	enum { B_ID, B_NAME, B_AT, B_REASON };
	json_t *list = json_array();
	int rc = st ? db_bind(st, "i", (int64_t)MODERATION_BLOCKED_MAX) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char iso[32], date[32];
		clock_format_iso(db_int(st, B_AT), iso, sizeof iso);
		clock_format_date(db_int(st, B_AT), lang, date, sizeof date);
		json_t *u = json_object();
		jset_int(u, "id", db_int(st, B_ID));
		jset_str(u, "name", db_text(st, B_NAME));
		jset_str(u, "blocked_at", iso);
		jset_str(u, "blocked_date", date);
		jset_str(u, "blocked_reason", db_text(st, B_REASON));
		json_array_append_new(list, u);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(list);
		return NULL;
	}
	return list;
}

void moderation_comment_row(json_t *o, const char *lang, int64_t id, bool deleted, bool hidden, const char *reason,
			    int64_t viewer_id, bool staff)
{
	hidden = hidden && !deleted;
	jset(o, "hidden", json_boolean(hidden));
	if (hidden) {
		json_object_del(o, "body");
		json_object_del(o, "body_html");
		jset_str(o, "hidden_reason", reason ? reason : "");
		char *text = moderation_hidden_text(lang, reason);
		jset(o, "hidden_text", json_string(text ? text : ""));
		free(text);
	}
	if (!viewer_id || deleted) {   /* anonymous pages are cached: no forms on them */
		jset(o, "moderation", json_null());   /* (and templates look no further up) */
		return;
	}
	char url[64], key[40];
	json_t *m = json_object();
	snprintf(key, sizeof key, "comment-%" PRId64, id);
	jset_str(m, "key", key);
	if (!hidden) {
		snprintf(url, sizeof url, "/comments/%" PRId64 "/report", id);
		jset_str(m, "report_url", url);
	}
	if (staff) {
		snprintf(url, sizeof url, "/comments/%" PRId64 "/%s", id, hidden ? "unhide" : "hide");
		jset_str(m, hidden ? "unhide_url" : "hide_url", url);
	}
	jset(o, "moderation", m);
}
