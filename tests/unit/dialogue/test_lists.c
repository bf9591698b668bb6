/* The idea list's filters, sort orders and keyset cursors (src/domain/idea.h),
 * and full-text search over comments with the list's filters
 * (src/domain/search.h), on a real migrated database: a SQLite file, or a
 * fresh PostgreSQL database when UNBOX_TEST_PG names a scripts/pgtmp cluster
 * (see testdb.h). Every expectation is the same on both backends. */
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
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/place.h"
#include "domain/dialogue/search.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

struct fixture {
	char dir[64];
	struct db *db;
	int64_t cycle1, cycle2;
	int64_t ids[12];
};

static const char *const bezirke_json =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"nr\":1,\"name\":\"Innenstadt\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.95,50.94]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":2,\"name\":\"Rodenkirchen\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.99,50.88]}}]}";
static const char *const teile_json =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"nr\":105,\"name\":\"Deutz\",\"stadtbezirk_nr\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":201,\"name\":\"Bayenthal\",\"stadtbezirk_nr\":2},\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.97,50.9]}}]}";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Twelve ideas, i = 0..11, created on day i: cycle 1 for even i, cycle 2 for
 * odd; field climate for i % 3 == 0; Stadtteil Bayenthal (Bezirk 2) for
 * i % 4 == 0; supports i % 3 (ties!), comment_count i % 4 (ties), activity
 * 100 - i days (reverse of newest); status in_dialogue for i >= 8. */
static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-lists-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char dsn[256], err[256];
	if (testdb_dsn(dsn, sizeof dsn, f->dir) < 0)
		return -1;
	f->db = db_open(dsn, err, sizeof err);
	if (!f->db || db_migrate(f->db, SOURCE_ROOT "/migrations") < 1)
		return -1;
	/* cycle 1 is in Ideensammlung at T0 + 50 days, cycle 2 in Umsetzung */
	struct cycle c1 = { .number = 1, .theme_de = "Eins", .theme_en = "One",
			    .submission_start = T0, .submission_end = T0 + 90 * DAY,
			    .phase_start = { T0, T0 + 90 * DAY, T0 + 180 * DAY, T0 + 270 * DAY },
			    .phase4_end = T0 + 365 * DAY };
	struct cycle c2 = { .number = 2, .theme_de = "Zwei", .theme_en = "Two",
			    .submission_start = T0 - 400 * DAY, .submission_end = T0 - 300 * DAY,
			    .phase_start = { T0 - 400 * DAY, T0 - 300 * DAY, T0 - 200 * DAY, T0 - 100 * DAY },
			    .phase4_end = T0 + 100 * DAY };
	if (place_import(f->db, bezirke_json, teile_json, err, sizeof err) < 2 ||
	    field_add(f->db, "mobility", "Mobilität", "Mobility") != DB_OK ||
	    field_add(f->db, "climate", "Klima", "Climate") != DB_OK ||
	    cycle_save(f->db, &c1, &f->cycle1) != DB_OK || cycle_save(f->db, &c2, &f->cycle2) != DB_OK)
		return -1;
	for (int i = 0; i < 12; i++) {
		char title[64];
		snprintf(title, sizeof title, "Idee Nummer %d", i);
		struct idea_input in = { .title = title, .summary = "Eine kurze Zusammenfassung.",
					 .description = "Eine Beschreibung, lang genug für die Prüfung.",
					 .field = i % 3 == 0 ? "climate" : "mobility",
					 .stadtteil = i % 4 == 0 ? "201" : "105" };
		if (idea_insert(f->db, i % 2 ? f->cycle2 : f->cycle1, 0, &in, T0 + (int64_t)i * DAY, &f->ids[i]) != IDEA_OK)
			return -1;
		if (db_run(f->db, "UPDATE ideas SET supports = $2, comment_count = $3, last_activity_at = $4, "
			   "status = $5 WHERE id = $1", "iiiis", f->ids[i], (int64_t)(i % 3), (int64_t)(i % 4),
			   (int64_t)(T0 + (100 - i) * DAY), i >= 8 ? "in_dialogue" : "submitted") != DB_OK)
			return -1;
	}
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

