/* The database a unit test runs against: a SQLite file in dir, or, when
 * $UNBOX_TEST_PG names a cluster made by scripts/pgtmp, a fresh PostgreSQL
 * database in it. So `make test` runs the database tests on both backends. */
#ifndef UNBOX_TESTDB_H
#define UNBOX_TESTDB_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#endif
