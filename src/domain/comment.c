#include "domain/comment.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/follow.h"
#include "domain/moderation.h"
#include "domain/notification.h"
#include <cmark.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int comment_validate(const char *body, struct field_errors *fe)
{
	size_t before = fe->count;
	check_text(fe, "body", body, 1, COMMENT_BODY_MAX, 1);
	return (int)(fe->count - before);
}

bool comment_editable(int64_t created_at, int64_t now)
{
	return now >= created_at && now - created_at < COMMENT_EDIT_SECONDS;
}

/* ---- the Markdown subset ---- */

/* Puts replacement where old was, moving old's children into inner (the
 * replacement itself or a node inside it); frees old and points the
 * iterator at the replacement. */
static void swap_node(cmark_iter *it, cmark_node *old, cmark_node *replacement, cmark_node *inner)
{
	cmark_node *ch;
	while ((ch = cmark_node_first_child(old))) {
		cmark_node_unlink(ch);
		cmark_node_append_child(inner, ch);
	}
	cmark_node_replace(old, replacement);
	cmark_iter_reset(it, replacement, CMARK_EVENT_EXIT);
	cmark_node_free(old);
}

/* Headings become bold paragraphs (a comment must not break the page's
 * heading order), images become links to them. */
static void to_subset(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_EXIT)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node *strong = cmark_node_new(CMARK_NODE_STRONG);
			cmark_node_append_child(p, strong);
			swap_node(it, n, p, strong);
		} else if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) {
			cmark_node *a = cmark_node_new(CMARK_NODE_LINK);
			const char *url = cmark_node_get_url(n);
			cmark_node_set_url(a, url ? url : "");
			const char *title = cmark_node_get_title(n);
			if (title && *title)
				cmark_node_set_title(a, title);
			if (!cmark_node_first_child(n)) {
				cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
				cmark_node_set_literal(text, url && *url ? url : "image");
				cmark_node_append_child(a, text);
			}
			swap_node(it, n, a, a);
		}
	}
	cmark_iter_free(it);
}

char *comment_render(const char *md)
{
	/* the options of domain/markdown.c: safe (no raw HTML, no unsafe URLs) */
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
	cmark_node *doc = cmark_parse_document(md, strlen(md), opts);
	if (!doc)
		return NULL;
	to_subset(doc);
	char *html = cmark_render_html(doc, opts);
	cmark_node_free(doc);
	if (!html)
		return NULL;
	/* links written by others are not endorsed: rel="nofollow ugc". Raw HTML
	 * is dropped and text is escaped, so every "<a href=" is a link node. */
	static const char from[] = "<a href=\"", to[] = "<a rel=\"nofollow ugc\" href=\"";
	size_t n = 0;
	for (const char *p = html; (p = strstr(p, from)); p += sizeof from - 1)
		n++;
	if (!n)
		return html;
	size_t len = strlen(html);
	char *out = malloc(len + n * (sizeof to - sizeof from) + 1);
	if (out) {
		char *o = out;
		const char *p = html, *q;
		while ((q = strstr(p, from))) {
			memcpy(o, p, (size_t)(q - p));
			o += q - p;
			memcpy(o, to, sizeof to - 1);
			o += sizeof to - 1;
			p = q + sizeof from - 1;
		}
		memcpy(o, p, strlen(p) + 1);
	}
	free(html);
	return out;
}

/* ---- writes ---- */

/* The columns of COMMENT_FIELDS (comment.h), and of threads_sql after them. */
enum {
	COL_ID, COL_KIND, COL_TARGET, COL_PARENT, COL_AUTHOR, COL_NAME, COL_ROLE, COL_BODY_MD, COL_BODY_HTML,
	COL_CREATED, COL_EDITED, COL_DELETED, COL_REPLIES, COL_LAST_ACTIVITY, COL_ACTIVITY, COL_HIDDEN,
	COL_HIDDEN_REASON, COL_DELETED_REASON,
	COL_THREAD_ACTIVITY, COL_TARGET_COUNT, COL_OLDER,   /* threads_sql only */
};

static int finish(struct db *db, int rc)
{
	if (rc != DB_OK) {
		db_rollback(db);
		return COMMENT_ERROR;
	}
	return db_commit(db) == DB_OK ? COMMENT_OK : COMMENT_ERROR;
}