/* The idea numbers (0..11) of a page, as "3 1 2". */
static const char *numbers(struct fixture *f, json_t *page)
{
	static char out[256];
	size_t i, n = 0;
	json_t *item;
	out[0] = '\0';
	json_array_foreach(json_object_get(page, "items"), i, item) {
		int64_t id = json_integer_value(json_object_get(item, "id"));
		int k = -1;
		for (int j = 0; j < 12; j++)
			if (f->ids[j] == id)
				k = j;
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%d", i ? " " : "", k);
	}
	return out;
}

/* All pages of the filter, `limit` ideas each, joined with " | ". */
static const char *all_pages(struct fixture *f, struct idea_filter flt)
{
	static char out[512];
	size_t n = 0;
	out[0] = '\0';
	for (int pages = 0; pages < 20; pages++) {
		json_t *page = idea_list(f->db, "de", &flt);
		assert_non_null(page);
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", pages ? " | " : "", numbers(f, page));
		const char *next = json_string_value(json_object_get(page, "next"));
		if (!next) {
			json_decref(page);
			return out;
		}
		assert_int_equal(idea_cursor_parse_sort(next, flt.sort, &flt.before_t, &flt.before_id), 0);
		json_decref(page);
	}
	fail_msg("no end of pages");
	return NULL;
}

