/* The shared dialogue services on a second kind of target, through the same
 * code as ideas: a kind "note" that exists only in this test, with a table
 * of its own, takes comments, follows, notifications, reports and hiding;
 * an idea and a note with the same id never see each other's comments.
 * And migration 014, which moved comments, reports and follows of ideas and
 * cycles to (target_kind, target_id), on rows written before it.
 * On a real database: SQLite, or PostgreSQL when UNBOX_TEST_PG is set. */
#include <ftw.h>
#include <glob.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/jsonx.h"
#include "db/db.h"
#include "domain/comment.h"
#include "domain/follow.h"
#include "domain/moderation.h"
#include "domain/notification.h"
#include "domain/target.h"
#include "domain/user.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/targets.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */
#define REASON "Das verstößt gegen die Regeln."

/* ---- the test's own kind: notes ---- */

static int note_state(struct db *db, int64_t id, bool lock)
{
	(void)lock;
	struct db_stmt *st = db_prepare(db, "SELECT hidden_at FROM notes WHERE id = $1");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	int state = rc == DB_ROW ? (db_is_null(st, 0) ? TARGET_OPEN : TARGET_HIDDEN) : rc == DB_OK ? 0 : -1;
	db_done(st);
	return state;
}

static int note_ref(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT title FROM notes WHERE id = $1");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		char url[32];
		snprintf(url, sizeof url, "/notes/%" PRId64, id);
		*out = json_pack("{sI ss ss}", "id", (json_int_t)id, "title", db_text(st, 0), "url", url);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int note_counted(struct db *db, int64_t id, int delta, int64_t now)
{
	(void)now;
	struct db_stmt *st = db_prepare(db, "UPDATE notes SET comment_count = comment_count + $2 WHERE id = $1 RETURNING 1");
	int rc = st ? db_bind(st, "ii", id, (int64_t)delta) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int note_set_hidden(struct db *db, int64_t id, const char *reason, int64_t now)
{
	struct db_stmt *st = db_prepare(db, reason
		? "UPDATE notes SET hidden_at = $2, hidden_reason = $3 WHERE id = $1 RETURNING 1"
		: "UPDATE notes SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1 RETURNING 1");
	int rc = !st ? DB_ERROR : reason ? db_bind(st, "iis", id, now, reason) : db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int note_moderation_item(struct db *db, int64_t id, json_t *item)
{
	json_t *ref;
	int found = note_ref(db, id, &ref);
	if (found == 1) {
		jset_str(item, "url", json_string_value(json_object_get(ref, "url")));
		jset(item, "note", json_incref(ref));
		jset(item, "on_page", ref);
		jset(item, "author", json_null());
	}
	return found;
}

static const struct target_kind note_target = {
	.name = "note",
	.path = "/notes/",
	.state = note_state,
	.ref = note_ref,
	.comment_threads_sql = COMMENT_THREADS_SQL("notes", "comment_count"),
	.comment_counted = note_counted,
	.notify_sql = NOTIFY_TITLE_SQL("SELECT title FROM notes WHERE id = $1"),
	.set_hidden = note_set_hidden,
	.moderation_item = note_moderation_item,
};

static const struct target_kind *const kinds[] = { &comment_target, &idea_target, &cycle_target, &note_target, NULL };

/* ---- fixture ---- */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, author, reader, team, idea;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "$argon2id$v=19$m=65536,t=2,p=1$x$y", role, T0, &id), DB_OK);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || testdb_world_open("targets", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	if (db_exec(f->db, "CREATE TABLE notes (id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
			   "comment_count INTEGER NOT NULL DEFAULT 0, hidden_at BIGINT, hidden_reason TEXT)") != DB_OK)
		return -1;
	f->author = make_user(f->db, "autorin@example.org", "Autorin", "resident");
	f->reader = make_user(f->db, "leser@example.org", "Leser", "resident");
	f->team = make_user(f->db, "team@example.org", "Team", "team");
	*state = f;
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

static int64_t count(struct db *db, const char *sql, int64_t id)
{
	return db_one_int(db, -1, sql, "i", id);
}

static int64_t submit_idea(struct fixture *f)
{
	struct idea_input in = { .title = "Bänke am Rhein", .summary = "Sitzgelegenheiten entlang der Promenade.",
				 .description = "Entlang der Promenade fehlen Bänke für alle.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(f->db, f->author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	return id;
}

/* The note with the same id as an idea: the services keep them apart. */
static void test_comments_on_a_second_kind(void **state)
{
	struct field_errors dfe = { 0 };   /* comment_delete's */
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t idea = submit_idea(f);
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO notes (id, title) VALUES (%" PRId64 ", 'Protokoll der Werkstatt')", idea);
	assert_int_equal(db_exec(db, sql), DB_OK);
	int64_t note = idea;

	/* the reader follows the note, the author (of the idea) follows the idea */
	assert_int_equal(follow_set(db, &note_target, note, f->reader, true), FOLLOW_OK);
	assert_int_equal(follow_exists(db, &note_target, note, f->reader), 1);
	assert_int_equal(follow_exists(db, &idea_target, idea, f->reader), 0);
	assert_int_equal(follow_set(db, &note_target, 999999, f->reader, true), FOLLOW_NOT_FOUND);

	struct field_errors fe = { 0 };
	struct comment_added c, r;
	assert_int_equal(comment_add(db, &note_target, note, f->author, 0, "Danke für das *Protokoll*", T0 + 2 * DAY,
				     &fe, &c), COMMENT_OK);
	assert_int_equal(comment_add(db, &note_target, note, f->reader, c.id, "Gern geschehen", T0 + 2 * DAY + 5, &fe,
				     &r), COMMENT_OK);
	assert_int_equal(r.thread_id, c.id);
	struct comment_added nowhere;
	assert_int_equal(comment_add(db, &note_target, 999999, f->author, 0, "Wohin?", T0, &fe, &nowhere),
			 COMMENT_NOT_FOUND);
	/* a reply must answer a comment of the same target: not one of the idea */
	struct comment_added on_idea;
	assert_int_equal(comment_add(db, &idea_target, idea, f->reader, 0, "Zur Idee", T0 + 2 * DAY, &fe, &on_idea),
			 COMMENT_OK);
	fe = (struct field_errors){ 0 };
	assert_int_equal(comment_add(db, &note_target, note, f->reader, on_idea.id, "Quer", T0 + 3 * DAY, &fe, &nowhere),
			 COMMENT_INVALID);
	assert_string_equal(fe.items[0].field, "parent");

	/* each target counts its own comments on its own row */
	assert_int_equal(count(db, "SELECT comment_count FROM notes WHERE id = $1", note), 2);
	assert_int_equal(count(db, "SELECT comment_count FROM ideas WHERE id = $1", idea), 1);

	/* the note's threads, through its kind's statement */
	struct comment_viewer anon = { .now = T0 + 3 * DAY };
	json_t *page;
	assert_int_equal(comment_threads(db, "de", &note_target, note, &anon, 0, 0, &page), 1);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 2);
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *t = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(t, "note_id")), note);
	char url[64];
	snprintf(url, sizeof url, "/notes/%" PRId64 "#comment-%" PRId64, note, c.id);
	assert_string_equal(json_string_value(json_object_get(t, "url")), url);
	assert_int_equal(json_array_size(json_object_get(t, "replies")), 1);
	json_decref(page);
	assert_int_equal(comment_threads(db, "de", &idea_target, idea, &anon, 0, 0, &page), 1);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);   /* the idea's own */
	json_decref(page);
	assert_int_equal(comment_threads(db, "de", &note_target, 999999, &anon, 0, 0, &page), 0);
	assert_null(page);
	json_t *latest = comment_latest(db, "de", &note_target, note, 10);
	assert_int_equal(json_array_size(latest), 2);
	json_decref(latest);

	/* the follower heard of the comment, with the note's title; the writer did not */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'note.comment'",
			       f->reader), 1);
	json_t *list = notification_list(db, "de", f->reader, 0, 10);
	assert_non_null(list);
	json_t *n = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "kind")), "note.comment") == 0)
			n = it;
	assert_non_null(n);
	char subject[32];
	snprintf(subject, sizeof subject, "note:%" PRId64, note);
	assert_string_equal(json_string_value(json_object_get(n, "subject")), subject);
	assert_string_equal(json_string_value(json_object_get(json_object_get(n, "data"), "title")),
			    "Protokoll der Werkstatt");
	json_decref(list);

	/* deleting counts down on the note's row */
	assert_int_equal(comment_delete(db, r.id, f->reader, false, NULL, T0 + 4 * DAY, &dfe), COMMENT_OK);
	assert_int_equal(count(db, "SELECT comment_count FROM notes WHERE id = $1", note), 1);
	assert_int_equal(count(db, "SELECT comment_count FROM ideas WHERE id = $1", idea), 1);
}

