/* Reads of the dialogue area that tell "not there" (0, an empty list) from
 * "failed" (-1, NULL), on a real database (SQLite, or PostgreSQL when
 * UNBOX_TEST_PG names a scripts/pgtmp cluster). A read is made to fail for
 * real by renaming the table it uses on the test's connection, and works
 * again once the table has its name back. Writes that validate through a
 * lookup answer an error, not a validation problem, when the lookup fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/log.h"
#include "domain/dialogue/coauthor.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/map.h"
#include "domain/dialogue/merge.h"
#include "domain/dialogue/support.h"
#include "domain/token.h"
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
	int64_t cycle, author, idea;
};

static const struct idea_input benches = {
	.title = "Mehr Bänke am Rhein", .summary = "Sitzgelegenheiten entlang der Promenade.",
	.description = "Entlang der Promenade fehlen Bänke für alle.", .field = "mobility", .stadtteil = "105",
};

static int group_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));    /* the failures below are expected */
	return token_init();
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	struct field_errors fe = { 0 };
	if (testdb_world_open("dreads", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0, &f->cycle) < 0 ||
	    user_create(f->db, "anna@example.org", "Anna Autorin", "$argon2id$v=19$m=65536,t=2,p=1$x$y", "resident", T0,
			&f->author) != DB_OK ||
	    zielbild_add(f->db, "gruen", "Grüne Stadt", "Green city", 1) != DB_OK)
		return -1;
	struct idea_input in = benches;
	in.zielbilder = "gruen";
	return idea_submit(f->db, f->author, &in, T0 + DAY, &fe, &f->idea) == IDEA_OK ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

static void away(struct db *db, const char *table)
{
	char to[64];
	snprintf(to, sizeof to, "%s_away", table);
	assert_int_equal(testdb_rename(db, table, to), 0);
}

static void back(struct db *db, const char *table)
{
	char from[64];
	snprintf(from, sizeof from, "%s_away", table);
	assert_int_equal(testdb_rename(db, from, table), 0);
}

static void test_idea_get(void **state)
{
	struct fixture *f = *state;
	json_t *idea = NULL;
	int64_t into = -1;
	assert_int_equal(idea_get(f->db, "de", f->idea, &idea), 1);
	assert_string_equal(json_string_value(json_object_get(idea, "title")), benches.title);
	assert_int_equal(json_array_size(json_object_get(idea, "zielbilder")), 1);
	json_decref(idea);
	assert_int_equal(idea_get_merged(f->db, "de", f->idea, &idea, &into), 1);
	assert_int_equal(into, 0);
	json_decref(idea);
	assert_int_equal(idea_get(f->db, "de", f->idea + 100, &idea), 0);
	assert_null(idea);

	away(f->db, "ideas");
	idea = json_object();    /* replaced: NULL after a failure */
	json_t *was = idea;
	assert_int_equal(idea_get(f->db, "de", f->idea, &idea), -1);
	assert_null(idea);
	json_decref(was);
	assert_int_equal(idea_get_merged(f->db, "de", f->idea, &idea, &into), -1);
	assert_null(idea);
	back(f->db, "ideas");

	/* the row is read, the lists with it are not: a failure too, nothing half filled */
	away(f->db, "idea_zielbilder");
	assert_int_equal(idea_get(f->db, "de", f->idea, &idea), -1);
	assert_null(idea);
	back(f->db, "idea_zielbilder");
	assert_int_equal(idea_get(f->db, "de", f->idea, &idea), 1);
	json_decref(idea);
}

static void test_idea_list(void **state)
{
	struct fixture *f = *state;
	struct idea_filter all = { .limit = 10 }, none = { .limit = 10, .field = "no-such-field" };
	json_t *page = idea_list(f->db, "de", &all);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);
	page = idea_list(f->db, "de", &none);      /* nothing matches: an empty page, not a failure */
	assert_non_null(page);
	assert_true(json_is_array(json_object_get(page, "items")));
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	json_decref(page);

	away(f->db, "ideas");
	assert_null(idea_list(f->db, "de", &all));
	back(f->db, "ideas");
	/* a filter that cannot be resolved is no empty list either */
	struct idea_filter by_field = { .limit = 10, .field = "mobility" };
	struct idea_where w;
	away(f->db, "fields");
	assert_int_equal(idea_where_resolve(f->db, &by_field, &w), -1);
	assert_null(idea_list(f->db, "de", &by_field));
	assert_int_equal(field_id(f->db, "mobility"), -1);
	assert_null(field_list(f->db, "de"));
	back(f->db, "fields");
	assert_true(field_id(f->db, "mobility") > 0);
	assert_int_equal(field_id(f->db, "no-such-field"), 0);
	page = idea_list(f->db, "de", &by_field);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	json_decref(page);

	away(f->db, "zielbilder");
	assert_int_equal(zielbild_id(f->db, "gruen"), -1);
	assert_null(zielbild_list(f->db, "de"));
	back(f->db, "zielbilder");
	assert_true(zielbild_id(f->db, "gruen") > 0);
}

