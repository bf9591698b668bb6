/* Comments on a real migrated database (SQLite, or PostgreSQL when
 * UNBOX_TEST_PG names a scripts/pgtmp cluster): validation, the Markdown
 * subset, one-level threading, the 15-minute edit window (now passed in),
 * soft deletion, the counters kept on write, and paging. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testdb.h"
#include "testtargets.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/comment.h"
#include "domain/content.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/moderation.h"
#include "domain/place.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */
#define NOW (T0 + 2 * DAY)

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, author, other, expert, idea, idea2;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "$argon2id$v=19$m=65536,t=2,p=1$x$y", role, T0, &id), DB_OK);
	return id;
}

static int64_t submit(struct fixture *f, const char *title)
{
	struct idea_input in = { .title = title, .summary = "Sitzgelegenheiten entlang der Promenade.",
				 .description = "Entlang der Promenade fehlen Bänke für alle.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(f->db, f->author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	return id;
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("comment", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->author = make_user(f->db, "anna@example.org", "Anna Autorin", "resident");
	f->other = make_user(f->db, "ben@example.org", "Ben Beispiel", "resident");
	f->expert = make_user(f->db, "eva@example.org", "Eva Expertin", "spurgruppe");
	f->idea = submit(f, "Mehr Bänke am Rhein");
	f->idea2 = submit(f, "Trinkbrunnen im Park");
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static int64_t idea_comments(struct db *db, int64_t idea)
{
	return db_one_int(db, -1, "SELECT comment_count FROM ideas WHERE id = $1", "i", idea);
}

static int64_t add(struct fixture *f, int64_t idea, int64_t author, int64_t parent, const char *body, int64_t now)
{
	struct field_errors fe = { 0 };
	struct comment_added out;
	assert_int_equal(comment_add(f->db, &idea_target, idea, author, parent, body, now, &fe, &out), COMMENT_OK);
	assert_int_equal(fe.count, 0);
	assert_true(out.id > 0);
	return out.id;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- pure ---- */

static void test_validate(void **state)
{
	struct field_errors fe = { 0 };
	assert_int_equal(comment_validate("Gute Idee!", &fe), 0);
	assert_int_equal(comment_validate("a", &fe), 0);
	assert_int_equal(comment_validate(NULL, &fe), 1);
	assert_string_equal(field_error_for(&fe, "body"), "required");
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_validate(" \n\t ", &fe), 1);
	assert_string_equal(field_error_for(&fe, "body"), "required");

	/* 5,000 characters pass, 5,001 do not; counted in characters, not bytes */
	char *s = malloc(COMMENT_BODY_MAX * 2 + 3);
	for (int i = 0; i < COMMENT_BODY_MAX; i++)
		memcpy(s + 2 * i, "ä", 2);
	s[2 * COMMENT_BODY_MAX] = '\0';
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_validate(s, &fe), 0);
	strcat(s, "x");
	assert_int_equal(comment_validate(s, &fe), 1);
	assert_string_equal(field_error_for(&fe, "body"), "too_long");
	free(s);

	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_validate("bad \xff byte", &fe), 1);
	assert_string_equal(field_error_for(&fe, "body"), "invalid");
	/* several lines are fine */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_validate("Zeile 1\r\nZeile 2\n\n- Punkt", &fe), 0);
}

static void test_edit_window(void **state)
{
	assert_true(comment_editable(NOW, NOW));
	assert_true(comment_editable(NOW, NOW + 15 * 60 - 1));
	assert_false(comment_editable(NOW, NOW + 15 * 60));
	assert_false(comment_editable(NOW, NOW + DAY));
	assert_false(comment_editable(NOW, NOW - 1));    /* a clock that went back gives no licence */
}