/* Reports and hiding of a note and of a comment on it; the reporters hear
 * of the outcome about the note's page. */
static void test_moderation_of_a_second_kind(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	assert_int_equal(db_exec(db, "INSERT INTO notes (id, title) VALUES (7, 'Aushang')"), DB_OK);
	struct field_errors fe = { 0 };
	struct comment_added c;
	assert_int_equal(comment_add(db, &note_target, 7, f->author, 0, "Ein böser Kommentar", T0, &fe, &c), COMMENT_OK);
	int64_t r1, r2;
	assert_int_equal(moderation_report(db, &note_target, 7, f->reader, REASON, T0 + 1, &fe, &r1), MOD_OK);
	assert_int_equal(moderation_report(db, &comment_target, c.id, f->reader, REASON, T0 + 2, &fe, &r2), MOD_OK);
	assert_int_equal(moderation_reported(db, &note_target, 7, f->reader), 1);
	assert_int_equal(moderation_reported(db, &idea_target, 7, f->reader), 0);

	json_t *q = moderation_queue(db, "de", 0, 20);
	assert_non_null(q);
	json_t *items = json_object_get(q, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *first = json_array_get(items, 0), *second = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(first, "kind")), "note");
	assert_string_equal(json_string_value(json_object_get(json_object_get(first, "on_page"), "title")), "Aushang");
	assert_string_equal(json_string_value(json_object_get(second, "kind")), "comment");
	assert_string_equal(json_string_value(json_object_get(json_object_get(second, "on_page"), "title")), "Aushang");
	char url[64];
	snprintf(url, sizeof url, "/notes/7#comment-%" PRId64, c.id);
	assert_string_equal(json_string_value(json_object_get(second, "url")), url);
	json_decref(q);

	const struct target_kind *page = NULL;
	int64_t page_id = 0;
	assert_int_equal(moderation_hide(db, &comment_target, c.id, f->team, "Beleidigend gegenüber anderen.", T0 + 5,
					 &fe, &page, &page_id), MOD_OK);
	assert_ptr_equal(page, &note_target);
	assert_int_equal(page_id, 7);
	assert_int_equal(moderation_hide(db, &note_target, 7, f->team, "Nicht mehr aktuell, ausgeblendet.", T0 + 6, &fe,
					 &page, &page_id), MOD_OK);
	assert_ptr_equal(page, &note_target);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notes WHERE id = $1 AND hidden_at IS NOT NULL", 7), 1);
	assert_int_equal(moderation_report(db, &note_target, 7, f->author, REASON, T0 + 7, &fe, &r1), MOD_HIDDEN);
	/* both reports decided; the reporter heard twice, about the note's page */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM reports WHERE outcome = 'hidden' AND reporter_id = $1", f->reader),
			 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'moderation' "
				   "AND subject = 'note:7'", f->reader), 2);
	char data[96];
	snprintf(data, sizeof data, "%%\"comment_id\":%" PRId64 "%%", c.id);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND data LIKE $2",
				    "is", f->reader, data), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit WHERE action = 'note.hide' AND actor_id = $1", f->team), 1);
	assert_int_equal(moderation_unhide(db, &note_target, 7, f->team, T0 + 8, &page, &page_id), MOD_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM notes WHERE id = $1 AND hidden_at IS NULL", 7), 1);
}

