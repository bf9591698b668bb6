/* The database layer on a real SQLite file: opening, migrations, binding,
 * errors, the statement cache and transactions. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/log.h"
#include "db/db.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

struct fixture {
	char dir[64];
	char dsn[128];
	struct db *db;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));    /* expected failures stay quiet */
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/unbox-db-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (testdb_dsn(f->dsn, sizeof f->dsn, f->dir) < 0)
		return -1;
	char err[256];
	f->db = db_open(f->dsn, err, sizeof err);
	if (!f->db)
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

static struct db *DB(void **state)
{
	return ((struct fixture *)*state)->db;
}

static void make_table(struct db *db)
{
	assert_int_equal(db_exec(db,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER, note TEXT);"
		"CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER NOT NULL REFERENCES t(id));"), DB_OK);
}

static void test_open_errors(void **state)
{
	char err[256] = "";
	assert_null(db_open("mysql://localhost/unbox", err, sizeof err));
	assert_string_equal(err, "unsupported database 'mysql://localhost/unbox' (expected sqlite:PATH or postgres://...)");
	err[0] = '\0';
	assert_null(db_open("sqlite:/nonexistent/dir/x.db", err, sizeof err));
	assert_true(strncmp(err, "/nonexistent/dir/x.db: ", 23) == 0);
	assert_string_equal(db_backend(DB(state)), "sqlite");
}

/* Migration files in dir: NNN_name.sql. */
static int count_migrations(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 8 && e->d_name[0] >= '0' && e->d_name[0] <= '9' && strcmp(e->d_name + len - 4, ".sql") == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void test_migrate_repo_idempotent(void **state)
{
	struct db *db = DB(state);
	int files = count_migrations(SOURCE_ROOT "/migrations");
	assert_true(files >= 1);
	assert_int_equal(db_migrate(db, SOURCE_ROOT "/migrations"), files);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM schema_migrations WHERE version = '001_init.sql'", NULL), 1);
	/* the schema is there */
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
				    "('users','sessions','email_tokens','throttle','outbox','audit','stadtbezirke',"
				    "'stadtteile','fields','cycles','ideas')", NULL), 11);
	/* a second run applies nothing */
	assert_int_equal(db_migrate(db, SOURCE_ROOT "/migrations"), 0);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM schema_migrations", NULL), files);
	/* so does a second connection to the same file */
	char err[256];
	struct db *again = db_open(((struct fixture *)*state)->dsn, err, sizeof err);
	assert_non_null(again);
	assert_int_equal(db_migrate(again, SOURCE_ROOT "/migrations"), 0);
	db_close(again);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_migrate_order_and_failure(void **state)
{
	struct fixture *fx = *state;
	struct db *db = fx->db;
	char dir[128];
	snprintf(dir, sizeof dir, "%s/mig", fx->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(dir, "002_second.sql", "INSERT INTO a (x) VALUES ('second');");
	write_file(dir, "001_first.sql", "CREATE TABLE a (x TEXT); INSERT INTO a (x) VALUES ('first');");
	write_file(dir, "README.md", "not a migration");
	write_file(dir, "x_notes.sql", "THIS IS NOT SQL");
	write_file(dir, "1.sql", "THIS IS NOT SQL EITHER");
	assert_int_equal(db_migrate(db, dir), 2);
	/* applied in name order */
	struct db_stmt *st = db_prepare(db, "SELECT group_concat(x, ',') FROM a");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "first,second");
	db_done(st);

	/* a failing migration is rolled back completely and stops the run */
	write_file(dir, "003_broken.sql", "CREATE TABLE b (y TEXT); INSERT INTO nope VALUES (1);");
	write_file(dir, "004_later.sql", "CREATE TABLE c (z TEXT);");
	assert_int_equal(db_migrate(db, dir), -1);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('b','c')", NULL), 0);
	assert_int_equal(db_one_int(db, -1, "SELECT COUNT(*) FROM schema_migrations", NULL), 2);
	/* the connection is usable afterwards (no transaction left open) */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_rollback(db), DB_OK);

	assert_int_equal(db_migrate(db, "/nonexistent/migrations"), -1);
}