static void test_sort_keys_and_cursors(void **state)
{
	(void)state;
	assert_int_equal(idea_sort_parse("newest"), IDEA_SORT_NEWEST);
	assert_int_equal(idea_sort_parse("supported"), IDEA_SORT_SUPPORTED);
	assert_int_equal(idea_sort_parse("discussed"), IDEA_SORT_DISCUSSED);
	assert_int_equal(idea_sort_parse("active"), IDEA_SORT_ACTIVE);
	assert_int_equal(idea_sort_parse("random"), -1);
	assert_int_equal(idea_sort_parse("Newest"), -1);
	assert_int_equal(idea_sort_parse(NULL), -1);
	int64_t k, id;
	assert_int_equal(idea_cursor_parse_sort("1767225600.42", IDEA_SORT_NEWEST, &k, &id), 0);
	assert_int_equal(k, 1767225600);
	assert_int_equal(id, 42);
	assert_int_equal(idea_cursor_parse_sort("s0.7", IDEA_SORT_SUPPORTED, &k, &id), 0);
	assert_int_equal(k, 0);
	assert_int_equal(id, 7);
	assert_int_equal(idea_cursor_parse_sort("d12.9", IDEA_SORT_DISCUSSED, &k, &id), 0);
	assert_int_equal(idea_cursor_parse_sort("a1767225600.3", IDEA_SORT_ACTIVE, &k, &id), 0);
	/* a cursor of another sort */
	assert_int_equal(idea_cursor_parse_sort("s0.7", IDEA_SORT_NEWEST, &k, &id), -1);
	assert_int_equal(idea_cursor_parse_sort("s0.7", IDEA_SORT_DISCUSSED, &k, &id), -1);
	assert_int_equal(idea_cursor_parse_sort("1767225600.42", IDEA_SORT_ACTIVE, &k, &id), -1);
	assert_int_equal(idea_cursor_parse_sort("a1.2", IDEA_SORT_SUPPORTED, &k, &id), -1);
	/* malformed */
	static const char *const bad[] = { "", "s", "s.1", "s1.", "s1.0", "s-1.2", "s1.2x", "s1..2", "x1.2",
					   "s1.-2", "S1.2" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (idea_cursor_parse_sort(bad[i], IDEA_SORT_SUPPORTED, &k, &id) != -1)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(idea_cursor_parse_sort(NULL, IDEA_SORT_SUPPORTED, &k, &id), -1);
	assert_int_equal(idea_cursor_parse_sort("s1.2", 9, &k, &id), -1);
}

static void test_sorts_page_without_gaps(void **state)
{
	struct fixture *f = *state;
	/* newest: 11 .. 0 */
	assert_string_equal(all_pages(f, (struct idea_filter){ .limit = 5 }), "11 10 9 8 7 | 6 5 4 3 2 | 1 0");
	/* supports i % 3 descending, ties by id descending */
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = IDEA_SORT_SUPPORTED, .limit = 4 }),
			    "11 8 5 2 | 10 7 4 1 | 9 6 3 0");
	/* same, pages that cut through a group of ties */
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = IDEA_SORT_SUPPORTED, .limit = 5 }),
			    "11 8 5 2 10 | 7 4 1 9 6 | 3 0");
	/* comment_count i % 4 descending, ties by id */
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = IDEA_SORT_DISCUSSED, .limit = 3 }),
			    "11 7 3 | 10 6 2 | 9 5 1 | 8 4 0");
	/* activity 100 - i days: 0 first */
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = IDEA_SORT_ACTIVE, .limit = 5 }),
			    "0 1 2 3 4 | 5 6 7 8 9 | 10 11");
	/* out-of-range sort: newest */
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = 42, .limit = 20 }),
			    "11 10 9 8 7 6 5 4 3 2 1 0");
	/* the cursor names its sort */
	json_t *page = idea_list(f->db, "de", &(struct idea_filter){ .sort = IDEA_SORT_SUPPORTED, .limit = 1 });
	char cursor[64];
	snprintf(cursor, sizeof cursor, "s2.%lld", (long long)f->ids[11]);
	assert_string_equal(json_string_value(json_object_get(page, "next")), cursor);
	json_decref(page);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	int64_t now = T0 + 50 * DAY;
	assert_string_equal(all_pages(f, (struct idea_filter){ .status = "in_dialogue", .limit = 20 }), "11 10 9 8");
	assert_string_equal(all_pages(f, (struct idea_filter){ .status = "eligible", .limit = 20 }), "");
	assert_string_equal(all_pages(f, (struct idea_filter){ .cycle = 1, .limit = 20 }), "10 8 6 4 2 0");
	assert_string_equal(all_pages(f, (struct idea_filter){ .cycle = 2, .sort = IDEA_SORT_SUPPORTED, .limit = 2 }),
			    "11 5 | 7 1 | 9 3");
	assert_string_equal(all_pages(f, (struct idea_filter){ .cycle = 3, .limit = 20 }), "");
	/* phase: the cycles now in that phase */
	assert_string_equal(all_pages(f, (struct idea_filter){ .phase = "ideensammlung", .now = now, .limit = 20 }),
			    "10 8 6 4 2 0");
	assert_string_equal(all_pages(f, (struct idea_filter){ .phase = "umsetzung", .now = now, .limit = 20 }),
			    "11 9 7 5 3 1");
	assert_string_equal(all_pages(f, (struct idea_filter){ .phase = "done", .now = now, .limit = 20 }), "");
	assert_string_equal(all_pages(f, (struct idea_filter){ .phase = "nonsense", .now = now, .limit = 20 }), "");
	/* both in the same phase a year later (done): several cycles */
	assert_string_equal(all_pages(f, (struct idea_filter){ .phase = "done", .now = T0 + 400 * DAY, .limit = 5 }),
			    "11 10 9 8 7 | 6 5 4 3 2 | 1 0");
	/* a cycle and a phase: that cycle when it is in the phase */
	assert_string_equal(all_pages(f, (struct idea_filter){ .cycle = 2, .phase = "umsetzung", .now = now,
							      .limit = 20 }), "11 9 7 5 3 1");
	assert_string_equal(all_pages(f, (struct idea_filter){ .cycle = 1, .phase = "umsetzung", .now = now,
							      .limit = 20 }), "");
	/* combined with field, bezirk and sort */
	assert_string_equal(all_pages(f, (struct idea_filter){ .field = "climate", .limit = 20 }), "9 6 3 0");
	assert_string_equal(all_pages(f, (struct idea_filter){ .bezirk = 2, .limit = 20 }), "8 4 0");
	assert_string_equal(all_pages(f, (struct idea_filter){ .field = "climate", .cycle = 1,
							      .sort = IDEA_SORT_ACTIVE, .limit = 1 }), "0 | 6");
	assert_string_equal(all_pages(f, (struct idea_filter){ .field = "mobility", .status = "submitted",
							      .phase = "umsetzung", .now = now,
							      .sort = IDEA_SORT_DISCUSSED, .limit = 20 }), "7 5 1");
	assert_string_equal(all_pages(f, (struct idea_filter){ .field = "nope", .limit = 20 }), "");
	/* hidden ideas are never listed */
	assert_int_equal(db_run(f->db, "UPDATE ideas SET hidden_at = 1 WHERE id = $1", "i", f->ids[11]), DB_OK);
	assert_string_equal(all_pages(f, (struct idea_filter){ .sort = IDEA_SORT_SUPPORTED, .limit = 4 }),
			    "8 5 2 10 | 7 4 1 9 | 6 3 0");
}

