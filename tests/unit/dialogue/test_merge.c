/* Duplicates on a real migrated database (SQLite, or PostgreSQL when
 * UNBOX_TEST_PG names a scripts/pgtmp cluster): similar ideas by the rare
 * words they share, and merging: supports counted once, followers and
 * comments moved, the marker, history, audit, notifications, and the
 * merges that are refused. */
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
#include "domain/follow.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/merge.h"
#include "domain/place.h"
#include "domain/dialogue/support.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
	int64_t cycle, author, other, third, team;
};

static int64_t make_user(struct db *db, const char *email, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(user_create(db, email, name, "$argon2id$v=19$m=65536,t=2,p=1$x$y", role, T0, &id), DB_OK);
	return id;
}

static int64_t submit(struct fixture *f, int64_t author, const char *title, const char *summary)
{
	struct idea_input in = { .title = title, .summary = summary,
				 .description = "Eine ausführliche Beschreibung der Idee für alle.",
				 .field = "mobility", .stadtteil = "105" };
	struct field_errors fe = { 0 };
	int64_t id = 0;
	assert_int_equal(idea_submit(f->db, author, &in, T0 + DAY, &fe, &id), IDEA_OK);
	return id;
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (testdb_world_open("merge", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0)
		return -1;
	*state = f;
	f->author = make_user(f->db, "anna@example.org", "Anna Autorin", "resident");
	f->other = make_user(f->db, "ben@example.org", "Ben Beispiel", "resident");
	f->third = make_user(f->db, "cem@example.org", "Cem Dritter", "resident");
	f->team = make_user(f->db, "tea@example.org", "Tea Team", "team");
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

static int64_t one(struct db *db, const char *sql, int64_t a)
{
	return db_one_int(db, -1, sql, "i", a);
}

static int64_t item_id(json_t *page, size_t i)
{
	return (int64_t)json_integer_value(json_object_get(json_array_get(json_object_get(page, "items"), i), "id"));
}

static void test_target_parse(void **state)
{
	(void)state;
	assert_int_equal(merge_target_parse("12"), 12);
	assert_int_equal(merge_target_parse(" #7 "), 7);
	assert_int_equal(merge_target_parse("/ideas/42"), 42);
	assert_int_equal(merge_target_parse(""), 0);
	assert_int_equal(merge_target_parse(NULL), 0);
	assert_int_equal(merge_target_parse("12a"), 0);
	assert_int_equal(merge_target_parse("-3"), 0);
	assert_int_equal(merge_target_parse("1234567890123456"), 0);
}

static void test_similar(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t benches = submit(f, f->author, "Mehr Sitzbänke an der Rheinpromenade",
				 "Entlang der Rheinpromenade fehlen Sitzbänke zum Ausruhen.");
	int64_t trees = submit(f, f->author, "Straßenbäume gießen mit Patenschaften",
			       "Nachbarn übernehmen Patenschaften für Straßenbäume.");
	int64_t bikes = submit(f, f->other, "Lastenräder zum Ausleihen in Deutz",
			       "Lastenräder an der Rheinpromenade ausleihen.");
	(void)trees;
	/* a near-duplicate: the idea with the benches first, the one sharing one word after it */
	json_t *p = similar_ideas(db, "de", "Sitzbank an der Rheinpromenade", "Mehr Bänke zum Ausruhen am Rhein", 0, 5);
	assert_non_null(p);
	assert_true(json_array_size(json_object_get(p, "items")) >= 1);
	assert_int_equal(item_id(p, 0), benches);
	for (size_t i = 0; i < json_array_size(json_object_get(p, "items")); i++)
		assert_int_not_equal(item_id(p, i), trees);
	assert_int_equal(json_integer_value(json_object_get(p, "max_limit")), SIMILAR_MAX);
	json_decref(p);
	/* the idea itself left out */
	p = similar_ideas(db, "de", "Mehr Sitzbänke an der Rheinpromenade", "", benches, 5);
	for (size_t i = 0; i < json_array_size(json_object_get(p, "items")); i++)
		assert_int_not_equal(item_id(p, i), benches);
	assert_int_equal(item_id(p, 0), bikes);
	json_decref(p);
	/* no words, stop words only, nothing in common: nothing */
	p = similar_ideas(db, "de", "", NULL, 0, 5);
	assert_int_equal(json_array_size(json_object_get(p, "items")), 0);
	json_decref(p);
	p = similar_ideas(db, "de", "und oder aber", "der die das", 0, 5);
	assert_int_equal(json_array_size(json_object_get(p, "items")), 0);
	json_decref(p);
	p = similar_ideas(db, "de", "Quantencomputer", "Raumfahrt", 0, 5);
	assert_int_equal(json_array_size(json_object_get(p, "items")), 0);
	json_decref(p);
	/* a long text is cut, not refused; invalid UTF-8 is refused */
	char longtext[1200];
	memset(longtext, 'a', sizeof longtext - 1);
	longtext[sizeof longtext - 1] = '\0';
	p = similar_ideas(db, "de", "Rheinpromenade", longtext, 0, 5);
	assert_non_null(p);
	json_decref(p);
	assert_null(similar_ideas(db, "de", "\xff\xfe", "", 0, 5));
	/* limit clamped */
	p = similar_ideas(db, "de", "Rheinpromenade", "", 0, 1);
	assert_int_equal(json_array_size(json_object_get(p, "items")), 1);
	json_decref(p);
}

static void test_merge(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t target = submit(f, f->author, "Mehr Bänke am Rhein", "Sitzgelegenheiten entlang der Promenade.");
	int64_t dup = submit(f, f->other, "Bänke am Rheinufer", "Sitzbänke am Ufer des Rheins fehlen.");
	int64_t n;
	/* third supports both, the team member only the duplicate */
	assert_int_equal(support_add(db, target, f->third, &n), SUPPORT_OK);
	assert_int_equal(support_add(db, dup, f->third, &n), SUPPORT_OK);
	assert_int_equal(support_add(db, dup, f->team, &n), SUPPORT_OK);
	assert_int_equal(follow_set(db, &idea_target, dup, f->third, true), FOLLOW_OK);
	struct field_errors fe = { 0 };
	struct comment_added c1, c2, c3;
	assert_int_equal(comment_add(db, &idea_target, dup, f->third, 0, "Gute Idee, unbedingt!", T0 + DAY, &fe, &c1), COMMENT_OK);
	assert_int_equal(comment_add(db, &idea_target, dup, f->author, c1.id, "Das sehe ich auch so.", T0 + DAY, &fe, &c2), COMMENT_OK);
	assert_int_equal(comment_add(db, &idea_target, target, f->other, 0, "Auch am Deutzer Ufer.", T0 + DAY, &fe, &c3), COMMENT_OK);
	int64_t v0 = content_version(db);

	assert_int_equal(idea_merge(db, dup, target, f->team, "team", "Beide Ideen wollen Bänke am Rhein.", T0 + 2 * DAY, &fe),
			 MERGE_OK);
	assert_int_equal(fe.count, 0);
	assert_true(content_version(db) > v0);
	/* supports: third counted once */
	assert_int_equal(support_count(db, target), 2);
	assert_int_equal(support_count(db, dup), 0);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM idea_supports WHERE idea_id = $1", target), 2);
	/* followers: dup's author and third follow the target now */
	assert_true(follow_exists(db, &idea_target, target, f->other));
	assert_true(follow_exists(db, &idea_target, target, f->third));
	/* comments moved with their thread; counts right */
	assert_int_equal(one(db, "SELECT comment_count FROM ideas WHERE id = $1", target), 3);
	assert_int_equal(one(db, "SELECT comment_count FROM ideas WHERE id = $1", dup), 0);
	assert_int_equal(one(db, "SELECT target_id FROM comments WHERE id = $1", c2.id), target);
	assert_int_equal(one(db, "SELECT parent_id FROM comments WHERE id = $1", c2.id), c1.id);
	/* the marker; the status stays */
	assert_int_equal(merge_target_of(db, dup), target);
	assert_int_equal(merge_target_of(db, target), 0);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM ideas WHERE id = $1 AND status = 'submitted'", dup), 1);
	json_t *src = merge_sources(db, target);
	assert_int_equal(json_array_size(src), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(src, 0), "id")), dup);
	json_decref(src);
	/* history on both, audit, notifications to both authors */
	assert_int_equal(one(db, "SELECT COUNT(*) FROM idea_status_history WHERE idea_id = $1 AND to_status = 'merged'", dup), 1);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM idea_status_history WHERE idea_id = $1 AND to_status = 'merged_in'", target), 1);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM audit WHERE action = 'idea.merge' AND actor_id = $1", f->team), 1);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'idea.merged' AND user_id = $1", f->author), 1);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM notifications WHERE kind = 'idea.merged' AND user_id = $1", f->other), 1);
	/* the merged idea takes no more supports or followers, nothing is stored */
	int64_t followers = one(db, "SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = $1", dup);
	assert_int_equal(support_add(db, dup, f->author, &n), SUPPORT_MERGED);
	assert_int_equal(support_remove(db, dup, f->team, &n), SUPPORT_MERGED);
	assert_int_equal(follow_set(db, &idea_target, dup, f->author, true), FOLLOW_MERGED);
	assert_int_equal(follow_set(db, &idea_target, dup, f->third, false), FOLLOW_MERGED);
	int64_t comments = one(db, "SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = $1", dup);
	struct comment_added late;
	assert_int_equal(comment_add(db, &idea_target, dup, f->author, 0, "Noch ein Gedanke dazu.", T0 + 3 * DAY, &fe, &late),
			 COMMENT_MERGED);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM comments WHERE target_kind = 'idea' AND target_id = $1", dup), comments);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM idea_supports WHERE idea_id = $1", dup), 0);
	assert_int_equal(one(db, "SELECT COUNT(*) FROM follows WHERE target_kind = 'idea' AND target_id = $1", dup), followers);
	assert_false(follow_exists(db, &idea_target, dup, f->author));
	assert_int_equal(support_count(db, dup), 0);
	assert_int_equal(support_add(db, target, f->other, &n), SUPPORT_OK);    /* the target does (not its author) */
	assert_int_equal(n, 3);
	assert_int_equal(support_remove(db, target, f->other, &n), SUPPORT_OK);
	/* out of the list */
	struct idea_filter flt = { .limit = 20 };
	json_t *list = idea_list(db, "de", &flt);
	for (size_t i = 0; i < json_array_size(json_object_get(list, "items")); i++)
		assert_int_not_equal(item_id(list, i), dup);
	json_decref(list);

	/* refused: twice, into itself, into a merged idea, into nothing, without reason */
	int64_t third_idea = submit(f, f->third, "Noch mehr Bänke", "Bänke überall in der Stadt aufstellen.");
	struct field_errors e1 = { 0 }, e2 = { 0 }, e3 = { 0 }, e4 = { 0 }, e5 = { 0 };
	assert_int_equal(idea_merge(db, dup, third_idea, f->team, "team", "Noch einmal zusammenführen.", T0, &e1), MERGE_ALREADY);
	assert_int_equal(idea_merge(db, target, target, f->team, "team", "In sich selbst zusammenführen.", T0, &e2), MERGE_INVALID);
	assert_string_equal(field_error_for(&e2, "target"), "self");
	assert_int_equal(idea_merge(db, third_idea, dup, f->team, "team", "In ein zusammengeführtes Duplikat.", T0, &e3), MERGE_INVALID);
	assert_string_equal(field_error_for(&e3, "target"), "merged");
	assert_int_equal(idea_merge(db, third_idea, 999999, f->team, "team", "In eine Idee, die es nicht gibt.", T0, &e4), MERGE_INVALID);
	assert_string_equal(field_error_for(&e4, "target"), "not_found");
	assert_int_equal(idea_merge(db, third_idea, target, f->team, "team", "kurz", T0, &e5), MERGE_INVALID);
	assert_non_null(field_error_for(&e5, "reason"));
	assert_int_equal(idea_merge(db, 999999, target, f->team, "team", "Diese Idee gibt es nicht.", T0, &e1), MERGE_NOT_FOUND);
	assert_int_equal(merge_target_of(db, third_idea), 0);

	/* a chain: merging the target on leads its earlier duplicate there too */
	struct field_errors e6 = { 0 };
	assert_int_equal(idea_merge(db, target, third_idea, f->team, "team", "Alle Bänke an einem Ort sammeln.", T0 + 3 * DAY, &e6),
			 MERGE_OK);
	assert_int_equal(merge_target_of(db, dup), third_idea);
	assert_int_equal(support_count(db, third_idea), 2);
	assert_int_equal(one(db, "SELECT comment_count FROM ideas WHERE id = $1", third_idea), 3);
}

int main(void)
{
	areas_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_parse),
		cmocka_unit_test_setup_teardown(test_similar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
