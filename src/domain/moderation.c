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

static void subject_of(enum moderation_what what, int64_t id, char *out, size_t cap)
{
	snprintf(out, cap, "%s:%" PRId64, what == MOD_IDEA ? "idea" : "comment", id);
}

static int finish(struct db *db, int rc)
{
	if (rc != DB_OK) {
		db_rollback(db);
		return MOD_ERROR;
	}
	return db_commit(db) == DB_OK ? MOD_OK : MOD_ERROR;
}

/* The idea an item belongs to and whether it is hidden; 0 when there is no
 * such item (a deleted comment counts as gone). */
static int target(struct db *db, enum moderation_what what, int64_t id, int64_t *idea, bool *hidden)
{
	struct db_stmt *st = db_prepare(db, what == MOD_IDEA
		? "SELECT id, hidden_at FROM ideas WHERE id = $1"
		: "SELECT idea_id, hidden_at FROM comments WHERE id = $1 AND deleted_at IS NULL");
	int found = 0;
	if (st && db_bind(st, "i", id) == DB_OK && db_step(st) == DB_ROW) {
		*idea = db_int(st, 0);
		*hidden = !db_is_null(st, 1);
		found = 1;
	}
	db_done(st);
	return found;
}

int moderation_report(struct db *db, enum moderation_what what, int64_t id, int64_t reporter_id,
		      const char *reason, int64_t now, struct field_errors *fe, int64_t *report_id)
{
	if (moderation_validate_reason(reason, fe))
		return MOD_INVALID;
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	int64_t idea = 0, comment = what == MOD_COMMENT ? id : 0;
	bool hidden = false;
	if (!target(db, what, id, &idea, &hidden)) {
		db_rollback(db);
		return MOD_NOT_FOUND;
	}
	if (hidden) {
		db_rollback(db);
		return MOD_HIDDEN;
	}
	if (what == MOD_IDEA &&
	    db_one_int(db, 0, "SELECT 1 FROM ideas WHERE id = $1 AND merged_into IS NOT NULL", "i", id) == 1) {
		db_rollback(db);
		return MOD_MERGED;
	}
	if (db_one_int(db, 0, "SELECT 1 FROM reports WHERE reporter_id = $1 AND idea_id = $2 "
			      "AND COALESCE(comment_id, 0) = $3 AND decided_at IS NULL",
		       "iii", reporter_id, idea, comment) == 1) {
		db_rollback(db);
		return MOD_DUPLICATE;
	}
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO reports (idea_id, comment_id, reporter_id, reason, created_at) "
		"VALUES ($1, $2, $3, $4, $5) RETURNING id");
	int rc = DB_ERROR;
	if (st && db_bind(st, "iiisi", idea, comment, reporter_id, reason, now) == DB_OK) {
		if (!comment)
			db_bind_null(st, 2);
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
	subject_of(what, id, subject, sizeof subject);
	snprintf(detail, sizeof detail, "report:%" PRId64, *report_id);
	if (rc == DB_OK)
		rc = audit_add(db, reporter_id, "moderation.report", subject, detail);
	return finish(db, rc);
}

/* Closes the open reports of an item with outcome and tells each reporter. */
static int decide(struct db *db, int64_t idea, int64_t comment, int64_t actor, const char *outcome, int64_t now)
{
	int64_t *who = NULL;
	size_t n = 0, cap = 0;
	int rc = DB_OK;
	struct db_stmt *st = db_prepare(db,
		"SELECT reporter_id FROM reports WHERE idea_id = $1 AND COALESCE(comment_id, 0) = $2 "
		"AND decided_at IS NULL ORDER BY id");
	if (!st || db_bind(st, "ii", idea, comment) != DB_OK)
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
				"WHERE idea_id = $1 AND COALESCE(comment_id, 0) = $2 AND decided_at IS NULL",
			    "iiiis", idea, comment, now, actor, outcome);
	char subject[48], data[96];
	snprintf(subject, sizeof subject, "idea:%" PRId64, idea);
	if (comment)
		snprintf(data, sizeof data, "{\"outcome\":\"%s\",\"comment_id\":%" PRId64 "}", outcome, comment);
	else
		snprintf(data, sizeof data, "{\"outcome\":\"%s\"}", outcome);
	for (size_t i = 0; rc == DB_OK && i < n; i++)
		rc = notify_user(db, who[i], actor, NOTIFY_MODERATION, subject, data);
	free(who);
	return rc;
}

