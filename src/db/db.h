/* The database interface. SQL is written once with $1, $2 ... parameters;
 * a backend is chosen by the DSN prefix ("sqlite:"). Only the backend files
 * include the client library headers.
 *
 * Statements are cached per connection, keyed by the address of the SQL
 * text, so pass string literals (or other strings that live as long as the
 * connection). db_prepare returns a reset statement ready for binding; the
 * caller must call db_done() when finished with it. */
#ifndef UNBOX_DB_H
#define UNBOX_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct db_stmt;

enum db_rc {
	DB_OK = 0,          /* statement finished (no more rows) */
	DB_ROW = 1,         /* a row is available */
	DB_ERROR = -1,      /* anything else; see db_errmsg */
	DB_CONSTRAINT = -2, /* unique / foreign key / check violated */
	DB_BUSY = -3,       /* locked for longer than the busy timeout */
};

struct db *db_open(const char *dsn, char *err, size_t errlen);
void db_close(struct db *db);
const char *db_errmsg(struct db *db);
const char *db_backend(struct db *db);   /* "sqlite" or "postgres" */
/* True when the connection to the server is gone for good (it was already
 * retried once): the request should answer 503 and the pool drop it. */
bool db_broken(struct db *db);

/* Runs SQL without parameters, possibly several statements. */
int db_exec(struct db *db, const char *sql);

struct db_stmt *db_prepare(struct db *db, const char *sql);  /* NULL on error */
/* Binds parameters $1..$n in order from a format: i = int64_t, s = const char *
 * (NULL binds NULL), n = NULL. Returns DB_OK or DB_ERROR. */
int db_bind(struct db_stmt *st, const char *fmt, ...);
int db_bind_text(struct db_stmt *st, int param, const char *s);   /* param is N of $N */
int db_bind_int(struct db_stmt *st, int param, int64_t v);
int db_bind_null(struct db_stmt *st, int param);
int db_step(struct db_stmt *st);                /* DB_ROW, DB_OK or an error */
int64_t db_int(struct db_stmt *st, int col);
const char *db_text(struct db_stmt *st, int col);   /* valid until the next step; never NULL */
bool db_is_null(struct db_stmt *st, int col);
void db_done(struct db_stmt *st);               /* reset for reuse; keeps it cached */
/* The result columns of a statement, known once db_step has answered
 * (DB_ROW or DB_OK). db_column_name is "" for a column out of range. */
int db_column_count(struct db_stmt *st);
const char *db_column_name(struct db_stmt *st, int col);

/* Prepare, bind, step once, done: for statements with no result rows.
 * Returns DB_OK, DB_ROW (the statement produced a row), or an error. */
int db_run(struct db *db, const char *sql, const char *fmt, ...);
/* Prepare, bind, one row's first column as an integer; def when there is no row. */
int64_t db_one_int(struct db *db, int64_t def, const char *sql, const char *fmt, ...);
/* The same read where a failure must not pass for "no row": 1 with the first
 * column of the first row in *out (0 when NULL), 0 when there is no row, -1
 * when the statement failed (see db_errmsg). */
int db_find_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...);

int db_begin(struct db *db);     /* BEGIN IMMEDIATE on SQLite: writers queue up front */
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* Applies every migrations/NNN_name.sql not yet recorded in schema_migrations,
 * each in its own transaction. Prints what it applies to log. Returns the
 * number applied, or -1. */
int db_migrate(struct db *db, const char *dir);
/* Prints one line per migration (applied with its time, or pending);
 * returns the number pending, or -1. Files in dir/<backend>/ (db_backend)
 * replace the shared file of the same name. */
int db_migration_status(struct db *db, const char *dir, FILE *out);

/* For moving data between databases (unbox copy) and backups. */

/* The tables that hold data, sorted by name, without the backend's own
 * (sqlite_*, the shadow tables of full-text indexes, virtual tables).
 * Returns the count and a malloc'ed array in *out (db_free_names), or -1. */
int db_tables(struct db *db, char ***out);
void db_free_names(char **names, int n);

struct db_column {
	char *name;
	bool generated;       /* computed by the database: takes no values */
};
/* The columns of a table in their order; 0 when there is no such table.
 * Returns the count and a malloc'ed array in *out (db_free_columns), or -1. */
int db_table_columns(struct db *db, const char *table, struct db_column **out);
void db_free_columns(struct db_column *cols, int n);

/* After rows with explicit ids went into table: moves the table's id
 * generators past the largest id (PostgreSQL identity and serial sequences;
 * SQLite needs nothing). Never moves one backwards. DB_OK or an error. */
int db_after_copy(struct db *db, const char *table);

/* Writes a consistent copy of the whole database to the file path, while
 * other connections and processes go on reading and writing (SQLite's online
 * backup, in steps, retried while the database is busy). progress, when not
 * NULL, is called after every step with the pages still to copy and the
 * total. PostgreSQL answers DB_ERROR (db_errmsg points to pg_dump).
 * Returns DB_OK or an error. */
int db_backup(struct db *db, const char *path, void (*progress)(int remaining, int total, void *ctx),
	      void *ctx);

#endif