static void test_render_subset(void **state)
{
	char *h = comment_render("**fett** und *kursiv*\n\n- eins\n- zwei");
	assert_string_equal(h, "<p><strong>fett</strong> und <em>kursiv</em></p>\n<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n");
	free(h);
	/* raw HTML dropped, script never reaches the page */
	h = comment_render("Hallo <script>alert(1)</script> <b onclick=\"x\">b</b>\n\n<iframe src=\"//evil\"></iframe>");
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<b "));
	assert_null(strstr(h, "<iframe"));
	free(h);
	/* unsafe schemes removed; links marked as user content */
	h = comment_render("[klick](javascript:alert(1)) [da](https://example.org/a?b=1&c=2)");
	assert_null(strstr(h, "javascript"));
	assert_non_null(strstr(h, "<a rel=\"nofollow ugc\" href=\"https://example.org/a?b=1&amp;c=2\">da</a>"));
	assert_non_null(strstr(h, "<a rel=\"nofollow ugc\" href=\"\">klick</a>"));
	free(h);
	/* headings become bold paragraphs, images links */
	h = comment_render("# Titel\n\nText\n\n![Bild](https://example.org/x.png \"T\")");
	assert_string_equal(h, "<p><strong>Titel</strong></p>\n<p>Text</p>\n"
			       "<p><a rel=\"nofollow ugc\" href=\"https://example.org/x.png\" title=\"T\">Bild</a></p>\n");
	free(h);
	h = comment_render("![](https://example.org/y.png) Setext\n===");
	assert_string_equal(h, "<p><strong><a rel=\"nofollow ugc\" href=\"https://example.org/y.png\">"
			       "https://example.org/y.png</a> Setext</strong></p>\n");
	free(h);
	h = comment_render("![x](javascript:alert(1))");
	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "javascript"));
	free(h);
	/* text that looks like a link tag is escaped, not rewritten */
	h = comment_render("`<a href=\"x\">` und <a href=\"y\">");
	assert_null(strstr(h, "nofollow"));
	assert_non_null(strstr(h, "&lt;a href=&quot;x&quot;&gt;"));
	free(h);
}

static void test_cursor(void **state)
{
	int64_t id;
	assert_int_equal(comment_cursor_parse("12", &id), 0);
	assert_int_equal(id, 12);
	assert_int_equal(comment_cursor_parse("", &id), -1);
	assert_int_equal(comment_cursor_parse(NULL, &id), -1);
	assert_int_equal(comment_cursor_parse("0", &id), -1);
	assert_int_equal(comment_cursor_parse("-1", &id), -1);
	assert_int_equal(comment_cursor_parse("1.2", &id), -1);
	assert_int_equal(comment_cursor_parse("12x", &id), -1);
	assert_int_equal(comment_cursor_parse(" 12", &id), -1);
	assert_int_equal(comment_cursor_parse("9999999999999999999999", &id), -1);
}

/* ---- with a database ---- */

