#include "domain/comment.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
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

/* The followers of the idea hear of a new comment (an answer: NOTIFY_COMMENT_REPLY),
 * and the author of the comment answered too when not following; once per
 * person, never the writer. In the caller's transaction. */
static int notify_comment(struct db *db, int64_t idea_id, int64_t author_id, bool reply,
			  const struct comment_added *c)
{
	char data[48], subject[32];
	snprintf(data, sizeof data, "{\"comment_id\": %" PRId64 "}", c->id);
	int rc = notify_followers_of_idea(db, idea_id, author_id, reply ? NOTIFY_COMMENT_REPLY : NOTIFY_IDEA_COMMENT,
					  data);
	if (rc != DB_OK || !reply || !c->parent_author_id ||
	    db_one_int(db, 0, "SELECT COUNT(*) FROM idea_follows WHERE idea_id = $1 AND user_id = $2", "ii", idea_id,
		       c->parent_author_id) != 0)
		return rc;
	snprintf(subject, sizeof subject, "idea:%" PRId64, idea_id);
	return notify_user(db, c->parent_author_id, author_id, NOTIFY_COMMENT_REPLY, subject, data);
}

/* Whether comments may be added to the idea: COMMENT_OK, or NOT_FOUND or
 * MERGED. Outside a transaction, to explain a refusal. */
static int idea_state(struct db *db, int64_t idea_id)
{
	int64_t state = db_one_int(db, 0, "SELECT CASE WHEN merged_into IS NULL THEN 1 ELSE 2 END FROM ideas "
				   "WHERE id = $1", "i", idea_id);
	return state == 1 ? COMMENT_OK : state == 2 ? COMMENT_MERGED : COMMENT_NOT_FOUND;
}

