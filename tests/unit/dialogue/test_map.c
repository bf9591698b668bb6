/* The map of ideas (src/domain/map.h): projection, SVG path data from
 * GeoJSON, shading classes, and the counts and points on a real migrated
 * database with Cologne's boundaries (SQLite, or PostgreSQL when
 * UNBOX_TEST_PG names a scripts/pgtmp cluster). Also the XML escaping the map
 * and the feeds use. */
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
#include "core/buf.h"
#include "core/escape.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/map.h"
#include "domain/place.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define DAY (24 * 3600)
#define T0 1767225600        /* 2026-01-01T00:00:00Z */

/* ---- pure parts ---- */

static void test_classes(void **state)
{
	assert_int_equal(map_class(0), 0);
	assert_int_equal(map_class(1), 1);
	assert_int_equal(map_class(2), 2);
	assert_int_equal(map_class(4), 2);
	assert_int_equal(map_class(5), 3);
	assert_int_equal(map_class(9), 3);
	assert_int_equal(map_class(10), 4);
	assert_int_equal(map_class(100000), 4);
	for (int i = 1; i < MAP_CLASSES; i++)
		assert_int_equal(map_class(map_class_min[i]), i);
}

static json_t *geo(const char *text)
{
	json_t *g = json_loads(text, 0, NULL);
	assert_non_null(g);
	return g;
}

static void test_frame(void **state)
{
	struct map_bbox bb;
	map_bbox_init(&bb);
	json_t *g = geo("{\"type\":\"Polygon\",\"coordinates\":[[[7,50],[8,50],[8,51],[7,51],[7,50]]]}");
	assert_int_equal(map_bbox_add(&bb, g), 0);
	assert_true(bb.minlon == 7 && bb.maxlon == 8 && bb.minlat == 50 && bb.maxlat == 51);
	struct map_frame fr;
	map_frame_fit(&fr, &bb, 800, 800, 10);
	assert_true(fr.ok);
	double x, y;
	/* one degree of latitude is taller than one of longitude: fills the height, centred across */
	map_project(&fr, 7, 51, &x, &y);
	assert_true(y > 9.99 && y < 10.01);
	map_project(&fr, 7, 50, &x, &y);
	assert_true(y > 789.99 && y < 790.01);
	double w = 780 * MAP_COS_LAT;
	assert_true(x > 400 - w / 2 - 0.01 && x < 400 - w / 2 + 0.01);
	map_project(&fr, 8, 50, &x, &y);
	assert_true(x > 400 + w / 2 - 0.01 && x < 400 + w / 2 + 0.01);
	/* north is up */
	double y1, y2;
	map_project(&fr, 7.5, 50.2, &x, &y1);
	map_project(&fr, 7.5, 50.8, &x, &y2);
	assert_true(y2 < y1);
	json_decref(g);

	struct map_bbox empty;
	map_bbox_init(&empty);
	map_frame_fit(&fr, &empty, 800, 800, 10);
	assert_false(fr.ok);
}

static void test_path(void **state)
{
	struct map_frame fr = { .lon0 = 0, .lat1 = 10, .k = 10, .kx = 10, .ox = 0, .oy = 0, .ok = true };
	struct buf b;
	buf_init(&b, 0);
	double cx, cy;
	/* a square 0..10 with a repeated point that must not be written twice */
	json_t *sq = geo("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,0.001],[10,10],[0,10],[0,0]]]}");
	assert_int_equal(map_path(&fr, sq, &b, &cx, &cy), 0);
	assert_string_equal(b.data, "M0.0,100.0 100.0,100.0 100.0,0.0 0.0,0.0 0.0,100.0Z");
	assert_true(cx > 49.99 && cx < 50.01 && cy > 49.99 && cy < 50.01);
	json_decref(sq);

	/* a multipolygon: two rings closed, the label in the larger one; holes ignored */
	buf_clear(&b);
	json_t *mp = geo("{\"type\":\"MultiPolygon\",\"coordinates\":["
			 "[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
			 "[[[2,2],[8,2],[8,8],[2,8],[2,2]],[[4,4],[5,4],[5,5],[4,5],[4,4]]]]}");
	assert_int_equal(map_path(&fr, mp, &b, &cx, &cy), 0);
	int zs = 0, ms = 0;
	for (const char *p = b.data; *p; p++) {
		zs += *p == 'Z';
		ms += *p == 'M';
	}
	assert_int_equal(zs, 3);
	assert_int_equal(ms, 3);
	assert_true(cx > 49.99 && cx < 50.01 && cy > 49.99 && cy < 50.01);
	json_decref(mp);

	/* only numbers, commas, spaces and the two commands: nothing to escape */
	for (const char *p = b.data; *p; p++)
		assert_non_null(strchr("MZ0123456789.,- ", *p));

	buf_clear(&b);
	json_t *pt = geo("{\"type\":\"Point\",\"coordinates\":[1,2]}");
	assert_int_equal(map_path(&fr, pt, &b, &cx, &cy), -1);
	json_decref(pt);
	json_t *bad = geo("{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",1],[null],[1]]]}");
	assert_int_equal(map_path(&fr, bad, &b, &cx, &cy), 0);
	assert_int_equal(b.len, 0);
	json_decref(bad);
	buf_free(&b);
}