static void test_add_thread_and_replies(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t v0 = content_version(db);
	struct field_errors fe = { 0 };
	struct comment_added out;
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->other, 0, "Tolle *Idee*", NOW, &fe, &out), COMMENT_OK);
	assert_true(content_version(db) > v0);
	int64_t t1 = out.id;
	assert_int_equal(out.target_id, f->idea);
	assert_int_equal(out.thread_id, t1);
	assert_int_equal(out.parent_author_id, 0);
	assert_int_equal(idea_comments(db, f->idea), 1);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'comment.add' AND subject = $1",
				    "s", "comment:1"), 1);

	/* a reply */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->author, t1, "Danke!", NOW + 10, &fe, &out), COMMENT_OK);
	int64_t r1 = out.id;
	assert_int_equal(out.thread_id, t1);
	assert_int_equal(out.parent_author_id, f->other);
	/* a reply to the reply joins the same thread, one level deep */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->expert, r1, "Aus fachlicher Sicht: ja.", NOW + 20, &fe, &out),
			 COMMENT_OK);
	int64_t r2 = out.id;
	assert_int_equal(out.thread_id, t1);
	assert_int_equal(out.parent_author_id, f->author);
	assert_int_equal(db_one_int(db, -1, "SELECT parent_id FROM comments WHERE id = $1", "i", r2), t1);
	assert_int_equal(db_one_int(db, -1, "SELECT reply_count FROM comments WHERE id = $1", "i", t1), 2);
	assert_int_equal(db_one_int(db, -1, "SELECT last_activity_at FROM comments WHERE id = $1", "i", t1), NOW + 20);
	assert_int_equal(db_one_int(db, -1, "SELECT activity_id FROM comments WHERE id = $1", "i", t1), r2);
	assert_int_equal(idea_comments(db, f->idea), 3);
	assert_int_equal(idea_comments(db, f->idea2), 0);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'comment.reply'", NULL), 2);

	/* bad input stores nothing */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->other, 0, "   ", NOW, &fe, &out), COMMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "body"), "required");
	/* a parent on another idea, or none at all */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea2, f->other, t1, "Hallo", NOW, &fe, &out), COMMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "parent"), "invalid");
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->other, 9999, "Hallo", NOW, &fe, &out), COMMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "parent"), "invalid");
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, 9999, f->other, 0, "Hallo", NOW, &fe, &out), COMMENT_NOT_FOUND);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments", NULL), 3);
	assert_int_equal(idea_comments(db, f->idea), 3);
	assert_int_equal(idea_comments(db, f->idea2), 0);

	/* the view: the thread with its replies, the expert badge */
	struct comment_viewer anon = { .now = NOW + 30 };
	json_t *page = threads_page(db, "de", f->idea, &anon, 0, 0);
	assert_non_null(page);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 3);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), COMMENT_THREADS_PAGE);
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *t = json_array_get(items, 0);
	assert_string_equal(str(t, "author"), "Ben Beispiel");
	assert_string_equal(str(t, "body_html"), "<p>Tolle <em>Idee</em></p>\n");
	assert_string_equal(str(t, "body"), "Tolle *Idee*");
	assert_true(json_is_false(json_object_get(t, "expert")));
	assert_true(json_is_false(json_object_get(t, "can_edit")));
	assert_true(json_is_false(json_object_get(t, "can_delete")));
	assert_int_equal(json_integer_value(json_object_get(t, "reply_count")), 2);
	assert_true(json_is_null(json_object_get(t, "more_replies")));
	json_t *replies = json_object_get(t, "replies");
	assert_int_equal(json_array_size(replies), 2);
	assert_string_equal(str(json_array_get(replies, 0), "author"), "Anna Autorin");
	assert_string_equal(str(json_array_get(replies, 1), "author"), "Eva Expertin");
	assert_true(json_is_true(json_object_get(json_array_get(replies, 1), "expert")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(replies, 1), "parent_id")), t1);
	json_decref(page);
	assert_null(threads_page(db, "de", 9999, &anon, 0, 0));

	/* the author sees edit and delete; staff only delete */
	struct comment_viewer me = { .user_id = f->other, .now = NOW + 30 };
	json_t *c = comment_one(db, "de", t1, &me);
	assert_true(json_is_true(json_object_get(c, "can_edit")));
	assert_true(json_is_true(json_object_get(c, "can_delete")));
	assert_string_equal(str(c, "edit_url"), "/comments/1/edit");
	assert_string_equal(str(c, "delete_url"), "/comments/1/delete");
	assert_string_equal(str(c, "url"), "/ideas/1#comment-1");
	assert_int_equal(json_integer_value(json_object_get(c, "thread_id")), t1);
	json_decref(c);
	struct comment_viewer staff = { .user_id = f->author + 100, .staff = true, .now = NOW + 30 };
	c = comment_one(db, "de", t1, &staff);
	assert_true(json_is_false(json_object_get(c, "can_edit")));
	assert_true(json_is_true(json_object_get(c, "can_delete")));
	json_decref(c);
	c = comment_one(db, "de", r2, &me);
	assert_int_equal(json_integer_value(json_object_get(c, "thread_id")), t1);
	json_decref(c);
	assert_null(comment_one(db, "de", 9999, &me));
}