/* Runs an UPDATE ... RETURNING of one integer: 1 with *out, 0 no row, -1 error. */
static int update_returning(struct db *db, const char *sql, int64_t id, int64_t now, const char *reason,
			    int64_t *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int found = -1;
	if (st && db_bind(st, reason ? "iis" : "i", id, now, reason) == DB_OK) {
		int rc = db_step(st);
		found = rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
		if (found == 1)
			*out = db_int(st, 0);
	}
	db_done(st);
	return found;
}

int moderation_hide(struct db *db, enum moderation_what what, int64_t id, int64_t actor_id, const char *reason,
		    int64_t now, struct field_errors *fe, int64_t *idea_id)
{
	if (moderation_validate_reason(reason, fe))
		return MOD_INVALID;
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	int found = update_returning(db, what == MOD_IDEA
		? "UPDATE ideas SET hidden_at = COALESCE(hidden_at, $2), hidden_reason = $3 WHERE id = $1 RETURNING id"
		: "UPDATE comments SET hidden_at = COALESCE(hidden_at, $2), hidden_reason = $3 "
		  "WHERE id = $1 AND deleted_at IS NULL RETURNING idea_id", id, now, reason, idea_id);
	if (found <= 0) {
		db_rollback(db);
		return found == 0 ? MOD_NOT_FOUND : MOD_ERROR;
	}
	char subject[48];
	subject_of(what, id, subject, sizeof subject);
	int rc = decide(db, *idea_id, what == MOD_COMMENT ? id : 0, actor_id, "hidden", now);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, what == MOD_IDEA ? "idea.hide" : "comment.hide", subject, reason);
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_unhide(struct db *db, enum moderation_what what, int64_t id, int64_t actor_id, int64_t now,
		      int64_t *idea_id)
{
	(void)now;
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	int found = update_returning(db, what == MOD_IDEA
		? "UPDATE ideas SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1 RETURNING id"
		: "UPDATE comments SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1 RETURNING idea_id",
		id, 0, NULL, idea_id);
	if (found <= 0) {
		db_rollback(db);
		return found == 0 ? MOD_NOT_FOUND : MOD_ERROR;
	}
	char subject[48];
	subject_of(what, id, subject, sizeof subject);
	int rc = audit_add(db, actor_id, what == MOD_IDEA ? "idea.unhide" : "comment.unhide", subject, "");
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_resolve(struct db *db, int64_t report_id, int64_t actor_id, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	struct db_stmt *st = db_prepare(db,
		"SELECT idea_id, COALESCE(comment_id, 0), decided_at FROM reports WHERE id = $1");
	int found = 0;
	bool decided = false;
	int64_t idea = 0, comment = 0;
	if (st && db_bind(st, "i", report_id) == DB_OK && db_step(st) == DB_ROW) {
		idea = db_int(st, 0);
		comment = db_int(st, 1);
		decided = !db_is_null(st, 2);
		found = 1;
	}
	db_done(st);
	if (!found || decided) {
		db_rollback(db);
		return found ? MOD_OK : MOD_NOT_FOUND;
	}
	char subject[48], detail[48];
	subject_of(comment ? MOD_COMMENT : MOD_IDEA, comment ? comment : idea, subject, sizeof subject);
	snprintf(detail, sizeof detail, "report:%" PRId64, report_id);
	int rc = decide(db, idea, comment, actor_id, "kept", now);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, "moderation.keep", subject, detail);
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int moderation_block(struct db *db, int64_t user_id, int64_t actor_id, bool actor_admin, bool on, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return MOD_ERROR;
	struct db_stmt *st = db_prepare(db, "SELECT role FROM users WHERE id = $1");
	char role[24] = "";
	int found = 0;
	if (st && db_bind(st, "i", user_id) == DB_OK && db_step(st) == DB_ROW) {
		snprintf(role, sizeof role, "%s", db_text(st, 0));
		found = 1;
	}
	db_done(st);
	if (!found) {
		db_rollback(db);
		return MOD_NOT_FOUND;
	}
	bool staff = role_is_team(role);
	if (user_id == actor_id || (staff && !actor_admin)) {
		db_rollback(db);
		return MOD_FORBIDDEN;
	}
	int rc = on ? db_run(db, "UPDATE users SET blocked_at = $2 WHERE id = $1 AND blocked_at IS NULL", "ii",
			     user_id, now)
		    : db_run(db, "UPDATE users SET blocked_at = NULL WHERE id = $1", "i", user_id);
	if (rc == DB_OK && on)   /* their sessions end now; session_lookup refuses blocked people too */
		session_end_all(db, user_id);
	char subject[48];
	snprintf(subject, sizeof subject, "user:%" PRId64, user_id);
	if (rc == DB_OK)
		rc = audit_add(db, actor_id, on ? "user.block" : "user.unblock", subject, "");
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

/* ---- reads ---- */

bool moderation_reported(struct db *db, enum moderation_what what, int64_t id, int64_t reporter_id)
{
	return what == MOD_IDEA
		? db_one_int(db, 0, "SELECT 1 FROM reports WHERE reporter_id = $1 AND idea_id = $2 "
				    "AND comment_id IS NULL AND decided_at IS NULL", "ii", reporter_id, id) == 1
		: db_one_int(db, 0, "SELECT 1 FROM reports WHERE reporter_id = $1 AND comment_id = $2 "
				    "AND decided_at IS NULL", "ii", reporter_id, id) == 1;
}

static json_t *author_object(struct db_stmt *st, int col)
{
	if (db_is_null(st, col))
		return json_null();
	json_t *a = json_object();
	jset_int(a, "id", db_int(st, col));
	jset_str(a, "name", db_text(st, col + 1));
	jset_str(a, "role", db_text(st, col + 2));
	jset(a, "blocked", json_boolean(!db_is_null(st, col + 3)));
	return a;
}

/* Fills an item of the queue with its content; false when it is gone. */
static bool queue_content(struct db *db, json_t *item, int64_t idea, int64_t comment)
{
	char url[80];
	bool found = false;
	if (!comment) {
		struct db_stmt *st = db_prepare(db,
			"SELECT i.title, i.summary, i.description_html, i.hidden_at, "
			"  u.id, COALESCE(u.name, ''), COALESCE(u.role, ''), u.blocked_at "
			"FROM ideas i LEFT JOIN users u ON u.id = i.author_id WHERE i.id = $1");
		if (st && db_bind(st, "i", idea) == DB_OK && db_step(st) == DB_ROW) {
			snprintf(url, sizeof url, "/ideas/%" PRId64, idea);
			jset(item, "idea", json_pack("{sI ss ss}", "id", (json_int_t)idea, "title", db_text(st, 0), "url", url));
			jset_str(item, "url", url);
			jset_str(item, "summary", db_text(st, 1));
			jset_str(item, "content_html", db_text(st, 2));
			jset(item, "hidden", json_boolean(!db_is_null(st, 3)));
			jset(item, "author", author_object(st, 4));
			found = true;
		}
		db_done(st);
		return found;
	}
	struct db_stmt *st = db_prepare(db,
		"SELECT i.title, c.body_html, c.hidden_at, "
		"  u.id, COALESCE(u.name, ''), COALESCE(u.role, ''), u.blocked_at, c.deleted_at "
		"FROM comments c JOIN ideas i ON i.id = c.idea_id LEFT JOIN users u ON u.id = c.author_id "
		"WHERE c.id = $1");
	if (st && db_bind(st, "i", comment) == DB_OK && db_step(st) == DB_ROW) {
		snprintf(url, sizeof url, "/ideas/%" PRId64, idea);
		jset(item, "idea", json_pack("{sI ss ss}", "id", (json_int_t)idea, "title", db_text(st, 0), "url", url));
		snprintf(url, sizeof url, "/ideas/%" PRId64 "#comment-%" PRId64, idea, comment);
		jset_str(item, "url", url);
		jset_str(item, "content_html", db_text(st, 1));
		jset(item, "hidden", json_boolean(!db_is_null(st, 2)));
		jset(item, "deleted", json_boolean(!db_is_null(st, 7)));
		jset(item, "author", author_object(st, 3));
		found = true;
	}
	db_done(st);
	return found;
}

static json_t *queue_reasons(struct db *db, const char *lang, int64_t idea, int64_t comment)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT r.id, r.reason, r.created_at, COALESCE(u.name, '') FROM reports r "
		"LEFT JOIN users u ON u.id = r.reporter_id "
		"WHERE r.idea_id = $1 AND COALESCE(r.comment_id, 0) = $2 AND r.decided_at IS NULL "
		"ORDER BY r.id LIMIT $3");
	json_t *list = json_array();
	if (st && db_bind(st, "iii", idea, comment, (int64_t)MODERATION_REASONS_SHOWN) == DB_OK) {
		while (db_step(st) == DB_ROW) {
			char iso[32], date[32];
			clock_format_iso(db_int(st, 2), iso, sizeof iso);
			clock_format_date(db_int(st, 2), lang, date, sizeof date);
			json_t *r = json_object();
			jset_int(r, "id", db_int(st, 0));
			jset_str(r, "reason", db_text(st, 1));
			jset_str(r, "reporter", db_text(st, 3));
			jset_str(r, "created_at", iso);
			jset_str(r, "created_date", date);
			json_array_append_new(list, r);
		}
	}
	db_done(st);
	return list;
}

