/* Backend dispatch and the helpers every backend shares. */
#include "db/db_backend.h"
#include "core/log.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct db_ops *const backends[] = { &db_sqlite_ops, &db_pg_ops };

struct db *db_open(const char *dsn, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		size_t n = strlen(backends[i]->prefix);
		if (strncmp(dsn, backends[i]->prefix, n) == 0)
			return backends[i]->open(dsn, err, errlen);
	}
	snprintf(err, errlen, "unsupported database '%s' (expected sqlite:PATH or postgres://...)", dsn);
	return NULL;
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

const char *db_errmsg(struct db *db) { return db->ops->errmsg(db); }
const char *db_backend(struct db *db) { return db->ops->name; }
bool db_broken(struct db *db) { return db->ops->broken && db->ops->broken(db); }
int db_exec(struct db *db, const char *sql) { return db->ops->exec(db, sql); }
struct db_stmt *db_prepare(struct db *db, const char *sql) { return db->ops->prepare(db, sql); }
int db_bind_text(struct db_stmt *st, int p, const char *s) { return st->db->ops->bind_text(st, p, s); }
int db_bind_int(struct db_stmt *st, int p, int64_t v) { return st->db->ops->bind_int(st, p, v); }
int db_bind_null(struct db_stmt *st, int p) { return st->db->ops->bind_null(st, p); }
int db_step(struct db_stmt *st) { return st->db->ops->step(st); }
int64_t db_int(struct db_stmt *st, int col) { return st->db->ops->col_int(st, col); }
const char *db_text(struct db_stmt *st, int col) { return st->db->ops->col_text(st, col); }
bool db_is_null(struct db_stmt *st, int col) { return st->db->ops->col_null(st, col); }
void db_done(struct db_stmt *st) { if (st) st->db->ops->done(st); }

/* Copying and backups. */
int db_column_count(struct db_stmt *st) { return st->db->ops->col_count(st); }
const char *db_column_name(struct db_stmt *st, int col) { return st->db->ops->col_name(st, col); }
int db_tables(struct db *db, char ***out) { return db->ops->tables(db, out); }
int db_table_columns(struct db *db, const char *table, struct db_column **out)
{
	return db->ops->columns(db, table, out);
}
int db_after_copy(struct db *db, const char *table) { return db->ops->after_copy(db, table); }
int db_backup(struct db *db, const char *path, void (*progress)(int, int, void *), void *ctx)
{
	return db->ops->backup(db, path, progress, ctx);
}

void db_free_names(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

void db_free_columns(struct db_column *cols, int n)
{
	for (int i = 0; cols && i < n; i++)
		free(cols[i].name);
	free(cols);
}

static int bind_va(struct db_stmt *st, const char *fmt, va_list ap)
{
	int rc = DB_OK;
	for (int i = 0; fmt && fmt[i] && rc == DB_OK; i++) {
		switch (fmt[i]) {
		case 'i': rc = db_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			rc = s ? db_bind_text(st, i + 1, s) : db_bind_null(st, i + 1);
			break;
		}
		case 'n': rc = db_bind_null(st, i + 1); break;
		default: rc = DB_ERROR;
		}
	}
	return rc;
}

int db_bind(struct db_stmt *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = bind_va(st, fmt, ap);
	va_end(ap);
	return rc;
}

int db_run(struct db *db, const char *sql, const char *fmt, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	va_list ap;
	va_start(ap, fmt);
	int rc = bind_va(st, fmt, ap);
	va_end(ap);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc;
}

int64_t db_one_int(struct db *db, int64_t def, const char *sql, const char *fmt, ...)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return def;
	va_list ap;
	va_start(ap, fmt);
	int rc = bind_va(st, fmt, ap);
	va_end(ap);
	int64_t v = def;
	if (rc == DB_OK && db_step(st) == DB_ROW && !db_is_null(st, 0))
		v = db_int(st, 0);
	db_done(st);
	return v;
}

int db_find_int(struct db *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	*out = 0;
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int rc = bind_va(st, fmt, ap);
	va_end(ap);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW && !db_is_null(st, 0))
		*out = db_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int db_begin(struct db *db) { return db_exec(db, db->ops->begin_sql); }
int db_commit(struct db *db) { return db_exec(db, "COMMIT"); }
int db_rollback(struct db *db) { return db_exec(db, "ROLLBACK"); }