static void test_edit(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t id = add(f, f->idea, f->other, 0, "Erste Fassung", NOW);
	struct field_errors fe = { 0 };
	int64_t v0 = content_version(db);

	/* only the author, only within 15 minutes */
	assert_int_equal(comment_edit(db, id, f->author, "Fremd", NOW + 60, &fe), COMMENT_FORBIDDEN);
	assert_int_equal(comment_edit(db, id, 0, "Anonym", NOW + 60, &fe), COMMENT_FORBIDDEN);
	assert_int_equal(comment_edit(db, 9999, f->other, "Weg", NOW + 60, &fe), COMMENT_NOT_FOUND);
	assert_int_equal(comment_edit(db, id, f->other, "", NOW + 60, &fe), COMMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "body"), "required");
	assert_int_equal(content_version(db), v0);
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_edit(db, id, f->other, "Zweite **Fassung**", NOW + 15 * 60 - 1, &fe), COMMENT_OK);
	assert_true(content_version(db) > v0);
	assert_int_equal(comment_may_edit(db, id, f->other, NOW + 15 * 60 - 1), COMMENT_OK);
	assert_int_equal(comment_may_edit(db, id, f->other, NOW + 15 * 60), COMMENT_TOO_LATE);
	assert_int_equal(comment_may_edit(db, id, f->author, NOW), COMMENT_FORBIDDEN);
	assert_int_equal(comment_edit(db, id, f->other, "Dritte Fassung", NOW + 15 * 60, &fe), COMMENT_TOO_LATE);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'comment.edit'", NULL), 1);

	struct comment_viewer me = { .user_id = f->other, .now = NOW + 15 * 60 };
	json_t *c = comment_one(db, "en", id, &me);
	assert_string_equal(str(c, "body"), "Zweite **Fassung**");
	assert_string_equal(str(c, "body_html"), "<p>Zweite <strong>Fassung</strong></p>\n");
	assert_true(json_is_true(json_object_get(c, "edited")));
	assert_non_null(str(c, "edited_at"));
	assert_true(json_is_false(json_object_get(c, "can_edit")));     /* the window has closed */
	assert_true(json_is_true(json_object_get(c, "can_delete")));    /* deleting stays possible */
	json_decref(c);
	assert_int_equal(idea_comments(db, f->idea), 1);
}