static const char *xml(const char *s, size_t n)
{
	static char out[256];
	struct buf b;
	buf_init(&b, 0);
	xml_escape(&b, s, n);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void test_xml_escape(void **state)
{
	assert_string_equal(xml("a<b>&\"c'", 8), "a&lt;b&gt;&amp;&quot;c&apos;");
	assert_string_equal(xml("Köln – 50%", strlen("Köln – 50%")), "Köln – 50%");
	assert_string_equal(xml("x\x01y\tz\n\r\x1f", 8), "xy\tz\n\r");
	assert_string_equal(xml("", 0), "");
	assert_string_equal(xml("]]>", 3), "]]&gt;");
}

/* ---- on a database with Cologne's boundaries ---- */

struct fixture {
	char dir[64];
	struct db *db;
	int64_t cycle;
};

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, &n);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int db_setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-map-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char dsn[256], err[256];
	if (testdb_dsn(dsn, sizeof dsn, f->dir) < 0)
		return -1;
	f->db = db_open(dsn, err, sizeof err);
	if (!f->db || db_migrate(f->db, SOURCE_ROOT "/migrations") < 1)
		return -1;
	char *bezirke = read_all(SOURCE_ROOT "/data/koeln/stadtbezirke.geojson");
	char *teile = read_all(SOURCE_ROOT "/data/koeln/stadtteile.geojson");
	struct cycle c = { .number = 1, .theme_de = "Mobilität", .theme_en = "Mobility",
			   .submission_start = T0, .submission_end = T0 + 90 * DAY,
			   .phase_start = { T0, T0 + 90 * DAY, T0 + 180 * DAY, T0 + 270 * DAY },
			   .phase4_end = T0 + 365 * DAY };
	int n = bezirke && teile ? place_import(f->db, bezirke, teile, err, sizeof err) : -1;
	free(bezirke);
	free(teile);
	if (n != 9 + 86 || field_add(f->db, "mobility", "Mobilität", "Mobility") != DB_OK ||
	    field_add(f->db, "climate", "Klima", "Climate") != DB_OK || cycle_save(f->db, &c, &f->cycle) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static int64_t add(void **state, int day, const char *field, const char *stadtteil)
{
	struct fixture *f = *state;
	struct idea_input in = { .title = "Eine Idee für das Veedel", .summary = "Kurz gesagt: mehr Grün.",
				 .description = "Eine längere Beschreibung der Idee.", .field = field,
				 .stadtteil = stadtteil };
	int64_t id = 0;
	assert_int_equal(idea_insert(f->db, f->cycle, 0, &in, T0 + (int64_t)day * DAY, &id), IDEA_OK);
	return id;
}

static int64_t count_of(json_t *m, int64_t nr)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(m, "districts"), i, d)
		if (json_integer_value(json_object_get(d, "nr")) == nr)
			return json_integer_value(json_object_get(d, "count"));
	fail_msg("no district %lld", (long long)nr);
	return -1;
}

/* The list's filter, resolved as the web layer does it. */
static struct idea_where where(struct db *db, struct idea_filter flt)
{
	struct idea_where w;
	assert_int_equal(idea_where_resolve(db, &flt, &w), 0);
	return w;
}

