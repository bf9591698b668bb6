/* place_locate: the Stadtteil and Stadtbezirk of a point, by point-in-polygon
 * over the boundaries in stadtteile.geometry (Cologne's real data, and small
 * made-up shapes with a hole and a MultiPolygon). */
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
#include "domain/place.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

struct fixture {
	char dir[64];
	char dsn[256];
	struct db *db;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
		s[n] = '\0';
	fclose(f);
	return s;
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-place-XXXXXX");
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

static void test_cologne(void **state)
{
	struct fixture *f = *state;
	char *bezirke = slurp(SOURCE_ROOT "/data/koeln/stadtbezirke.geojson");
	char *teile = slurp(SOURCE_ROOT "/data/koeln/stadtteile.geojson");
	assert_non_null(bezirke);
	assert_non_null(teile);
	char err[256];
	assert_true(place_import(f->db, bezirke, teile, err, sizeof err) > 90);
	free(bezirke);
	free(teile);

	int64_t teil = -1, bezirk = -1;
	assert_int_equal(place_locate(f->db, 50.9300, 6.9570, &teil, &bezirk), 1);   /* Altstadt/Süd */
	assert_int_equal(teil, 101);
	assert_int_equal(bezirk, 1);
	assert_int_equal(place_locate(f->db, 50.9413, 6.9583, &teil, &bezirk), 1);   /* the cathedral */
	assert_int_equal(teil, 103);
	assert_int_equal(bezirk, 1);
	assert_int_equal(place_locate(f->db, 50.7374, 7.0982, &teil, &bezirk), 0);   /* Bonn */
	assert_int_equal(teil, 0);
	assert_int_equal(bezirk, 0);
	assert_int_equal(place_locate(f->db, 0, 0, &teil, &bezirk), 0);
	assert_int_equal(place_locate(f->db, 91, 6.95, &teil, &bezirk), 0);
	assert_int_equal(place_locate(f->db, 50.93, 181, &teil, &bezirk), 0);
	/* every Stadtteil has the right Stadtbezirk: a point of a few other districts */
	assert_int_equal(place_locate(f->db, 50.9385, 6.9829, &teil, &bezirk), 1);   /* Deutz */
	assert_int_equal(teil, 105);
}

static const char square_bezirk[] =
	"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	"\"properties\":{\"nr\":9,\"name\":\"Quadrat\"},"
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}}]}";

/* A ring with a hole (901), the hole itself (902), and two islands (903). */
static const char shapes[] =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"nr\":901,\"name\":\"Ring\",\"stadtbezirk_nr\":9},"
	" \"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	"                                                    [[1,1],[3,1],[3,3],[1,3],[1,1]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":902,\"name\":\"Loch\",\"stadtbezirk_nr\":9},"
	" \"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"nr\":903,\"name\":\"Inseln\",\"stadtbezirk_nr\":9},"
	" \"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[5,5],[6,5],[6,6],[5,6],[5,5]]],"
	"                                                         [[[8,8],[9,8],[9,9],[8,9],[8,8]]]]}}]}";

static void test_holes_and_multipolygons(void **state)
{
	struct fixture *f = *state;
	char err[256];
	assert_int_equal(place_import(f->db, square_bezirk, shapes, err, sizeof err), 4);
	int64_t teil, bezirk;
	/* lat is y, lon is x */
	assert_int_equal(place_locate(f->db, 0.5, 0.5, &teil, &bezirk), 1);
	assert_int_equal(teil, 901);
	assert_int_equal(bezirk, 9);
	assert_int_equal(place_locate(f->db, 2, 2, &teil, &bezirk), 1);      /* in the hole: the other Stadtteil */
	assert_int_equal(teil, 902);
	assert_int_equal(place_locate(f->db, 8.5, 8.5, &teil, &bezirk), 1);  /* the second island */
	assert_int_equal(teil, 903);
	assert_int_equal(place_locate(f->db, 5.5, 5.5, &teil, &bezirk), 1);
	assert_int_equal(teil, 903);
	assert_int_equal(place_locate(f->db, 7, 7, &teil, &bezirk), 0);      /* between the islands */
	assert_int_equal(place_locate(f->db, 2, 4.5, &teil, &bezirk), 0);    /* east of the ring */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cologne, setup, teardown),
		cmocka_unit_test_setup_teardown(test_holes_and_multipolygons, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