static void test_soft_delete(void **state)
{
	struct field_errors dfe = { 0 };   /* comment_delete's */
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t t1 = add(f, f->idea, f->other, 0, "Thread eins", NOW);
	int64_t r1 = add(f, f->idea, f->author, t1, "Antwort eins", NOW + 1);
	int64_t r2 = add(f, f->idea, f->other, t1, "Antwort zwei", NOW + 2);
	assert_int_equal(idea_comments(db, f->idea), 3);

	/* someone else may not; the author may; staff may */
	assert_int_equal(comment_delete(db, t1, f->author, false, NULL, NOW + 5, &dfe), COMMENT_FORBIDDEN);
	assert_int_equal(comment_delete(db, 9999, f->author, true, NULL, NOW + 5, &dfe), COMMENT_NOT_FOUND);
	assert_int_equal(idea_comments(db, f->idea), 3);
	int64_t v0 = content_version(db);
	assert_int_equal(comment_delete(db, t1, f->other, false, NULL, NOW + 5, &dfe), COMMENT_OK);
	assert_true(content_version(db) > v0);
	assert_int_equal(idea_comments(db, f->idea), 2);
	/* twice changes nothing */
	assert_int_equal(comment_delete(db, t1, f->other, false, NULL, NOW + 6, &dfe), COMMENT_OK);
	assert_int_equal(idea_comments(db, f->idea), 2);
	/* staff removing someone else's comment: only with a public reason */
	assert_int_equal(comment_delete(db, r1, f->expert, true, NULL, NOW + 7, &dfe), COMMENT_INVALID);
	assert_string_equal(field_error_for(&dfe, "reason"), "required");
	assert_int_equal(idea_comments(db, f->idea), 2);
	assert_int_equal(comment_delete(db, r1, f->expert, true, "Beleidigt andere Menschen.", NOW + 7, &dfe), COMMENT_OK);
	assert_int_equal(idea_comments(db, f->idea), 1);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'comment.delete'", NULL), 2);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'comment.delete' "
				    "AND detail = 'by staff: Beleidigt andere Menschen.'", NULL), 1);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM comments WHERE deleted_reason = 'Beleidigt andere Menschen.'",
				    NULL), 1);
	/* the rows stay, their texts are gone */
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments", NULL), 3);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments WHERE body_md = '' AND deleted_at IS NOT NULL", NULL), 2);

	/* a deleted comment cannot be edited or answered */
	struct field_errors fe = { 0 };
	assert_int_equal(comment_edit(db, t1, f->other, "Doch nicht", NOW + 8, &fe), COMMENT_DELETED);
	struct comment_added out;
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->author, t1, "Hallo?", NOW + 9, &fe, &out), COMMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "parent"), "invalid");
	/* answering a live reply of a deleted thread still works */
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &idea_target, f->idea, f->author, r2, "Weiter geht's", NOW + 10, &fe, &out), COMMENT_OK);
	assert_int_equal(out.thread_id, t1);

	/* the placeholder keeps the thread and its replies in place */
	struct comment_viewer me = { .user_id = f->other, .staff = false, .now = NOW + 11 };
	json_t *page = threads_page(db, "de", f->idea, &me, 0, 0);
	json_t *t = json_array_get(json_object_get(page, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(t, "id")), t1);
	assert_true(json_is_true(json_object_get(t, "deleted")));
	assert_true(json_is_null(json_object_get(t, "author")));
	assert_null(json_object_get(t, "body"));
	assert_null(json_object_get(t, "body_html"));
	assert_true(json_is_false(json_object_get(t, "can_edit")));
	assert_true(json_is_false(json_object_get(t, "can_delete")));
	json_t *replies = json_object_get(t, "replies");
	assert_int_equal(json_array_size(replies), 3);
	assert_true(json_is_true(json_object_get(json_array_get(replies, 0), "deleted")));
	assert_string_equal(str(json_array_get(replies, 1), "body"), "Antwort zwei");
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 2);
	json_decref(page);
}

static void test_paging(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	/* 45 threads; thread 1 gets 7 replies last, so it has the newest activity */
	int64_t ids[45];
	for (int i = 0; i < 45; i++) {
		char body[32];
		snprintf(body, sizeof body, "Thread %d", i);
		ids[i] = add(f, f->idea, f->other, 0, body, NOW + i);
	}
	for (int i = 0; i < 7; i++)   /* in the same second as the newest thread: ids decide */
		add(f, f->idea, f->author, ids[1], "Antwort", NOW + 44);
	assert_int_equal(idea_comments(db, f->idea), 52);

	struct comment_viewer anon = { .now = NOW + 200 };
	json_t *page = threads_page(db, "de", f->idea, &anon, 0, 0);
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), COMMENT_THREADS_PAGE);
	json_t *first = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), ids[1]);
	assert_int_equal(json_array_size(json_object_get(first, "replies")), COMMENT_REPLIES_SHOWN);
	json_t *more = json_object_get(first, "more_replies");
	assert_int_equal(json_integer_value(json_object_get(more, "count")), 7);
	assert_int_equal(json_integer_value(json_object_get(more, "hidden")), 4);
	char url[64];
	snprintf(url, sizeof url, "/comments/%lld/replies", (long long)ids[1]);
	assert_string_equal(str(more, "url"), url);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "id")), ids[44]);
	/* follow the cursor: 20 + 20 + 5, no thread twice */
	int seen = 0;
	char cursor[64];
	int64_t seen_ids[64];
	for (int p = 0; p < 5; p++) {
		items = json_object_get(page, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			int64_t id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
			for (int k = 0; k < seen; k++)
				assert_true(seen_ids[k] != id);
			seen_ids[seen++] = id;
		}
		json_t *next = json_object_get(page, "next");
		if (json_is_null(next))
			break;
		snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
		json_decref(page);
		int64_t id;
		assert_int_equal(comment_cursor_parse(cursor, &id), 0);
		page = threads_page(db, "de", f->idea, &anon, id, 0);
	}
	json_decref(page);
	assert_int_equal(seen, 45);
	/* the limit is capped */
	page = threads_page(db, "de", f->idea, &anon, 0, 1000);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), COMMENT_THREADS_MAX);
	assert_int_equal(json_array_size(json_object_get(page, "items")), COMMENT_THREADS_MAX < 45 ? COMMENT_THREADS_MAX : 45);
	json_decref(page);

	/* all replies of a thread, oldest first, in pages; a reply's id shows its thread */
	page = replies_of(db, "de", ids[1], &anon, 0, 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(page, "thread"), "id")), ids[1]);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 3);
	snprintf(cursor, sizeof cursor, "%s", str(page, "next"));
	json_t *last = json_array_get(json_object_get(page, "items"), 2);
	int64_t last_id = json_integer_value(json_object_get(last, "id"));
	json_decref(page);
	int64_t id;
	assert_int_equal(comment_cursor_parse(cursor, &id), 0);
	assert_int_equal(id, last_id);
	page = replies_of(db, "de", ids[1], &anon, id, 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(page, "items"), 0), "id")),
			 last_id + 1);
	json_decref(page);
	page = replies_of(db, "de", last_id, &anon, 0, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(page, "thread"), "id")), ids[1]);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 7);
	assert_true(json_is_null(json_object_get(page, "next")));
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), COMMENT_REPLIES_PAGE);
	json_decref(page);
	assert_null(replies_of(db, "de", 99999, &anon, 0, 0));
}