/* The number of ideas the list shows under flt (one page holds them all here). */
static int64_t list_count(struct db *db, struct idea_filter flt)
{
	flt.limit = IDEA_PAGE_MAX;
	json_t *page = idea_list(db, "de", &flt);
	int64_t n = (int64_t)json_array_size(json_object_get(page, "items"));
	json_decref(page);
	return n;
}

static void test_districts(void **state)
{
	struct db *db = ((struct fixture *)*state)->db;
	add(state, 1, "mobility", "101");   /* Innenstadt */
	add(state, 2, "mobility", "102");
	add(state, 3, "climate", "101");
	add(state, 4, "climate", "802");    /* Kalk */
	struct map_frame fr;
	struct idea_where all = where(db, (struct idea_filter){ 0 });
	json_t *m = map_districts(db, &all, &fr);
	assert_true(fr.ok);
	assert_int_equal(json_array_size(json_object_get(m, "districts")), 9);
	assert_int_equal(json_integer_value(json_object_get(m, "total")), 4);
	assert_int_equal(count_of(m, 1), 3);
	assert_int_equal(count_of(m, 8), 1);
	assert_int_equal(count_of(m, 5), 0);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(m, "districts"), i, d) {
		const char *path = json_string_value(json_object_get(d, "path"));
		assert_true(strlen(path) > 100);
		assert_int_equal(path[0], 'M');
		/* every coordinate inside the map area */
		for (const char *p = path; *p;) {
			if (*p == 'M' || *p == 'Z' || *p == ' ' || *p == ',') {
				p++;
				continue;
			}
			char *end;
			double v = strtod(p, &end);
			assert_true(end > p);
			assert_true(v >= 0 && v <= MAP_W);
			p = end;
		}
		double lx = json_number_value(json_object_get(d, "label_x"));
		double ly = json_number_value(json_object_get(d, "label_y"));
		assert_true(lx > 0 && lx < MAP_W && ly > 0 && ly < MAP_H);
		int64_t c = json_integer_value(json_object_get(d, "count"));
		assert_int_equal(json_integer_value(json_object_get(d, "class")), map_class(c));
	}
	json_decref(m);

	struct idea_where climate = where(db, (struct idea_filter){ .field = "climate" });
	m = map_districts(db, &climate, &fr);
	assert_int_equal(count_of(m, 1), 1);
	assert_int_equal(count_of(m, 8), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "total")), 2);
	json_decref(m);

	struct idea_where kalk = where(db, (struct idea_filter){ .bezirk = 8 });
	m = map_districts(db, &kalk, &fr);
	assert_int_equal(count_of(m, 1), 0);
	assert_int_equal(count_of(m, 8), 1);
	json_decref(m);

	/* an unknown slug matches nothing: every count 0 */
	struct idea_where none = where(db, (struct idea_filter){ .field = "nope" });
	assert_true(none.none);
	m = map_districts(db, &none, &fr);
	assert_int_equal(json_integer_value(json_object_get(m, "total")), 0);
	assert_int_equal(count_of(m, 1), 0);
	assert_int_equal(json_array_size(json_object_get(m, "districts")), 9);
	json_decref(m);
}