static int audit(struct db *db, int64_t actor, const char *action, int64_t id, const char *detail)
{
	char subject[40];
	snprintf(subject, sizeof subject, "comment:%" PRId64, id);
	return audit_add(db, actor, action, subject, detail);
}

/* The followers of the target hear of a new comment (<kind>.comment; an
 * answer: NOTIFY_COMMENT_REPLY), and the author of the comment answered too
 * when not following; once per person, never the writer. In the caller's
 * transaction. */
static int notify_comment(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t author_id,
			  bool reply, const struct comment_added *c)
{
	char data[48], subject[48], what[40];
	snprintf(data, sizeof data, "{\"comment_id\": %" PRId64 "}", c->id);
	snprintf(what, sizeof what, "%s.comment", kind->name);
	int rc = notify_followers(db, kind, target_id, author_id, reply ? NOTIFY_COMMENT_REPLY : what, data);
	if (rc != DB_OK || !reply || !c->parent_author_id)
		return rc;
	int follows = follow_exists(db, kind, target_id, c->parent_author_id);
	if (follows != 0)
		return follows < 0 ? DB_ERROR : DB_OK;
	target_subject(kind, target_id, subject, sizeof subject);
	return notify_user(db, c->parent_author_id, author_id, NOTIFY_COMMENT_REPLY, subject, data);
}

/* Why comments may not be added to the target: NOT_FOUND, MERGED, HIDDEN,
 * CLOSED or ERROR; COMMENT_OK when they may. Outside a transaction, to
 * explain a refusal. */
static int target_refusal(struct db *db, const struct target_kind *kind, int64_t target_id)
{
	int state = kind->state(db, target_id, false);
	return state < 0 ? COMMENT_ERROR : state == 0 ? COMMENT_NOT_FOUND : state == TARGET_MERGED ? COMMENT_MERGED
		: state == TARGET_HIDDEN ? COMMENT_HIDDEN : state == TARGET_CLOSED ? COMMENT_CLOSED : COMMENT_OK;
}

/* The thread a reply joins: 1 with *thread and *parent_author, 0 when
 * parent_id is no live comment of the target, -1. */