/* The first replies of every shown thread come with one statement: threads
 * with 0, 1, 3, 4 and 10 replies, their replies added interleaved (ids of
 * several threads mixed), a deleted and a hidden reply, and a thread of
 * another idea that must not show up. */
static json_t *thread_of(json_t *page, int64_t id)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(page, "items"), i, t)
		if (json_integer_value(json_object_get(t, "id")) == id)
			return t;
	return NULL;
}

static void assert_replies(json_t *t, const int64_t *expect, int n, int64_t total)
{
	assert_non_null(t);
	assert_int_equal(json_integer_value(json_object_get(t, "reply_count")), total);
	json_t *replies = json_object_get(t, "replies");
	assert_int_equal(json_array_size(replies), n);
	for (int i = 0; i < n; i++) {
		json_t *r = json_array_get(replies, (size_t)i);
		assert_int_equal(json_integer_value(json_object_get(r, "id")), expect[i]);
		assert_int_equal(json_integer_value(json_object_get(r, "parent_id")),
				 json_integer_value(json_object_get(t, "id")));
	}
	json_t *more = json_object_get(t, "more_replies");
	if (total <= COMMENT_REPLIES_SHOWN) {
		assert_true(json_is_null(more));
		return;
	}
	char url[64];
	snprintf(url, sizeof url, "/comments/%lld/replies", (long long)json_integer_value(json_object_get(t, "id")));
	assert_int_equal(json_integer_value(json_object_get(more, "count")), total);
	assert_int_equal(json_integer_value(json_object_get(more, "hidden")), total - COMMENT_REPLIES_SHOWN);
	assert_string_equal(str(more, "url"), url);
}