/* Every filter of the list counts on the map exactly as in the list. */
static void test_list_filters(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	int64_t a = add(state, 1, "mobility", "101");
	int64_t b = add(state, 2, "mobility", "102");
	int64_t c = add(state, 3, "climate", "101");
	add(state, 4, "climate", "802");
	int64_t hidden = add(state, 5, "climate", "802");
	int64_t merged = add(state, 6, "mobility", "101");
	int64_t zb = 0;
	assert_int_equal(zielbild_add(db, "gruen", "Grüne Stadt", "Green city", 1), DB_OK);
	zb = db_one_int(db, 0, "SELECT id FROM zielbilder WHERE slug = $1", "s", "gruen");
	assert_true(zb > 0);
	assert_int_equal(db_run(db, "INSERT INTO idea_zielbilder (idea_id, zielbild_id) VALUES ($1, $2)", "ii", a, zb), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO idea_zielbilder (idea_id, zielbild_id) VALUES ($1, $2)", "ii", c, zb), DB_OK);
	assert_int_equal(db_run(db, "UPDATE ideas SET needs = $1 WHERE id = $2", "ii", idea_need_bit("funding"), b), DB_OK);
	assert_int_equal(db_run(db, "UPDATE ideas SET status = 'in_dialogue' WHERE id = $1", "i", c), DB_OK);
	assert_int_equal(db_run(db, "UPDATE ideas SET hidden_at = 1 WHERE id = $1", "i", hidden), DB_OK);
	assert_int_equal(db_run(db, "UPDATE ideas SET merged_into = $1 WHERE id = $2", "ii", a, merged), DB_OK);

	const struct idea_filter cases[] = {
		{ 0 },
		{ .field = "mobility" },
		{ .bezirk = 1 },
		{ .zielbild = "gruen" },
		{ .needs = idea_need_bit("funding") },
		{ .status = "in_dialogue" },
		{ .cycle = 1 },
		{ .cycle = 2 },                                  /* no such cycle: nothing */
		{ .phase = "ideensammlung", .now = T0 + DAY },   /* the cycle takes ideas */
		{ .phase = "done", .now = T0 + DAY },            /* no cycle is done: nothing */
		{ .field = "climate", .zielbild = "gruen", .bezirk = 1 },
	};
	const int64_t expected[] = { 4, 2, 3, 2, 1, 1, 4, 0, 4, 0, 1 };
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct map_frame fr;
		struct idea_where w = where(db, cases[k]);
		json_t *m = map_districts(db, &w, &fr);
		int64_t total = json_integer_value(json_object_get(m, "total"));
		if (total != expected[k] || total != list_count(db, cases[k]))
			fail_msg("case %zu: map %lld, list %lld, expected %lld", k, (long long)total,
				 (long long)list_count(db, cases[k]), (long long)expected[k]);
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(m, "districts"), i, d) {   /* and per district */
			struct idea_filter one = cases[k];
			int64_t nr = json_integer_value(json_object_get(d, "nr"));
			if (one.bezirk && one.bezirk != nr) {
				assert_int_equal(json_integer_value(json_object_get(d, "count")), 0);
				continue;
			}
			one.bezirk = nr;
			assert_int_equal(json_integer_value(json_object_get(d, "count")), list_count(db, one));
		}
		json_decref(m);
	}
}

static void test_points(void **state)
{
	struct fixture *f = *state;
	assert_true(map_has_points(f->db));
	int64_t dom = add(state, 1, "mobility", "101");
	int64_t kalk = add(state, 2, "climate", "802");
	add(state, 3, "climate", "802");                 /* no place */
	assert_int_equal(db_run(f->db, "UPDATE ideas SET lat_e6 = $1, lon_e6 = $2 WHERE id = $3", "iii",
				(int64_t)50941278, (int64_t)6958281, dom), DB_OK);
	assert_int_equal(db_run(f->db, "UPDATE ideas SET lat_e6 = $1, lon_e6 = $2 WHERE id = $3", "iii",
				(int64_t)50937500, (int64_t)7016700, kalk), DB_OK);
	struct map_frame fr;
	struct idea_where all = where(f->db, (struct idea_filter){ 0 });
	json_decref(map_districts(f->db, &all, &fr));
	json_t *pts = map_points(f->db, &all, &fr);
	assert_int_equal(json_array_size(pts), 2);
	json_t *first = json_array_get(pts, 0);   /* newest first */
	assert_int_equal(json_integer_value(json_object_get(first, "id")), kalk);
	double x = json_number_value(json_object_get(first, "x"));
	double xd = json_number_value(json_object_get(json_array_get(pts, 1), "x"));
	assert_true(x > xd);                        /* Kalk lies east of the cathedral */
	json_decref(pts);

	struct idea_where climate = where(f->db, (struct idea_filter){ .field = "climate" });
	pts = map_points(f->db, &climate, &fr);
	assert_int_equal(json_array_size(pts), 1);
	json_decref(pts);
	struct idea_where innenstadt = where(f->db, (struct idea_filter){ .bezirk = 1 });
	pts = map_points(f->db, &innenstadt, &fr);
	assert_int_equal(json_array_size(pts), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(pts, 0), "id")), dom);
	json_decref(pts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test_setup_teardown(test_districts, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_list_filters, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_points, db_setup, db_teardown),
	};
	return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}