static void test_cycle_reads(void **state)
{
	struct fixture *f = *state;
	json_t *c = NULL;
	assert_int_equal(cycle_get(f->db, "de", f->cycle, T0, &c), 1);
	assert_int_equal(json_integer_value(json_object_get(c, "number")), 1);
	json_decref(c);
	assert_int_equal(cycle_get(f->db, "de", f->cycle + 100, T0, &c), 0);
	assert_null(c);
	assert_int_equal(cycle_number_exists(f->db, 1), 1);
	assert_int_equal(cycle_number_exists(f->db, 2), 0);
	assert_int_equal(cycle_open_for_submission(f->db, T0 + DAY), f->cycle);
	assert_int_equal(cycle_open_for_submission(f->db, T0 - DAY), 0);

	away(f->db, "cycles");
	assert_int_equal(cycle_get(f->db, "de", f->cycle, T0, &c), -1);
	assert_null(c);
	assert_null(cycle_list(f->db, "de", T0));
	assert_int_equal(cycle_number_exists(f->db, 1), -1);
	assert_int_equal(cycle_open_for_submission(f->db, T0 + DAY), -1);
	back(f->db, "cycles");
	c = cycle_list(f->db, "de", T0);
	assert_int_equal(json_array_size(c), 1);
	json_decref(c);
}

/* Submitting while a lookup fails is an error (500), not a field problem (422)
 * nor a closed window (409). */
static void test_submit_lookups(void **state)
{
	struct fixture *f = *state;
	static const char *const tables[] = { "fields", "stadtteile", "cycles", "zielbilder" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		struct idea_input in = benches;
		in.zielbilder = "gruen";
		struct field_errors fe = { 0 };
		int64_t id = 0;
		away(f->db, tables[i]);
		assert_int_equal(idea_submit(f->db, f->author, &in, T0 + DAY, &fe, &id), IDEA_ERROR);
		back(f->db, tables[i]);
	}
	struct idea_filter all = { .limit = 10 };
	json_t *page = idea_list(f->db, "de", &all);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);    /* nothing stored */
	json_decref(page);
}

static void test_status_caretaker_merge_reads(void **state)
{
	struct fixture *f = *state;
	int64_t author = 0, caretaker = -1;
	char status[24];
	json_t *ct = NULL;
	assert_int_equal(idea_status_facts(f->db, f->idea, &author, status, &caretaker), 1);
	assert_int_equal(author, f->author);
	assert_string_equal(status, "submitted");
	assert_int_equal(idea_status_facts(f->db, f->idea + 100, NULL, NULL, NULL), 0);
	assert_int_equal(caretaker_of(f->db, f->idea, &ct), 0);
	assert_true(json_is_null(ct));
	assert_int_equal(merge_target_of(f->db, f->idea), 0);
	assert_int_equal(support_count(f->db, f->idea), 0);
	assert_int_equal(support_count(f->db, f->idea + 100), SUPPORT_COUNT_NO_IDEA);
	json_t *tl = idea_status_timeline(f->db, "de", f->idea);
	assert_int_equal(json_array_size(tl), 0);
	json_decref(tl);

	away(f->db, "ideas");
	assert_int_equal(idea_status_facts(f->db, f->idea, &author, status, NULL), -1);
	assert_int_equal(caretaker_of(f->db, f->idea, &ct), -1);
	assert_null(ct);
	assert_int_equal(merge_target_of(f->db, f->idea), -1);
	assert_int_equal(support_count(f->db, f->idea), SUPPORT_COUNT_FAILED);
	assert_null(merge_sources(f->db, f->idea));
	assert_null(similar_ideas(f->db, "de", "Bänke am Rhein", "", 0, SIMILAR_MAX));
	struct field_errors fe = { 0 };
	assert_int_equal(idea_status_change(f->db, f->idea, f->author, "resident", "withdrawn",
					    "Ich ziehe die Idee zurück.", T0 + 2 * DAY, &fe), STATUS_RC_ERROR);
	int64_t n = 0;
	assert_int_equal(support_add(f->db, f->idea, f->author, &n), SUPPORT_ERROR);
	back(f->db, "ideas");

	away(f->db, "idea_status_history");
	assert_null(idea_status_timeline(f->db, "de", f->idea));
	back(f->db, "idea_status_history");
	away(f->db, "users");
	assert_null(caretaker_candidates(f->db));
	assert_int_equal(caretaker_assign(f->db, f->idea, f->author, f->author, T0, &fe), STATUS_RC_ERROR);
	assert_int_equal(fe.count, 0);     /* no "invalid caretaker": nothing was decided */
	back(f->db, "users");
	assert_int_equal(caretaker_assign(f->db, f->idea, f->author, f->author, T0, &fe), STATUS_RC_INVALID);
}