/* ---- migration 014 on rows written before it ---- */

/* A directory of links to the repository's migrations up to last. */
static void migrations_upto(const char *dir, const char *last)
{
	assert_int_equal(mkdir(dir, 0700), 0);
	glob_t g;
	assert_int_equal(glob(SOURCE_ROOT "/migrations/[0-9]*.sql", 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		if (strcmp(name, last) > 0)
			continue;
		char to[512];
		snprintf(to, sizeof to, "%s/%s", dir, name);
		assert_int_equal(symlink(g.gl_pathv[i], to), 0);
	}
	globfree(&g);
}

static void test_migration_014(void **state)
{
	(void)state;
	char dir[64] = "/tmp/unbox-mig014-XXXXXX", dsn[256], err[256], old[128];
	assert_non_null(mkdtemp(dir));
	assert_int_equal(testdb_dsn(dsn, sizeof dsn, dir), 0);
	struct db *db = db_open(dsn, err, sizeof err);
	assert_non_null(db);
	snprintf(old, sizeof old, "%s/upto013", dir);
	migrations_upto(old, "013_comment_writers.sql");
	assert_int_equal(db_migrate(db, old), 13);
	/* what the old schema held: two ideas, comments and a reply, reports of
	 * an idea and of a comment, follows of an idea and of a cycle */
	static const char *const rows[] = {
		"INSERT INTO users (id, email, name, pw_hash, created_at) VALUES (1, 'a@example.org', 'A', 'x', 1), "
		"(2, 'b@example.org', 'B', 'x', 1)",
		"INSERT INTO stadtbezirke (nr, name, geometry) VALUES (1, 'Innenstadt', '{}')",
		"INSERT INTO stadtteile (nr, name, bezirk_nr, geometry) VALUES (105, 'Deutz', 1, '{}')",
		"INSERT INTO fields (id, slug, name_de, name_en) VALUES (1, 'mobility', 'Mobilität', 'Mobility')",
		"INSERT INTO cycles (id, number, theme_de, theme_en, submission_start, submission_end, phase1_start, "
		"phase2_start, phase3_start, phase4_start, phase4_end) VALUES (1, 1, 'T', 'T', 0, 10, 0, 1, 2, 3, 4)",
		"INSERT INTO ideas (id, cycle_id, author_id, title, summary, description_md, description_html, field_id, "
		"bezirk_nr, stadtteil_nr, created_at, updated_at, comment_count) VALUES "
		"(1, 1, 1, 'Eins', 's', 'd', 'd', 1, 1, 105, 1, 1, 2), (2, 1, 1, 'Zwei', 's', 'd', 'd', 1, 1, 105, 1, 1, 1)",
		"INSERT INTO comments (id, idea_id, parent_id, author_id, body_md, body_html, created_at, reply_count, "
		"last_activity_at, activity_id) VALUES (10, 1, NULL, 2, 'Hallo Welt', '<p>Hallo Welt</p>', 5, 1, 6, 11), "
		"(11, 1, 10, 1, 'Antwort', '<p>Antwort</p>', 6, 0, 6, 0), (12, 2, NULL, 2, 'Zwei', '<p>Zwei</p>', 7, 0, 7, 12)",
		"INSERT INTO reports (id, idea_id, comment_id, reporter_id, reason, created_at) VALUES "
		"(20, 1, NULL, 2, 'Grund eins', 8), (21, 1, 11, 2, 'Grund zwei', 9)",
		"INSERT INTO idea_follows (idea_id, user_id, created_at) VALUES (1, 1, 1), (1, 2, 2), (2, 1, 3)",
		"INSERT INTO cycle_follows (cycle_id, user_id, created_at) VALUES (1, 2, 4)",
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (db_exec(db, rows[i]) != DB_OK)
			fail_msg("%s: %s", rows[i], db_errmsg(db));
	assert_int_equal(db_migrate(db, SOURCE_ROOT "/migrations") >= 1, 1);

	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = 1 "
					    "AND id IN (10, 11)", NULL), 2);
	assert_int_equal(db_one_int(db, -1, "SELECT parent_id FROM comments WHERE id = 11", NULL), 10);
	assert_int_equal(db_one_int(db, -1, "SELECT target_id FROM comments WHERE id = 12 AND target_kind = 'idea'", NULL),
			 2);
	assert_int_equal(db_one_int(db, -1, "SELECT activity_id FROM comments WHERE id = 10", NULL), 11);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM reports WHERE id = 20 AND target_kind = 'idea' "
					    "AND target_id = 1", NULL), 1);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM reports WHERE id = 21 AND target_kind = 'comment' "
					    "AND target_id = 11", NULL), 1);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = 1", NULL),
			 2);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM follows WHERE target_kind = 'cycle' AND target_id = 1 "
					    "AND user_id = 2", NULL), 1);
	/* the rows work through the services */
	struct comment_viewer anon = { .now = 100 };
	json_t *page;
	assert_int_equal(comment_threads(db, "de", &idea_target, 1, &anon, 0, 0, &page), 1);
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 2);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	assert_int_equal(follow_exists(db, &idea_target, 2, 1), 1);
	assert_int_equal(moderation_reported(db, &comment_target, 11, 2), 1);
	/* new comments go on, and a deleted user's comments keep their place
	 * (the keys to users still hold) */
	struct field_errors fe = { 0 };
	struct comment_added c;
	assert_int_equal(comment_add(db, &idea_target, 2, 1, 0, "Neu", 200, &fe, &c), COMMENT_OK);
	assert_int_equal(db_exec(db, "DELETE FROM users WHERE id = 2"), DB_OK);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments WHERE author_id IS NULL", NULL), 2);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM follows", NULL), 2);   /* theirs went with them */
	if (!testdb_is_pg()) {   /* the full-text index kept its rows */
		assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM comments_fts WHERE comments_fts MATCH 'welt'", NULL),
				 1);
	}
	db_close(db);
	testdb_remove(dir);
}

int main(void)
{
	target_kinds_init(kinds);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_comments_on_a_second_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moderation_of_a_second_kind, setup, teardown),
		cmocka_unit_test(test_migration_014),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