/* A comment stored directly (the triggers keep the index), on idea i. */
static int64_t comment(struct fixture *f, int i, const char *body, int64_t at)
{
	struct db_stmt *st = db_prepare(f->db, "INSERT INTO comments (target_kind, target_id, body_md, body_html, "
					       "created_at, last_activity_at) VALUES ('idea', $1, $2, $2, $3, $3) RETURNING id");
	int64_t id = 0;
	assert_non_null(st);
	assert_int_equal(db_bind(st, "isi", f->ids[i], body, at), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	id = db_int(st, 0);
	db_done(st);
	return id;
}

/* The comment ids found for q with filter flt, as "3 1 2". */
static const char *found(struct fixture *f, const char *q, const struct idea_filter *flt)
{
	static char out[256];
	struct idea_where w;
	assert_int_equal(idea_where_resolve(f->db, flt, &w), 0);
	json_t *page = search_run(f->db, "de", SEARCH_COMMENTS, q, &w, SEARCH_PAGE_MAX, NULL);
	assert_non_null(page);
	size_t i, n = 0;
	json_t *item;
	out[0] = '\0';
	json_array_foreach(json_object_get(page, "items"), i, item)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", i ? " " : "",
				      (long long)json_integer_value(json_object_get(item, "id")));
	json_decref(page);
	return out;
}

static const char *idlist(int count, ...)
{
	static char out[256];
	va_list ap;
	va_start(ap, count);
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < count; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld", i ? " " : "", (long long)va_arg(ap, int64_t));
	va_end(ap);
	return out;
}

