/* The texts of the information pages and the city's settings: the heading
 * rule (pure), versions that never overwrite one another, the conflict of
 * two writers, an unchanged text stored once, the audit rows; settings
 * validated, stored when changed, each with an audit row. On SQLite, and on
 * PostgreSQL with UNBOX_TEST_PG. */
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
#include "db/db.h"
#include "domain/errors.h"
#include "domain/portal/infotext.h"
#include "domain/settings.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
};

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-infotext-XXXXXX");
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
	testdb_remove(f->dir);
	free(f);
	return 0;
}

/* The code of the body's problem, or NULL. */
static const char *body_problem(const char *body)
{
	static struct field_errors fe;
	fe = (struct field_errors){ 0 };
	struct infotext_input in = { .slug = "about", .lang = "de", .title = "Titel", .body_md = body };
	infotext_validate(&in, &fe);
	return field_error_for(&fe, "body");
}

static void test_headings(void **state)
{
	(void)state;
	assert_null(body_problem("Text ohne Überschrift."));
	assert_null(body_problem("## Eins\n\n### Eins a\n\n## Zwei\n\n### Zwei a\n\n#### Tief"));
	assert_null(body_problem("## Zwei\n\n### Drei\n\n## Wieder zwei"));
	assert_null(body_problem("Absatz\n---\n\nEin Strich oder eine Überschrift der Ebene 2"));
	assert_null(body_problem("```\n# kein Titel, sondern Code\n```\n\n## Danach"));
	assert_null(body_problem("~~~sh\n#### auch Code\n~~~"));
	assert_null(body_problem("#hashtag ist keine Überschrift"));
	assert_string_equal(body_problem("# Zweiter Titel"), "heading_top");
	assert_string_equal(body_problem("   # eingerückt"), "heading_top");
	assert_string_equal(body_problem("Titel\n====="), "heading_top");
	assert_string_equal(body_problem("### Gleich Ebene 3"), "heading_order");
	assert_string_equal(body_problem("## Zwei\n\n#### Vier"), "heading_order");
	assert_string_equal(body_problem("```\n## Code\n```\n### ohne Ebene 2"), "heading_order");
	assert_string_equal(body_problem(""), "required");
}

static void test_versions(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	int64_t v = 0;
	struct infotext_input in = { .slug = "impressum", .lang = "de", .base_version = 0, .title = "Impressum",
				     .body_md = "## Anbieterin\n\nStadt Köln <b>fett</b>", .demo = true };
	assert_int_equal(infotext_save(db, &in, T0, &fe, &v), INFOTEXT_OK);
	assert_int_equal(v, 1);
	/* the same text again: nothing new */
	assert_int_equal(infotext_save(db, &in, T0 + 1, &fe, &v), INFOTEXT_CONFLICT);   /* base 0 is stale now */
	assert_int_equal(v, 1);
	in.base_version = 1;
	assert_int_equal(infotext_save(db, &in, T0 + 1, &fe, &v), INFOTEXT_OK);
	assert_int_equal(v, 1);
	/* the team's own text: version 2, no longer a demo text */
	in.demo = false;
	in.actor = 0;
	in.body_md = "## Anbieterin\n\nStadt Köln, Amt 12";
	in.note = "eigene Angaben";
	assert_int_equal(infotext_save(db, &in, T0 + 2, &fe, &v), INFOTEXT_OK);
	assert_int_equal(v, 2);
	/* a writer who started from version 1 is told of version 2 */
	in.body_md = "## Anbieterin\n\nÜberschrieben?";
	assert_int_equal(infotext_save(db, &in, T0 + 3, &fe, &v), INFOTEXT_CONFLICT);
	assert_int_equal(v, 2);
	json_t *t;
	assert_int_equal(infotext_get(db, "impressum", "de", "en", &t), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "version")), 2);
	assert_false(json_is_true(json_object_get(t, "demo")));
	assert_string_equal(json_string_value(json_object_get(t, "updated_at")), "2026-01-01T00:00:02Z");
	assert_non_null(strstr(json_string_value(json_object_get(t, "html")), "Amt 12"));
	json_decref(t);
	/* the first version is still there, its raw HTML dropped */
	json_t *h = infotext_history(db, "impressum", "de", "de", 0, 1);
	assert_int_equal(json_array_size(json_object_get(h, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(h, "next")), 2);
	json_decref(h);
	h = infotext_history(db, "impressum", "de", "de", 2, 10);
	json_t *first = json_array_get(json_object_get(h, "items"), 0);
	int64_t id = json_integer_value(json_object_get(first, "id"));
	assert_true(json_is_null(json_object_get(h, "next")));
	json_decref(h);
	assert_int_equal(infotext_version(db, "de", id, &t), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "version")), 1);
	assert_null(strstr(json_string_value(json_object_get(t, "html")), "<b>"));
	json_decref(t);
	/* one audit row per stored version */
	int64_t n = 0;
	assert_int_equal(db_find_int(db, &n, "SELECT COUNT(*) FROM audit WHERE action = 'text.edit'", NULL), 1);
	assert_int_equal(n, 2);
	/* pages and languages that do not exist */
	in.slug = "leichte-sprache";
	in.lang = "en";
	assert_int_equal(infotext_save(db, &in, T0, &fe, &v), INFOTEXT_NOT_FOUND);
	in.slug = "agb";
	in.lang = "de";
	assert_int_equal(infotext_save(db, &in, T0, &fe, &v), INFOTEXT_NOT_FOUND);
	assert_int_equal(infotext_get(db, "kontakt", "de", "de", &t), 0);
}