int comment_add(struct db *db, int64_t idea_id, int64_t author_id, int64_t parent_id, const char *body,
		int64_t now, struct field_errors *fe, struct comment_added *out)
{
	*out = (struct comment_added){ .idea_id = idea_id };
	if (comment_validate(body, fe))
		return COMMENT_INVALID;
	char *html = comment_render(body);
	if (!html)
		return COMMENT_ERROR;
	if (db_begin(db) != DB_OK) {
		free(html);
		return COMMENT_ERROR;
	}
	int rc = DB_OK;
	int64_t thread = 0;
	if (parent_id) {
		struct db_stmt *st = db_prepare(db,
			"SELECT idea_id, parent_id, author_id, deleted_at FROM comments WHERE id = $1");
		bool ok = false;
		if (st && db_bind(st, "i", parent_id) == DB_OK && db_step(st) == DB_ROW) {
			ok = db_int(st, 0) == idea_id && db_is_null(st, 3);
			thread = db_is_null(st, 1) ? parent_id : db_int(st, 1);
			out->parent_author_id = db_is_null(st, 2) ? 0 : db_int(st, 2);
		}
		db_done(st);
		if (!ok) {
			db_rollback(db);
			free(html);
			out->parent_author_id = 0;
			int state = idea_state(db, idea_id);
			if (state != COMMENT_OK)
				return state;
			field_error(fe, "parent", "invalid");
			return COMMENT_INVALID;
		}
	}
	/* no such idea: the foreign key refuses the row (SQLite at once; the
	 * idea's state is read then, to tell); an idea merged into another: its
	 * UPDATE below refuses */
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO comments (idea_id, parent_id, author_id, body_md, body_html, created_at, last_activity_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id");
	rc = DB_ERROR;
	if (st && db_bind(st, "iiissi", idea_id, thread, author_id, body, html, now) == DB_OK) {
		if (!thread)
			db_bind_null(st, 2);
		if ((rc = db_step(st)) == DB_ROW) {
			out->id = db_int(st, 0);
			rc = DB_OK;
		}
	}
	db_done(st);
	free(html);
	if (rc == DB_CONSTRAINT) {
		db_rollback(db);
		int state = idea_state(db, idea_id);
		return state != COMMENT_OK ? state : COMMENT_ERROR;
	}
	out->thread_id = thread ? thread : out->id;
	if (rc == DB_OK && thread)
		rc = db_run(db, "UPDATE comments SET reply_count = reply_count + 1, activity_id = $3, "
			    "last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END "
			    "WHERE id = $1", "iii", thread, now, out->id);
	else if (rc == DB_OK)
		rc = db_run(db, "UPDATE comments SET activity_id = id WHERE id = $1", "i", out->id);
	if (rc == DB_OK)
		rc = notify_comment(db, idea_id, author_id, thread != 0, out);
	if (rc == DB_OK)
		rc = audit(db, author_id, thread ? "comment.reply" : "comment.add", out->id, "");
	/* The rows every writer of the idea updates come last, so that their
	 * locks are held for the shortest time (posts to one idea queue there).
	 * Not on an idea merged meanwhile: the UPDATE waits for a merge that
	 * holds the row (merge locks both ideas first), then sees merged_into. */
	if (rc == DB_OK && db_one_int(db, 0, "UPDATE ideas SET comment_count = comment_count + 1, "
			    "last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END "
			    "WHERE id = $1 AND merged_into IS NULL RETURNING 1", "ii", idea_id, now) != 1) {
		db_rollback(db);   /* merged meanwhile, or (PostgreSQL checks the key at the commit) no such idea */
		int state = idea_state(db, idea_id);
		return state != COMMENT_OK ? state : COMMENT_ERROR;
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}

/* The comment's author, creation and deletion; 0 when there is none. */
static int load(struct db *db, int64_t id, int64_t *author, int64_t *created, bool *deleted, int64_t *idea)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT author_id, created_at, deleted_at, idea_id FROM comments WHERE id = $1");
	int found = 0;
	if (st && db_bind(st, "i", id) == DB_OK && db_step(st) == DB_ROW) {
		*author = db_is_null(st, 0) ? 0 : db_int(st, 0);
		*created = db_int(st, 1);
		*deleted = !db_is_null(st, 2);
		*idea = db_int(st, 3);
		found = 1;
	}
	db_done(st);
	return found;
}

int comment_may_edit(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	int64_t author, created, idea;
	bool deleted;
	if (!load(db, id, &author, &created, &deleted, &idea))
		return COMMENT_NOT_FOUND;
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

int comment_delete(struct db *db, int64_t id, int64_t user_id, bool staff, int64_t now)
{
	int64_t author, created, idea;
	bool deleted;
	if (!load(db, id, &author, &created, &deleted, &idea))
		return COMMENT_NOT_FOUND;
	if (!user_id || (author != user_id && !staff))
		return COMMENT_FORBIDDEN;
	if (deleted)
		return COMMENT_OK;
	if (db_begin(db) != DB_OK)
		return COMMENT_ERROR;
	/* only the first of two concurrent deletions counts */
	struct db_stmt *st = db_prepare(db,
		"UPDATE comments SET deleted_at = $2, deleted_by = $3, body_md = '', body_html = '' "
		"WHERE id = $1 AND deleted_at IS NULL RETURNING id");
	int rc = DB_ERROR;
	bool changed = false;
	if (st && db_bind(st, "iii", id, now, user_id) == DB_OK) {
		rc = db_step(st);
		changed = rc == DB_ROW;
		if (rc == DB_ROW)
			rc = DB_OK;
	}
	db_done(st);
	if (rc == DB_OK && changed) {
		rc = db_run(db, "UPDATE ideas SET comment_count = comment_count - 1 WHERE id = $1", "i", idea);
		if (rc == DB_OK)
			rc = audit(db, user_id, "comment.delete", id, author == user_id ? "by author" : "by staff");
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

/* The columns comment_row reads (0 to 15), of comments c and users u. */
#define COMMENT_FIELDS \
	"c.id, c.idea_id, c.parent_id, c.author_id, COALESCE(u.name, ''), COALESCE(u.role, ''), " \
	"c.body_md, c.body_html, c.created_at, c.edited_at, c.deleted_at, c.reply_count, c.last_activity_at, " \
	"c.activity_id, c.hidden_at, c.hidden_reason"
#define COMMENT_AUTHOR_JOIN "LEFT JOIN users u ON u.id = c.author_id "
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

static json_t *comment_row(struct db_stmt *st, const char *lang, const struct comment_viewer *v)
{
	char iso[32], date[32], url[64];
	int64_t id = db_int(st, 0), idea = db_int(st, 1), created = db_int(st, 8);
	int64_t author = db_is_null(st, 3) ? 0 : db_int(st, 3);
	bool thread = db_is_null(st, 2), deleted = !db_is_null(st, 10), edited = !db_is_null(st, 9);
	bool hidden = !db_is_null(st, 14);
	bool api = !(v && v->page);   /* the JSON representation, or comment_get's and comment_replies' pages */
	json_t *o = json_object();
	jset_int(o, "id", id);
	if (api) {
		jset_int(o, "idea_id", idea);
		jset(o, "parent_id", thread ? json_null() : json_integer(db_int(st, 2)));
		char *p = put_id(stpcpy(url, "/ideas/"), idea);
		*put_id(stpcpy(p, "#comment-"), id) = '\0';
		jset_str(o, "url", url);
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
	} else {
		const char *name = db_text(st, 4);
		jset(o, "author", author && *name ? json_string_nocheck(name) : json_null());
		jset(o, "expert", json_boolean(strcmp(db_text(st, 5), "spurgruppe") == 0));
		if (api)
			jset_str(o, "body", db_text(st, 6));
		jset_str(o, "body_html", db_text(st, 7));
		jset(o, "edited", json_boolean(edited));
		if (edited) {
			clock_format_iso(db_int(st, 9), iso, sizeof iso);
			jset_str(o, "edited_at", iso);
		}
	}
	/* moderation: a hidden comment shows the public reason instead of its body */
	moderation_comment_row(o, lang, id, deleted, hidden, hidden ? db_text(st, 15) : "", v ? v->user_id : 0,
			       v && v->staff);
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
	}
	if (thread) {
		jset_int(o, "reply_count", db_int(st, 11));
		if (api) {
			clock_format_iso(db_int(st, 12), iso, sizeof iso);
			jset_str(o, "last_activity_at", iso);
		}
	}
	return o;
}

/* Replies of thread after (t, id), oldest first; *more set when there are
 * more than limit. */
static json_t *replies(struct db *db, const char *lang, const struct comment_viewer *v, int64_t thread,
		       int64_t after, int limit, bool *more, int64_t *last_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " COMMENT_COLS
		"WHERE c.parent_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3");
	json_t *items = json_array();
	*more = false;
	if (st && db_bind(st, "iii", thread, after, (int64_t)limit + 1) == DB_OK) {
		int n = 0;
		while (db_step(st) == DB_ROW) {
			if (n++ == limit) {
				*more = true;
				break;
			}
			*last_id = db_int(st, 0);
			json_array_append_new(items, comment_row(st, lang, v));
		}
	}
	db_done(st);
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

/* One page of threads and the first replies of each, in one statement (one
 * snapshot, one round trip). shown: the page's threads ($1 idea, $2 cursor,
 * $3 page size), each with upto, the id of its ($4 + 1)th reply ($5 when it
 * has fewer). Then the threads' rows, starting from the idea so that the
 * statement also says whether there is such an idea, its comment_count and
 * whether older threads follow (a row of NULL comment columns when no
 * thread is shown); and their replies up to upto, read through the index on
 * (parent_id, id) so that a long thread costs no more than a short one.
 * Columns 0 to 15 are COMMENT_FIELDS, 16 the thread's activity_id, 17 the
 * comment_count and 18 "older threads follow" (both NULL on replies). No
 * ORDER BY: sorting these wide rows costs SQLite more than ordering in C. */
static const char threads_sql[] =
	"WITH shown AS (SELECT t.id, t.activity_id, COALESCE((SELECT r.id FROM comments r "
	"    WHERE r.parent_id = t.id ORDER BY r.id LIMIT 1 OFFSET $4), $5) AS upto "
	"  FROM comments t WHERE t.idea_id = $1 AND t.parent_id IS NULL AND ($2 = 0 OR t.activity_id < $2) "
	"  ORDER BY t.activity_id DESC LIMIT $3) "
	"SELECT " COMMENT_FIELDS ", s.activity_id, i.comment_count, "
	"  CASE WHEN EXISTS (SELECT 1 FROM comments o WHERE o.idea_id = $1 AND o.parent_id IS NULL "
	"    AND o.activity_id < (SELECT MIN(activity_id) FROM shown)) THEN 1 ELSE 0 END "
	"FROM ideas i LEFT JOIN shown s ON 1 = 1 LEFT JOIN comments c ON c.id = s.id " COMMENT_AUTHOR_JOIN
	"WHERE i.id = $1 "
	"UNION ALL "
	"SELECT " COMMENT_FIELDS ", s.activity_id, NULL, NULL FROM shown s "
	"  JOIN comments c ON c.parent_id = s.id AND c.id <= s.upto " COMMENT_AUTHOR_JOIN;

/* A thread of the page being put together from the rows of threads_sql. */
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
	if (t->nreplies == COMMENT_REPLIES_SHOWN + 1) {   /* threads_sql reads no more */
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

json_t *comment_threads(struct db *db, const char *lang, int64_t idea_id, const struct comment_viewer *v,
			int64_t before, int limit)
{
	limit = clamp(limit, COMMENT_THREADS_PAGE, COMMENT_THREADS_MAX);
	struct shown_thread shown[COMMENT_THREADS_MAX];
	int n = 0;
	int64_t count = -1;   /* no such idea until its row comes */
	bool older = false;
	struct db_stmt *st = db_prepare(db, threads_sql);
	int rc = st ? db_bind(st, "iiiii", idea_id, before, (int64_t)limit, (int64_t)COMMENT_REPLIES_SHOWN,
			      INT64_MAX) : DB_ERROR;
	if (rc == DB_OK) {
		while ((rc = db_step(st)) == DB_ROW) {
			if (!db_is_null(st, 17)) {
				count = db_int(st, 17);
				older = db_int(st, 18) != 0;
			}
			if (db_is_null(st, 0))   /* the idea's row, no thread shown */
				continue;
			bool reply = !db_is_null(st, 2);
			struct shown_thread *t = shown_thread(shown, &n, limit, db_int(st, reply ? 2 : 0), db_int(st, 16));
			if (!t)
				continue;
			json_t *row = comment_row(st, lang, v);
			if (reply)
				shown_reply(t, db_int(st, 0), row);
			else
				t->row = row;
		}
	}
	db_done(st);
	if (rc != DB_OK)
		count = -1;          /* half a page is no page */
	qsort(shown, (size_t)n, sizeof shown[0], newest_activity_first);
	json_t *items = count < 0 ? NULL : json_array();
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
		return NULL;
	json_t *out = json_object();
	jset_int(out, "count", count);
	jset(out, "items", items);
	jset(out, "next", older && n ? cursor(shown[n - 1].activity) : json_null());
	jset_int(out, "limit", limit);
	return out;
}

json_t *comment_latest(struct db *db, const char *lang, int64_t idea_id, int limit)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " COMMENT_COLS "WHERE c.idea_id = $1 AND c.deleted_at IS NULL AND c.hidden_at IS NULL "
		"ORDER BY c.created_at DESC, c.id DESC LIMIT $2");
	json_t *items = json_array();
	if (st && db_bind(st, "ii", idea_id, (int64_t)limit) == DB_OK)
		while (db_step(st) == DB_ROW)
			json_array_append_new(items, comment_row(st, lang, NULL));
	db_done(st);
	return items;
}

int64_t comment_idea_of(struct db *db, int64_t id)
{
	return db_one_int(db, 0, "SELECT idea_id FROM comments WHERE id = $1", "i", id);
}

static json_t *get_one(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COMMENT_COLS "WHERE c.id = $1");
	json_t *o = NULL;
	if (st && db_bind(st, "i", id) == DB_OK && db_step(st) == DB_ROW)
		o = comment_row(st, lang, v);
	db_done(st);
	return o;
}

json_t *comment_get(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v)
{
	json_t *o = get_one(db, lang, id, v);
	if (o) {
		json_t *p = json_object_get(o, "parent_id");
		jset(o, "thread_id", json_is_null(p) ? json_integer(id) : json_incref(p));
	}
	return o;
}

json_t *comment_replies(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v,
			int64_t after, int limit)
{
	limit = clamp(limit, COMMENT_REPLIES_PAGE, COMMENT_REPLIES_MAX);
	json_t *c = get_one(db, lang, id, v);
	if (!c)
		return NULL;
	json_t *p = json_object_get(c, "parent_id");
	if (!json_is_null(p)) {          /* a reply: show its whole thread */
		int64_t thread = json_integer_value(p);
		json_decref(c);
		c = get_one(db, lang, thread, v);
		if (!c)
			return NULL;
		id = thread;
	}
	bool more = false;
	int64_t li = 0;
	json_t *items = replies(db, lang, v, id, after, limit, &more, &li);
	json_t *out = json_object();
	jset(out, "thread", c);
	jset(out, "items", items);
	jset(out, "next", more ? cursor(li) : json_null());
	jset_int(out, "limit", limit);
	return out;
}