static void test_bind_formats(void **state)
{
	struct db *db = DB(state);
	make_table(db);
	assert_int_equal(db_run(db, "INSERT INTO t (name, n, note) VALUES ($1, $2, $3)", "sis",
				"alpha", (int64_t)INT64_MAX, "first"), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name, n, note) VALUES ($1, $2, $3)", "sin",
				"beta", (int64_t)-5), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name, n, note) VALUES ($1, $2, $3)", "sss",
				"gamma", "17", (const char *)NULL), DB_OK);

	assert_int_equal(db_one_int(db, 0, "SELECT n FROM t WHERE name = $1", "s", "alpha"), INT64_MAX);
	assert_int_equal(db_one_int(db, 0, "SELECT n FROM t WHERE name = $1", "s", "beta"), -5);
	assert_int_equal(db_one_int(db, 0, "SELECT n FROM t WHERE name = $1", "s", "gamma"), 17);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t WHERE note IS NULL", NULL), 2);

	struct db_stmt *st = db_prepare(db, "SELECT id, name, n, note FROM t ORDER BY id");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int(st, 0), 1);
	assert_string_equal(db_text(st, 1), "alpha");
	assert_string_equal(db_text(st, 3), "first");
	assert_false(db_is_null(st, 3));
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 1), "beta");
	assert_true(db_is_null(st, 3));
	assert_string_equal(db_text(st, 3), "");        /* never NULL */
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_step(st), DB_OK);
	db_done(st);
}

static void test_bind_positions_and_reuse_of_params(void **state)
{
	struct db *db = DB(state);
	struct db_stmt *st = db_prepare(db, "SELECT $2 || $1 || $2");
	assert_int_equal(db_bind(st, "ss", "a", "b"), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_text(st, 0), "bab");
	db_done(st);

	st = db_prepare(db, "SELECT $1 + $2");
	assert_int_equal(db_bind_int(st, 1, 40), DB_OK);
	assert_int_equal(db_bind_int(st, 2, 2), DB_OK);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_int(st, 0), 42);
	db_done(st);

	assert_int_equal(db_one_int(db, -1, "SELECT $1 IS NULL", "n"), 1);
	assert_int_equal(db_one_int(db, -1, "SELECT length($1)", "s", "Grüße"), 5);
}

static void test_bind_bad_format(void **state)
{
	struct db *db = DB(state);
	make_table(db);
	struct db_stmt *st = db_prepare(db, "SELECT $1");
	assert_int_equal(db_bind(st, "x", 1), DB_ERROR);
	db_done(st);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "d", 1), DB_ERROR);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t", NULL), 0);
	assert_int_equal(db_one_int(db, 99, "SELECT $1", "q", 1), 99);
}

static void test_one_int_defaults(void **state)
{
	struct db *db = DB(state);
	make_table(db);
	assert_int_equal(db_one_int(db, -7, "SELECT n FROM t WHERE name = $1", "s", "none"), -7);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "null-n"), DB_OK);
	assert_int_equal(db_one_int(db, -7, "SELECT n FROM t WHERE name = $1", "s", "null-n"), -7);
	assert_int_equal(db_one_int(db, -7, "SELECT no_such_column FROM t", NULL), -7);
}

static void test_run_results(void **state)
{
	struct db *db = DB(state);
	make_table(db);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ('x')", NULL), DB_OK);
	assert_int_equal(db_run(db, "SELECT id FROM t", NULL), DB_ROW);
	assert_int_equal(db_run(db, "SELECT id FROM t WHERE 0", NULL), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ('y') RETURNING id", NULL), DB_ROW);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t", NULL), 2);
	assert_int_equal(db_run(db, "SELEKT nonsense", NULL), DB_ERROR);
	assert_null(db_prepare(db, "SELECT * FROM no_such_table"));
}