static int reply_thread(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t parent_id,
			int64_t *thread, int64_t *parent_author)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT parent_id, author_id FROM comments "
		"WHERE id = $1 AND target_kind = $2 AND target_id = $3 AND deleted_at IS NULL");
	enum { R_PARENT, R_AUTHOR };
	int rc = st ? db_bind(st, "isi", parent_id, kind->name, target_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*thread = db_is_null(st, R_PARENT) ? parent_id : db_int(st, R_PARENT);
		*parent_author = db_is_null(st, R_AUTHOR) ? 0 : db_int(st, R_AUTHOR);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int comment_add(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t author_id,
		int64_t parent_id, const char *body, int64_t now, struct field_errors *fe, struct comment_added *out)
{
	*out = (struct comment_added){ .target_id = target_id };
	if (!kind->comment_counted)
		return COMMENT_NOT_FOUND;   /* this kind takes no comments */
	if (comment_validate(body, fe))
		return COMMENT_INVALID;
	char *html = comment_render(body);
	if (!html)
		return COMMENT_ERROR;
	if (db_begin(db) != DB_OK) {
		free(html);
		return COMMENT_ERROR;
	}
	int64_t thread = 0;
	if (parent_id) {
		int found = reply_thread(db, kind, target_id, parent_id, &thread, &out->parent_author_id);
		if (found <= 0) {
			db_rollback(db);
			free(html);
			out->parent_author_id = 0;
			int refusal = found < 0 ? COMMENT_ERROR : target_refusal(db, kind, target_id);
			if (refusal != COMMENT_OK)
				return refusal;
			field_error(fe, "parent", "invalid");
			return COMMENT_INVALID;
		}
	}
	/* whether the target is there and takes comments is known at the end,
	 * when its own row counts the comment */
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO comments (target_kind, target_id, parent_id, author_id, body_md, body_html, created_at, "
		"last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id");
	int rc = DB_ERROR;
	if (st && db_bind(st, "siiissi", kind->name, target_id, thread, author_id, body, html, now) == DB_OK) {
		if (!thread)
			db_bind_null(st, 3);
		if ((rc = db_step(st)) == DB_ROW) {
			out->id = db_int(st, 0);
			rc = DB_OK;
		}
	}
	db_done(st);
	free(html);
	out->thread_id = thread ? thread : out->id;
	if (rc == DB_OK && thread)
		rc = db_run(db, "UPDATE comments SET reply_count = reply_count + 1, activity_id = $3, "
			    "last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END "
			    "WHERE id = $1", "iii", thread, now, out->id);
	else if (rc == DB_OK)
		rc = db_run(db, "UPDATE comments SET activity_id = id WHERE id = $1", "i", out->id);
	if (rc == DB_OK)
		rc = notify_comment(db, kind, target_id, author_id, thread != 0, out);
	if (rc == DB_OK)
		rc = audit(db, author_id, thread ? "comment.reply" : "comment.add", out->id, "");
	/* The row every writer of the target updates comes last, so that its
	 * lock is held for the shortest time (posts to one target queue there).
	 * A target merged meanwhile refuses: its update waits for a merge that
	 * holds the row, then sees it merged. */
	if (rc == DB_OK) {
		int counted = kind->comment_counted(db, target_id, 1, now);
		if (counted <= 0) {
			db_rollback(db);
			if (counted < 0)
				return COMMENT_ERROR;
			int refusal = target_refusal(db, kind, target_id);
			return refusal != COMMENT_OK ? refusal : COMMENT_ERROR;
		}
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

int comment_add_in_tx(struct db *db, const struct target_kind *kind, int64_t target_id, int64_t author_id,
		      int64_t parent_id, const char *body, int64_t at, int64_t *id)
{
	char *html = kind->comment_counted ? comment_render(body) : NULL;
	if (!html)
		return DB_ERROR;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO comments (target_kind, target_id, parent_id, author_id, body_md, body_html, created_at, "
		"last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id");
	int rc = st ? db_bind(st, "siiissi", kind->name, target_id, parent_id, author_id, body, html, at) : DB_ERROR;
	if (rc == DB_OK && !parent_id)
		rc = db_bind_null(st, 3);
	if (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		*id = db_int(st, 0);
		rc = DB_OK;
	}
	db_done(st);
	free(html);
	if (rc == DB_OK && parent_id)
		rc = db_run(db, "UPDATE comments SET reply_count = reply_count + 1, activity_id = $3, "
			    "last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END "
			    "WHERE id = $1", "iii", parent_id, at, *id);
	else if (rc == DB_OK)
		rc = db_run(db, "UPDATE comments SET activity_id = id WHERE id = $1", "i", *id);
	if (rc == DB_OK)
		rc = audit(db, author_id, parent_id ? "comment.reply" : "comment.add", *id, "");
	if (rc == DB_OK)
		rc = kind->comment_counted(db, target_id, 1, at) == 1 ? DB_OK : DB_CONSTRAINT;
	return rc;
}

/* The comment's author, creation, deletion and target: 1, 0 (none) or -1. */
static int load(struct db *db, int64_t id, int64_t *author, int64_t *created, bool *deleted,
		const struct target_kind **kind, int64_t *target)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT author_id, created_at, deleted_at, target_kind, target_id FROM comments WHERE id = $1");
	enum { L_AUTHOR, L_CREATED, L_DELETED, L_KIND, L_TARGET };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*author = db_is_null(st, L_AUTHOR) ? 0 : db_int(st, L_AUTHOR);
		*created = db_int(st, L_CREATED);
		*deleted = !db_is_null(st, L_DELETED);
		*kind = target_kind_find(db_text(st, L_KIND));
		*target = db_int(st, L_TARGET);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int comment_may_edit(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	int64_t author, created, target;
	const struct target_kind *kind;
	bool deleted;
	int found = load(db, id, &author, &created, &deleted, &kind, &target);
	if (found <= 0)
		return found < 0 ? COMMENT_ERROR : COMMENT_NOT_FOUND;
	if (!user_id || author != user_id)
		return COMMENT_FORBIDDEN;
	if (deleted)
		return COMMENT_DELETED;
	if (!comment_editable(created, now))
		return COMMENT_TOO_LATE;
	return COMMENT_OK;
}

int comment_edit(struct db *db, int64_t id, int64_t user_id, const char *body, int64_t now,
		 struct field_errors *fe)
{
	int may = comment_may_edit(db, id, user_id, now);
	if (may != COMMENT_OK)
		return may;
	if (comment_validate(body, fe))
		return COMMENT_INVALID;
	char *html = comment_render(body);
	if (!html)
		return COMMENT_ERROR;
	if (db_begin(db) != DB_OK) {
		free(html);
		return COMMENT_ERROR;
	}
	/* the window is checked again inside the transaction */
	int rc = db_run(db, "UPDATE comments SET body_md = $2, body_html = $3, edited_at = $4 "
			"WHERE id = $1 AND deleted_at IS NULL AND created_at > $5",
			"issii", id, body, html, now, now - COMMENT_EDIT_SECONDS);
	free(html);
	if (rc == DB_OK)
		rc = audit(db, user_id, "comment.edit", id, "");
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

char *comment_removed_text(const char *lang, const char *reason)
{
	const char *lead = lang && strcmp(lang, "de") == 0 ? "Vom un:box-Team entfernt: " : "Removed by the un:box team: ";
	size_t a = strlen(lead), b = strlen(reason ? reason : "");
	char *s = malloc(a + b + 1);
	if (s) {
		memcpy(s, lead, a);
		memcpy(s + a, reason ? reason : "", b + 1);
	}
	return s;
}

int comment_delete(struct db *db, int64_t id, int64_t user_id, bool staff, const char *reason, int64_t now,
		   struct field_errors *fe)
{
	int64_t author, created, target;
	const struct target_kind *kind;
	bool deleted;
	int found = load(db, id, &author, &created, &deleted, &kind, &target);
	if (found <= 0)
		return found < 0 ? COMMENT_ERROR : COMMENT_NOT_FOUND;
	if (!user_id || (author != user_id && !staff))
		return COMMENT_FORBIDDEN;
	if (deleted)
		return COMMENT_OK;
	bool by_staff = author != user_id;   /* someone else's: the team says why, in public */
	if (by_staff && moderation_validate_reason(reason, fe))
		return COMMENT_INVALID;
	if (!kind || !kind->comment_counted)
		return COMMENT_ERROR;   /* a kind this program does not know */
	if (db_begin(db) != DB_OK)
		return COMMENT_ERROR;
	/* only the first of two concurrent deletions counts */
	struct db_stmt *st = db_prepare(db,
		"UPDATE comments SET deleted_at = $2, deleted_by = $3, deleted_reason = $4, body_md = '', body_html = '' "
		"WHERE id = $1 AND deleted_at IS NULL RETURNING id");
	int rc = DB_ERROR;
	bool changed = false;
	if (st && db_bind(st, "iiis", id, now, user_id, by_staff ? reason : "") == DB_OK &&
	    (by_staff || db_bind_null(st, 4) == DB_OK)) {
		rc = db_step(st);
		changed = rc == DB_ROW;
		if (rc == DB_ROW)
			rc = DB_OK;
	}
	db_done(st);
	if (rc == DB_OK && changed) {
		/* a merged target's comments moved with them: its counter went along */
		if (kind->comment_counted(db, target, -1, now) < 0)
			rc = DB_ERROR;
		char *detail = by_staff ? malloc(strlen(reason) + 16) : NULL;
		if (detail)
			snprintf(detail, strlen(reason) + 16, "by staff: %s", reason);
		if (rc == DB_OK)
			rc = by_staff && !detail ? DB_ERROR : audit(db, user_id, "comment.delete", id, by_staff ? detail : "by author");
		free(detail);
		if (rc == DB_OK)
			rc = content_changed(db);
	}
	return finish(db, rc);
}

/* ---- reads ---- */

int comment_cursor_parse(const char *s, int64_t *id)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*id = v;
	return v > 0 ? 0 : -1;
}

#define COMMENT_COLS COMMENT_FIELDS " FROM comments c " COMMENT_AUTHOR_JOIN

/* Writes v (not negative) in decimal at p; returns the end. Every comment
 * of a page has a link: by hand, not by snprintf, which shows in profiles. */
static char *put_id(char *p, int64_t v)
{
	char digits[20];
	int n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* The kind of a row's target; the rows of one page share it, so the last
 * one found is asked first. */
static const struct target_kind *row_kind(struct db_stmt *st, const struct target_kind **last)
{
	const char *name = db_text(st, COL_KIND);
	if (!*last || strcmp((*last)->name, name) != 0)
		*last = target_kind_find(name);
	return *last;
}

static json_t *comment_row(struct db_stmt *st, const char *lang, const struct comment_viewer *v,
			   const struct target_kind **kindp)
{
	char iso[32], date[32], url[96];
	int64_t id = db_int(st, COL_ID), target = db_int(st, COL_TARGET), created = db_int(st, COL_CREATED);
	int64_t author = db_is_null(st, COL_AUTHOR) ? 0 : db_int(st, COL_AUTHOR);
	bool thread = db_is_null(st, COL_PARENT), deleted = !db_is_null(st, COL_DELETED);
	bool edited = !db_is_null(st, COL_EDITED), hidden = !db_is_null(st, COL_HIDDEN);
	bool api = !(v && v->page);   /* the JSON representation, or comment_get's and comment_replies' pages */
	json_t *o = json_object();
	jset_int(o, "id", id);
	if (api) {
		const struct target_kind *kind = row_kind(st, kindp);
		char key[40];
		snprintf(key, sizeof key, "%s_id", kind ? kind->name : "target");
		jset_int(o, key, target);
		jset(o, "parent_id", thread ? json_null() : json_integer(db_int(st, COL_PARENT)));
		if (kind && kind->path && strlen(kind->path) < 40) {
			char *p = put_id(stpcpy(url, kind->path), target);
			*put_id(stpcpy(p, "#comment-"), id) = '\0';
			jset_str(o, "url", url);
		} else {
			jset(o, "url", json_null());
		}
	}
	clock_format_iso(created, iso, sizeof iso);
	clock_format_date(created, lang, date, sizeof date);
	jset_str(o, "created_at", iso);
	jset_str(o, "created_date", date);
	jset(o, "deleted", json_boolean(deleted));
	if (deleted) {
		jset(o, "author", json_null());
		jset(o, "expert", json_false());
		jset(o, "edited", json_false());
		if (!db_is_null(st, COL_DELETED_REASON)) {   /* removed by the team, with a public reason */
			char *text = comment_removed_text(lang, db_text(st, COL_DELETED_REASON));
			jset_str(o, "removed_reason", db_text(st, COL_DELETED_REASON));
			jset(o, "removed_text", json_string(text ? text : ""));
			free(text);
		}
	} else {
		const char *name = db_text(st, COL_NAME);
		jset(o, "author", author && *name ? json_string_nocheck(name) : json_null());
		jset(o, "expert", json_boolean(strcmp(db_text(st, COL_ROLE), "spurgruppe") == 0));
		if (api)
			jset_str(o, "body", db_text(st, COL_BODY_MD));
		jset_str(o, "body_html", db_text(st, COL_BODY_HTML));
		jset(o, "edited", json_boolean(edited));
		if (edited) {
			clock_format_iso(db_int(st, COL_EDITED), iso, sizeof iso);
			jset_str(o, "edited_at", iso);
		}
	}
	/* moderation: a hidden comment shows the public reason instead of its body */
	moderation_comment_row(o, lang, id, deleted, hidden, hidden ? db_text(st, COL_HIDDEN_REASON) : "",
			       v ? v->user_id : 0, v && v->staff);
	bool mine = v && v->user_id && author == v->user_id;
	bool can_edit = !deleted && mine && comment_editable(created, v->now);
	bool can_delete = !deleted && v && v->user_id && (mine || v->staff);
	jset(o, "can_edit", json_boolean(can_edit));
	jset(o, "can_delete", json_boolean(can_delete));
	if (can_edit) {
		snprintf(url, sizeof url, "/comments/%" PRId64 "/edit", id);
		jset_str(o, "edit_url", url);
		if (api) {
			clock_format_iso(created + COMMENT_EDIT_SECONDS, iso, sizeof iso);
			jset_str(o, "editable_until", iso);
		}
	}
	if (can_delete) {
		snprintf(url, sizeof url, "/comments/%" PRId64 "/delete", id);
		jset_str(o, "delete_url", url);
		if (!mine)   /* staff removing someone else's comment: with a public reason */
			jset(o, "delete_needs_reason", json_true());
	}
	if (thread) {
		jset_int(o, "reply_count", db_int(st, COL_REPLIES));
		if (api) {
			clock_format_iso(db_int(st, COL_LAST_ACTIVITY), iso, sizeof iso);
			jset_str(o, "last_activity_at", iso);
		}
	}
	return o;
}

/* Replies of thread after id, oldest first; *more set when there are more
 * than limit. NULL when the database failed. */
static json_t *replies(struct db *db, const char *lang, const struct comment_viewer *v, int64_t thread,
		       int64_t after, int limit, bool *more, int64_t *last_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " COMMENT_COLS
		"WHERE c.parent_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3");
	json_t *items = json_array();
	const struct target_kind *kind = NULL;
	*more = false;
	int rc = st ? db_bind(st, "iii", thread, after, (int64_t)limit + 1) : DB_ERROR;
	int n = 0;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (n++ == limit) {
			*more = true;
			break;
		}
		*last_id = db_int(st, COL_ID);
		json_array_append_new(items, comment_row(st, lang, v, &kind));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	return items;
}

static json_t *cursor(int64_t id)
{
	char s[24];
	snprintf(s, sizeof s, "%" PRId64, id);
	return json_string(s);
}

static int clamp(int limit, int def, int max)
{
	return limit < 1 ? def : limit > max ? max : limit;
}

/* A thread of the page being put together from the rows of the kind's
 * COMMENT_THREADS_SQL. */
struct shown_thread {
	int64_t id, activity;
	json_t *row;                                   /* NULL until its own row came */
	int nreplies;
	int64_t reply_id[COMMENT_REPLIES_SHOWN + 1];   /* oldest first */
	json_t *reply[COMMENT_REPLIES_SHOWN + 1];
};

/* The thread id among the first *n of shown, added when it is not there yet
 * and there is room for it (cap); NULL otherwise. */
static struct shown_thread *shown_thread(struct shown_thread *shown, int *n, int cap, int64_t id, int64_t activity)
{
	for (int i = 0; i < *n; i++)
		if (shown[i].id == id)
			return &shown[i];
	if (*n == cap)
		return NULL;
	shown[*n] = (struct shown_thread){ .id = id, .activity = activity };
	return &shown[(*n)++];
}

/* Keeps a thread's replies in id order. */
static void shown_reply(struct shown_thread *t, int64_t id, json_t *reply)
{
	if (t->nreplies == COMMENT_REPLIES_SHOWN + 1) {   /* the statement reads no more */
		json_decref(reply);
		return;
	}
	int i = t->nreplies++;
	for (; i > 0 && t->reply_id[i - 1] > id; i--) {
		t->reply_id[i] = t->reply_id[i - 1];
		t->reply[i] = t->reply[i - 1];
	}
	t->reply_id[i] = id;
	t->reply[i] = reply;
}

static int newest_activity_first(const void *a, const void *b)
{
	int64_t x = ((const struct shown_thread *)a)->activity, y = ((const struct shown_thread *)b)->activity;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The thread's view: its row with replies (the first COMMENT_REPLIES_SHOWN)
 * and more_replies {count, hidden, url} when it has more, else null. */
static json_t *thread_view(struct shown_thread *t)
{
	json_t *replies = json_array();
	for (int i = 0; i < t->nreplies; i++) {
		if (i < COMMENT_REPLIES_SHOWN)
			json_array_append_new(replies, t->reply[i]);
		else
			json_decref(t->reply[i]);
	}
	jset(t->row, "replies", replies);
	if (t->nreplies <= COMMENT_REPLIES_SHOWN) {
		jset(t->row, "more_replies", json_null());
		return t->row;
	}
	int64_t n = json_integer_value(json_object_get(t->row, "reply_count"));
	char url[64];
	snprintf(url, sizeof url, "/comments/%" PRId64 "/replies", t->id);
	json_t *m = json_object();
	jset_int(m, "count", n);
	jset_int(m, "hidden", n - COMMENT_REPLIES_SHOWN);
	jset_str(m, "url", url);
	jset(t->row, "more_replies", m);
	return t->row;
}

int comment_threads(struct db *db, const char *lang, const struct target_kind *kind, int64_t target_id,
		    const struct comment_viewer *v, int64_t before, int limit, json_t **out)
{
	*out = NULL;
	if (!kind->comment_threads_sql)
		return 0;   /* this kind takes no comments */
	limit = clamp(limit, COMMENT_THREADS_PAGE, COMMENT_THREADS_MAX);
	struct shown_thread shown[COMMENT_THREADS_MAX];
	int n = 0;
	int64_t count = -1;   /* no such target until its row comes */
	bool older = false;
	const struct target_kind *row_kind_seen = kind;
	struct db_stmt *st = db_prepare(db, kind->comment_threads_sql);
	int rc = st ? db_bind(st, "iiiiis", target_id, before, (int64_t)limit, (int64_t)COMMENT_REPLIES_SHOWN,
			      INT64_MAX, kind->name) : DB_ERROR;
	if (rc == DB_OK) {
		while ((rc = db_step(st)) == DB_ROW) {
			if (!db_is_null(st, COL_TARGET_COUNT)) {
				count = db_int(st, COL_TARGET_COUNT);
				older = db_int(st, COL_OLDER) != 0;
			}
			if (db_is_null(st, COL_ID))   /* the target's row, no thread shown */
				continue;
			bool reply = !db_is_null(st, COL_PARENT);
			struct shown_thread *t = shown_thread(shown, &n, limit, db_int(st, reply ? COL_PARENT : COL_ID),
							      db_int(st, COL_THREAD_ACTIVITY));
			if (!t)
				continue;
			json_t *row = comment_row(st, lang, v, &row_kind_seen);
			if (reply)
				shown_reply(t, db_int(st, COL_ID), row);
			else
				t->row = row;
		}
	}
	db_done(st);
	bool failed = rc != DB_OK;   /* half a page is no page */
	qsort(shown, (size_t)n, sizeof shown[0], newest_activity_first);
	json_t *items = failed || count < 0 ? NULL : json_array();
	for (int i = 0; i < n; i++) {
		if (items && shown[i].row) {
			json_array_append_new(items, thread_view(&shown[i]));
			continue;
		}
		json_decref(shown[i].row);   /* only when the statement failed */
		for (int k = 0; k < shown[i].nreplies; k++)
			json_decref(shown[i].reply[k]);
	}
	if (!items)
		return failed ? -1 : 0;
	json_t *page = json_object();
	jset_int(page, "count", count);
	jset(page, "items", items);
	jset(page, "next", older && n ? cursor(shown[n - 1].activity) : json_null());
	jset_int(page, "limit", limit);
	*out = page;
	return 1;
}

json_t *comment_latest(struct db *db, const char *lang, const struct target_kind *kind, int64_t target_id,
		       int limit)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " COMMENT_COLS "WHERE c.target_kind = $1 AND c.target_id = $2 AND c.deleted_at IS NULL "
		"AND c.hidden_at IS NULL ORDER BY c.created_at DESC, c.id DESC LIMIT $3");
	json_t *items = json_array();
	const struct target_kind *seen = kind;
	int rc = st ? db_bind(st, "sii", kind->name, target_id, (int64_t)limit) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_array_append_new(items, comment_row(st, lang, NULL, &seen));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	return items;
}

int comment_target_of(struct db *db, int64_t id, const struct target_kind **kind, int64_t *target_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT target_kind, target_id FROM comments WHERE id = $1");
	enum { T_KIND, T_ID };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*kind = target_kind_find(db_text(st, T_KIND));
		*target_id = db_int(st, T_ID);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

/* One comment's row as comment_row makes it: 1, 0 or -1. */
static int get_one(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v, json_t **out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COMMENT_COLS "WHERE c.id = $1");
	const struct target_kind *kind = NULL;
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	*out = rc == DB_ROW ? comment_row(st, lang, v, &kind) : NULL;
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int comment_get(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v, json_t **out)
{
	int found = get_one(db, lang, id, v, out);
	if (found == 1) {
		json_t *p = json_object_get(*out, "parent_id");
		jset(*out, "thread_id", json_is_null(p) ? json_integer(id) : json_incref(p));
	}
	return found;
}

int comment_replies(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v, int64_t after,
		    int limit, json_t **out)
{
	*out = NULL;
	limit = clamp(limit, COMMENT_REPLIES_PAGE, COMMENT_REPLIES_MAX);
	json_t *c;
	int found = get_one(db, lang, id, v, &c);
	if (found <= 0)
		return found;
	json_t *p = json_object_get(c, "parent_id");
	if (!json_is_null(p)) {          /* a reply: show its whole thread */
		int64_t thread = json_integer_value(p);
		json_decref(c);
		if ((found = get_one(db, lang, thread, v, &c)) <= 0)
			return found;
		id = thread;
	}
	bool more = false;
	int64_t li = 0;
	json_t *items = replies(db, lang, v, id, after, limit, &more, &li);
	if (!items) {
		json_decref(c);
		return -1;
	}
	json_t *page = json_object();
	jset(page, "thread", c);
	jset(page, "items", items);
	jset(page, "next", more ? cursor(li) : json_null());
	jset_int(page, "limit", limit);
	*out = page;
	return 1;
}

/* ---- comments as a target of the moderation ---- */

static int comment_state(struct db *db, int64_t id, bool lock)
{
	(void)lock;
	struct db_stmt *st = db_prepare(db, "SELECT hidden_at FROM comments WHERE id = $1 AND deleted_at IS NULL");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	int state = rc == DB_ROW ? (db_is_null(st, 0) ? TARGET_OPEN : TARGET_HIDDEN) : rc == DB_OK ? 0 : -1;
	db_done(st);
	return state;   /* a deleted comment counts as gone */
}

/* The page a comment shows on: {id, title, url} of its target, with the
 * url pointing at the comment. */
static int comment_ref(struct db *db, int64_t id, json_t **out)
{
	const struct target_kind *kind;
	int64_t target;
	*out = NULL;
	int found = comment_target_of(db, id, &kind, &target);
	if (found <= 0)
		return found;
	if (!kind || !kind->ref)
		return -1;
	if ((found = kind->ref(db, target, out)) <= 0)
		return found;
	const char *url = json_string_value(json_object_get(*out, "url"));
	char with[160];
	snprintf(with, sizeof with, "%s#comment-%" PRId64, url ? url : "", id);
	jset_str(*out, "url", with);
	return 1;
}

static int comment_set_hidden(struct db *db, int64_t id, const char *reason, int64_t now)
{
	struct db_stmt *st = db_prepare(db, reason
		? "UPDATE comments SET hidden_at = COALESCE(hidden_at, $2), hidden_reason = $3 "
		  "WHERE id = $1 AND deleted_at IS NULL RETURNING id"
		: "UPDATE comments SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1 RETURNING id");
	int rc = !st ? DB_ERROR : reason ? db_bind(st, "iis", id, now, reason) : db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

/* author {id, name, role, blocked} from four columns starting at col, or null. */
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

static int comment_moderation_item(struct db *db, int64_t id, json_t *item)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.target_kind, c.target_id, c.body_html, c.hidden_at, c.deleted_at, "
		"  u.id, COALESCE(u.name, ''), COALESCE(u.role, ''), u.blocked_at "
		"FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.id = $1");
	enum { M_KIND, M_TARGET, M_HTML, M_HIDDEN, M_DELETED, M_AUTHOR };
	const struct target_kind *kind = NULL;
	int64_t target = 0;
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		kind = target_kind_find(db_text(st, M_KIND));
		target = db_int(st, M_TARGET);
		jset_str(item, "content_html", db_text(st, M_HTML));
		jset(item, "hidden", json_boolean(!db_is_null(st, M_HIDDEN)));
		jset(item, "deleted", json_boolean(!db_is_null(st, M_DELETED)));
		jset(item, "author", author_object(st, M_AUTHOR));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_OK ? 0 : -1;
	json_t *page = NULL;
	if (!kind || !kind->ref || kind->ref(db, target, &page) < 0)
		return -1;
	if (page) {
		const char *url = json_string_value(json_object_get(page, "url"));
		char with[160];
		snprintf(with, sizeof with, "%s#comment-%" PRId64, url ? url : "", id);
		jset_str(item, "url", with);
		jset(item, kind->name, json_incref(page));
		jset(item, "on_page", page);
	}
	return 1;
}

const struct target_kind comment_target = {
	.name = "comment",
	.routes = "/comments/",
	.state = comment_state,
	.ref = comment_ref,
	.page = comment_target_of,
	.set_hidden = comment_set_hidden,
	.moderation_item = comment_moderation_item,
};