static void test_comment_search(void **state)
{
	struct fixture *f = *state;
	struct idea_filter all = { 0 };
	int64_t a = comment(f, 0, "Mehr **Bäume** in der Straße, bitte!", T0 + DAY);
	int64_t b = comment(f, 3, "Ein Baum allein reicht nicht.", T0 + 2 * DAY);
	int64_t c = comment(f, 4, "Die Radwege sind zu schmal.", T0 + 3 * DAY);
	int64_t d = comment(f, 6, "Baum und Bank, gleich gelöscht.", T0 + 4 * DAY);
	int64_t e = comment(f, 9, "Baum, bald verborgen.", T0 + 5 * DAY);
	/* stems: Bäume finds Baum; newest first */
	assert_string_equal(found(f, "Bäume", &all), idlist(4, e, d, b, a));
	assert_string_equal(found(f, "Straßen", &all), idlist(1, a));
	assert_string_equal(found(f, "radweg", &all), idlist(1, c));
	assert_string_equal(found(f, "Baum Bank", &all), idlist(1, d));
	assert_string_equal(found(f, "und", &all), "");     /* stop words only */
	assert_string_equal(found(f, "Garten", &all), "");
	/* the item */
	struct idea_where w;
	assert_int_equal(idea_where_resolve(f->db, &all, &w), 0);
	json_t *page = search_run(f->db, "en", SEARCH_COMMENTS, "Straße", &w, 0, NULL);
	json_t *item = json_array_get(json_object_get(page, "items"), 0);
	char url[80];
	snprintf(url, sizeof url, "/ideas/%lld#comment-%lld", (long long)f->ids[0], (long long)a);
	assert_string_equal(json_string_value(json_object_get(item, "url")), url);
	assert_string_equal(json_string_value(json_object_get(item, "excerpt")), "Mehr **Bäume** in der Straße, bitte!");
	assert_string_equal(json_string_value(json_object_get(json_object_get(item, "idea"), "title")), "Idee Nummer 0");
	assert_int_equal(json_integer_value(json_object_get(page, "max_limit")), SEARCH_PAGE_MAX);
	json_decref(page);
	/* deleted (text cleared, as comment_delete does) and hidden comments are never found */
	assert_int_equal(db_run(f->db, "UPDATE comments SET deleted_at = 1, body_md = '', body_html = '' WHERE id = $1",
				"i", d), DB_OK);
	assert_int_equal(db_run(f->db, "UPDATE comments SET hidden_at = 1, hidden_reason = 'x' WHERE id = $1", "i", e),
			 DB_OK);
	assert_string_equal(found(f, "Baum", &all), idlist(2, b, a));
	/* even with the text kept */
	assert_int_equal(db_run(f->db, "UPDATE comments SET deleted_at = 1 WHERE id = $1", "i", c), DB_OK);
	assert_string_equal(found(f, "Radwege", &all), "");
	/* the filters of the list apply to the comment's idea */
	assert_string_equal(found(f, "Baum", &(struct idea_filter){ .field = "climate" }), idlist(2, b, a));
	assert_string_equal(found(f, "Baum", &(struct idea_filter){ .bezirk = 2 }), idlist(1, a));
	assert_string_equal(found(f, "Baum", &(struct idea_filter){ .cycle = 2 }), idlist(1, b));
	assert_string_equal(found(f, "Baum", &(struct idea_filter){ .phase = "ideensammlung", .now = T0 + 50 * DAY }),
			    idlist(1, a));
	assert_string_equal(found(f, "Baum", &(struct idea_filter){ .status = "in_dialogue" }), "");
	/* an edit changes what is found */
	assert_int_equal(db_run(f->db, "UPDATE comments SET body_md = 'Nur noch Gärten.' WHERE id = $1", "i", a), DB_OK);
	assert_string_equal(found(f, "Baum", &all), idlist(1, b));
	assert_string_equal(found(f, "Garten", &all), idlist(1, a));
	/* comments on hidden ideas are not found */
	assert_int_equal(db_run(f->db, "UPDATE ideas SET hidden_at = 1 WHERE id = $1", "i", f->ids[3]), DB_OK);
	assert_string_equal(found(f, "Baum", &all), "");
	/* a long text is cut at a character boundary */
	char body[600] = "";
	for (int i = 0; i < 50; i++)
		strcat(body, "Bäume ");
	int64_t g = comment(f, 2, body, T0 + 9 * DAY);
	page = search_run(f->db, "de", SEARCH_COMMENTS, "Baum", &w, 0, NULL);
	item = json_array_get(json_object_get(page, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(item, "id")), g);
	const char *ex = json_string_value(json_object_get(item, "excerpt"));
	assert_true(strlen(ex) <= SEARCH_EXCERPT_MAX + 3);
	assert_string_equal(ex + strlen(ex) - 3, "\xE2\x80\xA6");
	assert_memory_equal(ex, "Bäume Bäume", strlen("Bäume Bäume"));
	json_decref(page);
}

/* More matching comments than PostgreSQL takes through its index at once
 * (PROBE_COMMENTS in search.c): the walk answers, with the same order, pages
 * and filters. */
