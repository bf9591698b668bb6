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
const char *db_backend(struct db *db);   /* "sqlite" */

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

/* Prepare, bind, step once, done: for statements with no result rows.
 * Returns DB_OK, DB_ROW (the statement produced a row), or an error. */
int db_run(struct db *db, const char *sql, const char *fmt, ...);
/* Prepare, bind, one row's first column as an integer; def when there is no row. */
int64_t db_one_int(struct db *db, int64_t def, const char *sql, const char *fmt, ...);

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

#endif