static void test_first_replies(void **state)
{
	struct field_errors dfe = { 0 };   /* comment_delete's */
	struct fixture *f = *state;
	struct db *db = f->db;
	static const int sizes[5] = { 0, 1, 3, 4, 10 };
	int64_t threads[5], replies[5][10];
	for (int k = 0; k < 5; k++)
		threads[k] = add(f, f->idea, f->other, 0, "Thema", NOW + k);
	int64_t other = add(f, f->idea2, f->other, 0, "Anderswo", NOW + 5);
	int64_t other_reply = add(f, f->idea2, f->author, other, "Auch anderswo", NOW + 6);
	/* round after round, one more reply to every thread that wants one */
	for (int i = 0; i < 10; i++)
		for (int k = 0; k < 5; k++)
			if (i < sizes[k])
				replies[k][i] = add(f, f->idea, f->author, threads[k], "Antwort", NOW + 10 + i);
	/* the second reply of the 4-thread is deleted, the first of the 10-thread hidden */
	assert_int_equal(comment_delete(db, replies[3][1], f->author, false, NULL, NOW + 30, &dfe), COMMENT_OK);
	struct field_errors fe = { 0 };
	int64_t idea_id = 0;
	assert_int_equal(hide_on(db, &comment_target, replies[4][0], f->expert, "Beleidigend gegenüber anderen.",
					 NOW + 31, &fe, &idea_id), MOD_OK);
	assert_int_equal(idea_id, f->idea);

	struct comment_viewer anon = { .now = NOW + 100 };
	json_t *page = threads_page(db, "de", f->idea, &anon, 0, 0);
	assert_non_null(page);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 5 + 18 - 1);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 5);
	/* newest activity first: the 10-thread got the last reply, the 0-thread none */
	static const int order[5] = { 4, 3, 2, 1, 0 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, (size_t)i), "id")),
				 threads[order[i]]);
	assert_null(thread_of(page, other));
	for (int k = 0; k < 5; k++)
		assert_replies(thread_of(page, threads[k]), replies[k],
			       sizes[k] < COMMENT_REPLIES_SHOWN ? sizes[k] : COMMENT_REPLIES_SHOWN, sizes[k]);
	/* the deleted reply stays as a placeholder, the hidden one shows its reason */
	json_t *deleted = json_array_get(json_object_get(thread_of(page, threads[3]), "replies"), 1);
	assert_true(json_is_true(json_object_get(deleted, "deleted")));
	assert_true(json_is_null(json_object_get(deleted, "author")));
	assert_null(json_object_get(deleted, "body_html"));
	json_t *hidden = json_array_get(json_object_get(thread_of(page, threads[4]), "replies"), 0);
	assert_true(json_is_true(json_object_get(hidden, "hidden")));
	assert_string_equal(str(hidden, "hidden_reason"), "Beleidigend gegenüber anderen.");
	assert_null(json_object_get(hidden, "body_html"));
	assert_string_equal(str(json_array_get(json_object_get(thread_of(page, threads[4]), "replies"), 1), "body_html"),
			    "<p>Antwort</p>\n");
	json_decref(page);

	/* two threads a page: the replies stay with their threads across pages */
	page = threads_page(db, "de", f->idea, &anon, 0, 2);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	assert_replies(thread_of(page, threads[4]), replies[4], 3, 10);
	assert_replies(thread_of(page, threads[3]), replies[3], 3, 4);
	int64_t before;
	assert_int_equal(comment_cursor_parse(str(page, "next"), &before), 0);
	json_decref(page);
	page = threads_page(db, "de", f->idea, &anon, before, 2);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	assert_replies(thread_of(page, threads[2]), replies[2], 3, 3);
	assert_replies(thread_of(page, threads[1]), replies[1], 1, 1);
	assert_int_equal(comment_cursor_parse(str(page, "next"), &before), 0);
	json_decref(page);
	page = threads_page(db, "de", f->idea, &anon, before, 2);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	assert_replies(thread_of(page, threads[0]), NULL, 0, 0);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);
	/* past the last thread: no items, the count all the same */
	page = threads_page(db, "de", f->idea, &anon, threads[0], 2);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 22);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);

	/* the other idea sees only its own thread */
	page = threads_page(db, "de", f->idea2, &anon, 0, 0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	assert_replies(thread_of(page, other), &other_reply, 1, 1);
	json_decref(page);
	/* an idea without comments, and none at all */
	int64_t quiet = submit(f, "Ruhige Idee ohne Worte");
	page = threads_page(db, "de", quiet, &anon, 0, 0);
	assert_non_null(page);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);
	assert_null(threads_page(db, "de", 99999, &anon, 0, 0));
}

int main(void)
{
	areas_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_edit_window),
		cmocka_unit_test(test_render_subset),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test_setup_teardown(test_add_thread_and_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_replies, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
