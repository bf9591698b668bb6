/* Cycles: validation of the team's input (window within phase 1, cap,
 * target, months), create and update with audit rows and a new content
 * version, numbers taken, and the view model (dates for the form, euros). */
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
#include "core/log.h"
#include "db/db.h"
#include "domain/content.h"
#include "domain/dialogue/cycle.h"
#include "domain/errors.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-cycle-XXXXXX");
	char err[256];
	if (!mkdtemp(f->dir) || testdb_dsn(f->dsn, sizeof f->dsn, f->dir) < 0)
		return -1;
	f->db = db_open(f->dsn, err, sizeof err);
	if (!f->db || db_migrate(f->db, SOURCE_ROOT "/migrations") < 1)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct cycle sample(void)
{
	struct cycle c = { .number = 5, .theme_de = "Köln. Offen. Vernetzt.", .theme_en = "Cologne. Open. Connected.",
			   .submission_start = T0, .submission_end = T0 + 60 * DAY,
			   .phase_start = { T0, T0 + 90 * DAY, T0 + 180 * DAY, T0 + 270 * DAY },
			   .phase4_end = T0 + 365 * DAY };
	return c;
}

static const char *check(struct cycle c)
{
	static struct field_errors fe;
	fe = (struct field_errors){ 0 };
	if (cycle_validate(&c, &fe) == 0)
		return NULL;
	static char out[64];
	snprintf(out, sizeof out, "%s/%s", fe.items[0].field, fe.items[0].code);
	return out;
}

static void test_validate(void **state)
{
	(void)state;
	struct cycle c = sample();
	assert_null(check(c));
	c.funding_cap_eur = 40000;
	c.target_projects = 15;
	c.prototype_months = 24;
	assert_null(check(c));

	c = sample();
	c.target_projects = 16;
	assert_string_equal(check(c), "target_projects/out_of_range");
	c = sample();
	c.target_projects = -1;     /* input that was no number */
	assert_string_equal(check(c), "target_projects/out_of_range");
	c = sample();
	c.prototype_months = 25;
	assert_string_equal(check(c), "prototype_months/out_of_range");
	c = sample();
	c.funding_cap_eur = -1;
	assert_string_equal(check(c), "funding_cap_eur/out_of_range");

	/* the window lies within phase 1 */
	c = sample();
	c.submission_start = T0 - DAY;
	assert_string_equal(check(c), "submission_start/outside_phase1");
	c = sample();
	c.submission_end = T0 + 90 * DAY + 1;
	assert_string_equal(check(c), "submission_start/outside_phase1");
	c = sample();
	c.submission_end = T0 + 90 * DAY;          /* up to the start of phase 2 (exclusive end) */
	assert_null(check(c));
	c = sample();
	c.submission_end = c.submission_start;
	assert_string_equal(check(c), "submission_end/before_start");
}

static void test_create_update(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	struct field_errors fe = { 0 };
	int64_t id = 0, v0 = content_version(db);
	struct cycle c = sample();
	assert_int_equal(cycle_create(db, 0, &c, T0, &fe, &id), CYCLE_OK);
	assert_true(id > 0);
	assert_true(content_version(db) > v0);
	char subject[32];
	snprintf(subject, sizeof subject, "cycle:%lld", (long long)id);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'cycle.create' AND subject = $1",
				    "s", subject), 1);
	/* defaults stored for 0 */
	assert_int_equal(db_one_int(db, 0, "SELECT funding_cap_eur FROM cycles WHERE id = $1", "i", id), 50000);
	assert_int_equal(db_one_int(db, 0, "SELECT target_projects FROM cycles WHERE id = $1", "i", id), 15);
	assert_int_equal(db_one_int(db, 0, "SELECT prototype_months FROM cycles WHERE id = $1", "i", id), 6);

	/* the same number again */
	int64_t other = 0;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_create(db, 0, &c, T0, &fe, &other), CYCLE_INVALID);
	assert_string_equal(field_error_for(&fe, "number"), "taken");

	/* invalid input stores nothing */
	struct cycle bad = sample();
	bad.number = 6;
	bad.target_projects = 99;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_create(db, 0, &bad, T0, &fe, &other), CYCLE_INVALID);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM cycles", NULL), 1);

	/* update */
	c.number = 6;
	c.target_projects = 10;
	c.prototype_months = 9;
	c.funding_cap_eur = 45000;
	int64_t v1 = content_version(db);
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_update(db, 0, id, &c, T0 + DAY, &fe), CYCLE_OK);
	assert_true(content_version(db) > v1);
	assert_int_equal(db_one_int(db, 0, "SELECT number FROM cycles WHERE id = $1", "i", id), 6);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM audit WHERE action = 'cycle.update'", NULL), 1);
	assert_int_equal(cycle_update(db, 0, id + 100, &c, T0, &fe), CYCLE_NOT_FOUND);

	/* a second cycle may not take the first one's number */
	struct cycle two = sample();
	two.number = 7;
	fe = (struct field_errors){ 0 };
	assert_int_equal(cycle_create(db, 0, &two, T0, &fe, &other), CYCLE_OK);
	two.number = 6;
	assert_int_equal(cycle_update(db, 0, other, &two, T0, &fe), CYCLE_INVALID);
	assert_string_equal(field_error_for(&fe, "number"), "taken");

	/* both are open for submission; the newest number wins; the window's end is exclusive */
	assert_int_equal(cycle_open_for_submission(db, T0 + DAY), other);
	assert_int_equal(cycle_open_for_submission(db, T0 + 60 * DAY), 0);

	/* the view model */
	json_t *o = NULL;
	assert_int_equal(cycle_get(db, "de", id, T0 + DAY, &o), 1);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "funding_cap")), "45.000 €");
	assert_int_equal(json_integer_value(json_object_get(o, "target_projects")), 10);
	json_t *dates = json_object_get(o, "dates");
	assert_string_equal(json_string_value(json_object_get(dates, "submission_start")), "2026-01-01");
	assert_string_equal(json_string_value(json_object_get(dates, "submission_end")), "2026-03-01");   /* last day */
	assert_string_equal(json_string_value(json_object_get(dates, "phase4_end")), "2026-12-31");
	assert_true(json_is_true(json_object_get(o, "submission_open")));
	assert_int_equal(json_array_size(json_object_get(o, "phases")), 4);
	json_decref(o);
	assert_int_equal(cycle_get(db, "en", id, T0, &o), 1);
	assert_string_equal(json_string_value(json_object_get(o, "funding_cap")), "€45,000");
	json_decref(o);
	assert_int_equal(cycle_get(db, "de", id + 100, T0, &o), 0);
	assert_null(o);
	json_t *list = cycle_list(db, "en", T0);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "number")), 7);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test_setup_teardown(test_create_update, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