static void test_caretaker_lists(void **state)
{
	struct fixture *f = *state;
	json_t *page = caretaker_ideas(f->db, "de", f->author, 0, 0, 10, T0);
	json_t *waiting = caretaker_waiting(f->db, "de", f->author, T0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(waiting, "total")), 0);
	json_decref(page);
	json_decref(waiting);
	away(f->db, "cycles");
	assert_null(caretaker_ideas(f->db, "de", f->author, 0, 0, 10, T0));
	assert_null(caretaker_waiting(f->db, "de", f->author, T0));
	back(f->db, "cycles");
}

/* The invitation's token, from the newest invitation mail. */
static void invitation_token(struct db *db, char token[TOKEN_LEN + 1])
{
	struct db_stmt *st = db_prepare(db, "SELECT body FROM outbox WHERE body LIKE '%/coauthor?token=%' "
					    "ORDER BY id DESC LIMIT 1");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	const char *p = strstr(db_text(st, 0), "token=");
	assert_non_null(p);
	snprintf(token, TOKEN_LEN + 1, "%s", p + 6);
	db_done(st);
}

static void test_coauthor_lookup(void **state)
{
	struct fixture *f = *state;
	char token[TOKEN_LEN + 1], other[TOKEN_LEN + 1];
	assert_int_equal(coauthor_invite(f->db, f->idea, "ben@example.org", "Anna", benches.title,
					 "https://unbox.example", "de", T0), DB_OK);
	invitation_token(f->db, token);
	json_t *inv = NULL;
	assert_int_equal(coauthor_lookup(f->db, token, &inv), 1);
	assert_string_equal(json_string_value(json_object_get(inv, "status")), "invited");
	json_decref(inv);
	token_new(other);
	assert_int_equal(coauthor_lookup(f->db, other, &inv), 0);
	assert_null(inv);

	away(f->db, "co_authors");
	assert_int_equal(coauthor_lookup(f->db, token, &inv), -1);
	assert_null(inv);
	assert_null(coauthor_accepted(f->db, f->idea));
	struct field_errors fe = { 0 };
	assert_int_equal(coauthor_answer(f->db, token, false, NULL, 0, T0, &fe), COAUTHOR_ERROR);
	back(f->db, "co_authors");
	assert_int_equal(coauthor_answer(f->db, token, false, NULL, 0, T0, &fe), COAUTHOR_OK);
}

static void test_map_reads(void **state)
{
	struct fixture *f = *state;
	struct idea_filter all = { 0 };
	struct idea_where w;
	struct map_frame fr;
	assert_int_equal(idea_where_resolve(f->db, &all, &w), 0);
	json_t *m = map_districts(f->db, &w, &fr);
	assert_int_equal(json_integer_value(json_object_get(m, "total")), 1);
	json_decref(m);
	assert_int_equal(map_has_points(f->db), 1);
	away(f->db, "stadtbezirke");
	assert_null(map_districts(f->db, &w, &fr));
	back(f->db, "stadtbezirke");
	m = map_districts(f->db, &w, &fr);
	away(f->db, "ideas");
	json_decref(m);
	assert_null(map_districts(f->db, &w, &fr));      /* the counts fail */
	back(f->db, "ideas");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idea_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idea_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycle_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_caretaker_merge_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caretaker_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coauthor_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_reads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
