/* The database a unit test runs against: a SQLite file in dir, or, when
 * $UNBOX_TEST_PG names a cluster made by scripts/pgtmp, a fresh PostgreSQL
 * database in it. So `make test` runs the database tests on both backends. */
#ifndef UNBOX_TESTDB_H
#define UNBOX_TESTDB_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline int testdb_dsn(char *dsn, size_t cap, const char *dir)
{
	const char *cluster = getenv("UNBOX_TEST_PG");
	if (!cluster || !*cluster) {
		snprintf(dsn, cap, "sqlite:%s/test.db", dir);
		return 0;
	}
	static int counter;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s/scripts/pgtmp createdb '%s' unit_%ld_%d", SOURCE_ROOT, cluster,
		 (long)getpid(), ++counter);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	int ok = fgets(dsn, (int)cap, p) != NULL;
	if (pclose(p) != 0 || !ok)
		return -1;
	dsn[strcspn(dsn, "\n")] = '\0';
	return 0;
}

static inline int testdb_is_pg(void)
{
	const char *cluster = getenv("UNBOX_TEST_PG");
	return cluster && *cluster;
}

/* ---- a small world for domain tests ---- */
#include <ftw.h>
#include "db/db.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/place.h"

static inline int testdb_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a test directory made by testdb_world_open. */
static inline void testdb_remove(const char *dir)
{
	nftw(dir, testdb_rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A migrated database (SQLite in a fresh directory dir, made from the
 * template "/tmp/unbox-NAME-XXXXXX", or PostgreSQL, see testdb_dsn) with one
 * Stadtbezirk (1, Innenstadt) and Stadtteil (105, Deutz), the innovation
 * field "mobility" and cycle 1, open for submissions from t0 for 90 days.
 * Returns 0, or -1 when any step failed. */
static inline int testdb_world_open(const char *name, char *dir, size_t dircap, char *dsn, size_t dsncap,
				    struct db **db, int64_t t0, int64_t *cycle)
{
	static const char bezirke[] =
		"{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"nr\":1,\"name\":\"Innenstadt\"},"
		"\"geometry\":{\"type\":\"Point\",\"coordinates\":[6.95,50.94]}}]}";
	static const char teile[] =
		"{\"type\":\"FeatureCollection\",\"features\":["
		"{\"type\":\"Feature\",\"properties\":{\"nr\":105,\"name\":\"Deutz\",\"stadtbezirk_nr\":1},"
		"\"geometry\":{\"type\":\"Point\",\"coordinates\":[7.0,50.9]}}]}";
	const int64_t day = 24 * 3600;
	char err[256];
	snprintf(dir, dircap, "/tmp/unbox-%s-XXXXXX", name);
	if (!mkdtemp(dir) || testdb_dsn(dsn, dsncap, dir) < 0)
		return -1;
	*db = db_open(dsn, err, sizeof err);
	if (!*db || db_migrate(*db, SOURCE_ROOT "/migrations") < 1)
		return -1;
	if (place_import(*db, bezirke, teile, err, sizeof err) < 0 ||
	    field_add(*db, "mobility", "Mobilität", "Mobility") != DB_OK)
		return -1;
	struct cycle c = { .number = 1, .theme_de = "Mobilität im Veedel", .theme_en = "Mobility in the quarter",
			   .submission_start = t0, .submission_end = t0 + 90 * day,
			   .phase_start = { t0, t0 + 90 * day, t0 + 180 * day, t0 + 270 * day },
			   .phase4_end = t0 + 365 * day };
	return cycle_save(*db, &c, cycle) == DB_OK ? 0 : -1;
}

/* Renames table from to to on this connection: the way the read tests make
 * a read fail for real (and, renamed back, work again). 0, or -1. */
static inline int testdb_rename(struct db *db, const char *from, const char *to)
{
	char sql[160];
	snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME TO %s", from, to);
	return db_exec(db, sql) == DB_OK ? 0 : -1;
}

#endif