static void test_constraints(void **state)
{
	struct db *db = DB(state);
	make_table(db);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "dup"), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "dup"), DB_CONSTRAINT);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "n"), DB_CONSTRAINT);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", (const char *)NULL), DB_CONSTRAINT);
	/* foreign keys are enforced */
	assert_int_equal(db_run(db, "INSERT INTO child (t_id) VALUES ($1)", "i", (int64_t)999), DB_CONSTRAINT);
	assert_int_equal(db_run(db, "INSERT INTO child (t_id) VALUES ($1)", "i", (int64_t)1), DB_OK);
	assert_int_equal(db_exec(db, "INSERT INTO t (name) VALUES ('dup')"), DB_CONSTRAINT);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t", NULL), 1);
	/* the statement that failed can be used again */
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "dup2"), DB_OK);
}

static const char *const cached_sql = "SELECT $1";

static void test_statement_cache(void **state)
{
	struct db *db = DB(state);
	struct db_stmt *a = db_prepare(db, cached_sql);
	assert_non_null(a);
	assert_int_equal(db_bind(a, "s", "x"), DB_OK);
	assert_int_equal(db_step(a), DB_ROW);
	assert_string_equal(db_text(a, 0), "x");
	db_done(a);
	/* the same text address gives the same statement, reset and unbound */
	struct db_stmt *b = db_prepare(db, cached_sql);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b), DB_ROW);
	assert_true(db_is_null(b, 0));
	db_done(b);
	/* equal text at another address is a different statement */
	char copy[16];
	strcpy(copy, cached_sql);
	struct db_stmt *c = db_prepare(db, copy);
	assert_ptr_not_equal(c, a);
	db_done(c);
	db_done(NULL);
}

static char many_sql[400][48];

static void test_cache_overflow(void **state)
{
	/* more distinct statements than cache slots: the extra ones are freed
	 * after use (the leak checker verifies) and all still work */
	struct db *db = DB(state);
	for (int i = 0; i < 400; i++) {
		snprintf(many_sql[i], sizeof many_sql[i], "SELECT %d + $1", i);
		assert_int_equal(db_one_int(db, -1, many_sql[i], "i", (int64_t)1), i + 1);
	}
	for (int i = 0; i < 400; i++)
		assert_int_equal(db_one_int(db, -1, many_sql[i], "i", (int64_t)2), i + 2);
}

static void test_transactions(void **state)
{
	struct fixture *fx = *state;
	struct db *db = fx->db;
	make_table(db);
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "rolled back"), DB_OK);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t", NULL), 1);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_int_equal(db_one_int(db, 0, "SELECT COUNT(*) FROM t", NULL), 0);

	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_run(db, "INSERT INTO t (name) VALUES ($1)", "s", "kept"), DB_OK);
	/* another connection does not see it before the commit ... */
	char err[256];
	struct db *other = db_open(fx->dsn, err, sizeof err);
	assert_non_null(other);
	assert_int_equal(db_one_int(other, -1, "SELECT COUNT(*) FROM t", NULL), 0);
	assert_int_equal(db_commit(db), DB_OK);
	/* ... and does afterwards */
	assert_int_equal(db_one_int(other, -1, "SELECT COUNT(*) FROM t WHERE name = 'kept'", NULL), 1);
	db_close(other);

	/* nesting is an error; commit without a transaction as well */
	assert_int_equal(db_begin(db), DB_OK);
	assert_int_equal(db_begin(db), DB_ERROR);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_int_equal(db_commit(db), DB_ERROR);
}

static void test_exec_several_statements(void **state)
{
	struct db *db = DB(state);
	assert_int_equal(db_exec(db, "CREATE TABLE s (v INTEGER); INSERT INTO s VALUES (1); INSERT INTO s VALUES (2);"), DB_OK);
	assert_int_equal(db_one_int(db, 0, "SELECT SUM(v) FROM s", NULL), 3);
	assert_int_equal(db_exec(db, "INSERT INTO s VALUES (4); NOT SQL;"), DB_ERROR);
	assert_int_equal(db_one_int(db, 0, "SELECT SUM(v) FROM s", NULL), 7);   /* no implicit transaction */
	assert_non_null(db_errmsg(db));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_repo_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_order_and_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_positions_and_reuse_of_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_bad_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_int_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_several_statements, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