json_t *moderation_queue(struct db *db, const char *lang, int64_t after, int limit)
{
	limit = limit < 1 ? MODERATION_PAGE_DEFAULT : limit > MODERATION_PAGE_MAX ? MODERATION_PAGE_MAX : limit;
	struct db_stmt *st = db_prepare(db,
		"SELECT MIN(r.id), r.idea_id, COALESCE(r.comment_id, 0), COUNT(*) FROM reports r "
		"WHERE r.decided_at IS NULL GROUP BY r.idea_id, COALESCE(r.comment_id, 0) "
		"HAVING MIN(r.id) > $1 ORDER BY MIN(r.id) LIMIT $2");
	json_t *items = json_array();
	json_t *next = json_null();
	int64_t last = 0;
	if (st && db_bind(st, "ii", after, (int64_t)limit + 1) == DB_OK) {
		int n = 0;
		while (db_step(st) == DB_ROW) {
			if (n++ == limit) {   /* one more than a page: there is a next page */
				char cursor[24];
				snprintf(cursor, sizeof cursor, "%" PRId64, last);
				json_decref(next);
				next = json_string(cursor);
				break;
			}
			last = db_int(st, 0);
			json_t *item = json_object();
			jset_int(item, "report_id", last);
			jset_str(item, "kind", db_int(st, 2) ? "comment" : "idea");
			jset_int(item, "_idea", db_int(st, 1));
			jset_int(item, "_comment", db_int(st, 2));
			jset(item, "comment_id", db_int(st, 2) ? json_integer(db_int(st, 2)) : json_null());
			jset_int(item, "report_count", db_int(st, 3));
			json_array_append_new(items, item);
		}
	}
	db_done(st);
	/* the content and reasons: two indexed reads per item */
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		int64_t idea = json_integer_value(json_object_get(item, "_idea"));
		int64_t comment = json_integer_value(json_object_get(item, "_comment"));
		json_object_del(item, "_idea");
		json_object_del(item, "_comment");
		if (!queue_content(db, item, idea, comment))
			jset(item, "author", json_null());
		jset(item, "reasons", queue_reasons(db, lang, idea, comment));
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
		"SELECT id, name, blocked_at FROM users WHERE blocked_at IS NOT NULL "
		"ORDER BY blocked_at DESC, id DESC LIMIT $1");
	json_t *list = json_array();
	if (st && db_bind(st, "i", (int64_t)MODERATION_BLOCKED_MAX) == DB_OK) {
		while (db_step(st) == DB_ROW) {
			char iso[32], date[32];
			clock_format_iso(db_int(st, 2), iso, sizeof iso);
			clock_format_date(db_int(st, 2), lang, date, sizeof date);
			json_t *u = json_object();
			jset_int(u, "id", db_int(st, 0));
			jset_str(u, "name", db_text(st, 1));
			jset_str(u, "blocked_at", iso);
			jset_str(u, "blocked_date", date);
			json_array_append_new(list, u);
		}
	}
	db_done(st);
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