/* the settings form's body limit (routes.c) is made from this sum */
static void test_settings_form_chars(void **state)
{
	(void)state;
	int sum = 0;
	for (const struct setting_def *d = setting_defs; d->key; d++)
		sum += d->max;
	assert_int_equal(sum, SETTINGS_FORM_CHARS);
}

static void test_settings(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	struct field_errors fe = { 0 };
	int changed = 0;
	json_t *bad = json_pack("{ss ss ss ss ss}", "city_name", "K", "contact_email", "nope", "contact_phone", "call me",
				"logo_url", "https://elsewhere.example/logo.png", "colour", "red");
	assert_int_equal(settings_update(db, bad, 0, T0, &fe, &changed), SETTINGS_INVALID);
	assert_int_equal(fe.count, 5);
	assert_string_equal(field_error_for(&fe, "city_name"), "too_short");
	assert_string_equal(field_error_for(&fe, "contact_email"), "invalid");
	assert_string_equal(field_error_for(&fe, "contact_phone"), "invalid");
	assert_string_equal(field_error_for(&fe, "logo_url"), "invalid");
	assert_string_equal(field_error_for(&fe, "colour"), "unknown");
	json_decref(bad);
	json_t *good = json_pack("{ss ss ss}", "city_name", "  Stadt Köln ", "contact_phone", "+49 (221) 221-0", "logo_url", "");
	fe = (struct field_errors){ 0 };
	assert_int_equal(settings_update(db, good, 0, T0, &fe, &changed), SETTINGS_OK);
	assert_int_equal(changed, 2);    /* the empty logo_url was empty already */
	assert_int_equal(settings_update(db, good, 0, T0, &fe, &changed), SETTINGS_OK);
	assert_int_equal(changed, 0);
	json_decref(good);
	json_t *s = settings_read(db);
	assert_string_equal(json_string_value(json_object_get(s, "city_name")), "Stadt Köln");
	assert_string_equal(json_string_value(json_object_get(s, "feedback_email")), "");
	json_decref(s);
	int64_t n = 0;
	assert_int_equal(db_find_int(db, &n, "SELECT COUNT(*) FROM audit WHERE action = 'settings.change'", NULL), 1);
	assert_int_equal(n, 2);
	/* a logo must be an image */
	assert_int_equal(settings_set_logo(db, f->dir, "/nonexistent", "00", "text/plain", 0, T0, &fe), SETTINGS_INVALID);
	assert_string_equal(field_error_for(&fe, "file"), "type");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_settings_form_chars),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