static void test_comment_search_common_word(void **state)
{
	struct fixture *f = *state;
	int64_t first = comment(f, 3, "Mehr Licht im Park, bitte.", T0 + DAY);
	assert_int_equal(db_run(f->db,
		"WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 400) "
		"INSERT INTO comments (target_kind, target_id, body_md, body_html, created_at, last_activity_at) "
		"SELECT 'idea', CASE WHEN k % 2 = 0 THEN $1 ELSE $2 END, 'Licht an der Ecke ' || CAST(k AS TEXT), '', "
		"  $3 + k, $3 + k FROM n", "iii", f->ids[3], f->ids[2], (int64_t)T0 + 2 * DAY), DB_OK);
	int64_t top = db_one_int(f->db, -1, "SELECT MAX(id) FROM comments", NULL);
	struct idea_where w;
	assert_int_equal(idea_where_resolve(f->db, &(struct idea_filter){ 0 }, &w), 0);
	/* page after page, newest first, down to the first one */
	struct search_cursor c, *after = NULL;
	int64_t expect = top, seen = 0;
	for (int pages = 0; pages < 10; pages++) {
		json_t *page = search_run(f->db, "de", SEARCH_COMMENTS, "Licht", &w, SEARCH_PAGE_MAX, after);
		assert_non_null(page);
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(page, "items"), i, item) {
			int64_t id = json_integer_value(json_object_get(item, "id"));
			assert_int_equal(id, seen == 400 ? first : expect--);
			seen++;
		}
		json_t *next = json_object_get(page, "next");
		if (json_is_null(next)) {
			json_decref(page);
			break;
		}
		assert_int_equal(search_cursor_parse(json_string_value(next), &c), 0);
		after = &c;
		json_decref(page);
	}
	assert_int_equal(seen, 401);
	/* a filter on the comment's idea (cycle 2: idea 3 of the fixture) */
	assert_int_equal(idea_where_resolve(f->db, &(struct idea_filter){ .cycle = 2 }, &w), 0);
	json_t *page = search_run(f->db, "de", SEARCH_COMMENTS, "Licht", &w, 5, NULL);
	json_t *items = json_object_get(page, "items");
	assert_int_equal(json_array_size(items), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(items, i), "idea"), "id")),
				 f->ids[3]);
	json_decref(page);
	/* a rare word among them */
	assert_int_equal(idea_where_resolve(f->db, &(struct idea_filter){ 0 }, &w), 0);
	assert_string_equal(found(f, "Park", &(struct idea_filter){ 0 }), idlist(1, first));
}

/* The idea search takes the same filters. */
static void test_idea_search_filters(void **state)
{
	struct fixture *f = *state;
	struct idea_where w;
	const struct { struct idea_filter flt; int count; } cases[] = {
		{ { 0 }, 12 },
		{ { .field = "climate" }, 4 },
		{ { .bezirk = 2 }, 3 },
		{ { .cycle = 1, .status = "in_dialogue" }, 2 },
		{ { .phase = "umsetzung", .now = T0 + 50 * DAY }, 6 },
		{ { .phase = "before", .now = T0 + 50 * DAY }, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(idea_where_resolve(f->db, &cases[i].flt, &w), 0);
		json_t *page = search_run(f->db, "de", SEARCH_IDEAS, "Idee", &w, SEARCH_PAGE_MAX, NULL);
		assert_non_null(page);
		if ((int)json_array_size(json_object_get(page, "items")) != cases[i].count)
			fail_msg("case %zu: %zu found", i, json_array_size(json_object_get(page, "items")));
		json_decref(page);
		/* the counts the pages state: the same, bounded */
		assert_int_equal(search_count(f->db, SEARCH_IDEAS, "Idee", &w, 100), cases[i].count);
		assert_int_equal(idea_list_count(f->db, &cases[i].flt, 100), cases[i].count);
		assert_int_equal(idea_list_count(f->db, &cases[i].flt, 2), cases[i].count > 2 ? 3 : cases[i].count);
		assert_int_equal(search_count(f->db, SEARCH_IDEAS, "Idee", &w, 2), cases[i].count > 2 ? 3 : cases[i].count);
	}
	assert_int_equal(search_count(f->db, SEARCH_IDEAS, "und", NULL, 100), 0);   /* no words: nothing */
	/* in the search's order: newest first among equals */
	assert_int_equal(idea_where_resolve(f->db, &(struct idea_filter){ .bezirk = 2 }, &w), 0);
	json_t *page = search_run(f->db, "de", SEARCH_IDEAS, "Idee", &w, SEARCH_PAGE_MAX, NULL);
	assert_string_equal(numbers(f, page), "8 4 0");
	json_decref(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_keys_and_cursors),
		cmocka_unit_test_setup_teardown(test_sorts_page_without_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comment_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comment_search_common_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idea_search_filters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
