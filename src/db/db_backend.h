/* What a database backend implements. Private to src/db/. */
#ifndef UNBOX_DB_BACKEND_H
#define UNBOX_DB_BACKEND_H
#include "db/db.h"

struct db_ops {
	const char *name;
	const char *prefix;                       /* DSN prefix, e.g. "sqlite:" */
	struct db *(*open)(const char *dsn, char *err, size_t errlen);   /* the whole DSN */
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	int (*bind_text)(struct db_stmt *st, int param, const char *s);
	int (*bind_int)(struct db_stmt *st, int param, int64_t v);
	int (*bind_null)(struct db_stmt *st, int param);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	void (*done)(struct db_stmt *st);
	bool (*broken)(struct db *db);            /* may be NULL: never breaks */
	const char *begin_sql;
	/* around each migration (db/migrate.c), each may be NULL: run before its
	 * transaction, a query that must return no row before the commit, run
	 * after it. SQLite turns foreign keys off so a migration may rebuild a
	 * table, and checks them before the commit. */
	const char *migrate_before, *migrate_check, *migrate_after;
	/* unbox copy and unbox backup (see db.h) */
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int col);
	int (*tables)(struct db *db, char ***out);
	int (*columns)(struct db *db, const char *table, struct db_column **out);
	int (*after_copy)(struct db *db, const char *table);
	int (*backup)(struct db *db, const char *path, void (*progress)(int, int, void *), void *ctx);
};

/* Backends embed these as their first member. */
struct db {
	const struct db_ops *ops;
};

struct db_stmt {
	struct db *db;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
