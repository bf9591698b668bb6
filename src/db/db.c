/* Backend dispatch and the helpers every backend shares. */
#include "db/db_backend.h"
#include "core/log.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_migration(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 8 && e->d_name[0] >= '0' && e->d_name[0] <= '9' && strcmp(e->d_name + n - 4, ".sql") == 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

/* The migration files: names from dir and dir/<backend>, merged, sorted,
 * without duplicates. A file in dir/<backend> replaces the shared one of the
 * same name (only where the dialects differ). Returns the count or -1. */
static int migration_names(struct db *db, const char *dir, char ***out)
{
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/%s", dir, db_backend(db));
	struct dirent **a = NULL, **b = NULL;
	int na = scandir(dir, &a, is_migration, by_name);
	if (na < 0) {
		log_error("migrate: cannot read %s", dir);
		return -1;
	}
	int nb = scandir(sub, &b, is_migration, by_name);
	if (nb < 0)
		nb = 0;
	char **names = calloc((size_t)(na + nb) + 1, sizeof *names);
	int n = 0, i = 0, j = 0;
	while (names && (i < na || j < nb)) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i]->d_name, b[j]->d_name);
		names[n++] = strdup(c <= 0 ? a[i]->d_name : b[j]->d_name);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	for (int k = 0; k < na; k++)
		free(a[k]);
	for (int k = 0; k < nb; k++)
		free(b[k]);
	free(a);
	free(b);
	*out = names;
	return names ? n : -1;
}

static int ensure_table(struct db *db)
{
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			"version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)") != DB_OK) {
		log_error("migrate: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

int db_migrate(struct db *db, const char *dir)
{
	char **names;
	if (ensure_table(db) < 0)
		return -1;
	int n = migration_names(db, dir, &names);
	if (n < 0)
		return -1;
	int applied = 0;
	for (int i = 0; i < n && applied >= 0; i++) {
		const char *file = names[i];
		if (db_one_int(db, 0, "SELECT 1 FROM schema_migrations WHERE version = $1", "s", file))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s/%s", dir, db_backend(db), file);
		char *sql = slurp(path);
		if (!sql) {
			snprintf(path, sizeof path, "%s/%s", dir, file);
			sql = slurp(path);
		}
		if (!sql) {
			log_error("migrate: cannot read %s", path);
			applied = -1;
			break;
		}
		if (db_begin(db) != DB_OK || db_exec(db, sql) != DB_OK ||
		    db_run(db, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
			   "si", file, (int64_t)time(NULL)) != DB_OK ||
		    db_commit(db) != DB_OK) {
			log_error("migrate: %s: %s", path, db_errmsg(db));
			db_rollback(db);
			applied = -1;
		} else {
			log_info("migrate: applied %s", path);
			applied++;
		}
		free(sql);
	}
	db_free_names(names, n);
	return applied;
}

int db_migration_status(struct db *db, const char *dir, FILE *out)
{
	char **names;
	if (ensure_table(db) < 0)
		return -1;
	int n = migration_names(db, dir, &names);
	if (n < 0)
		return -1;
	int pending = 0;
	for (int i = 0; i < n; i++) {
		int64_t at = db_one_int(db, 0, "SELECT applied_at FROM schema_migrations WHERE version = $1",
					"s", names[i]);
		if (at) {
			char when[32];
			time_t t = (time_t)at;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
			fprintf(out, "applied  %s  %s\n", when, names[i]);
		} else {
			fprintf(out, "pending  %-20s  %s\n", "", names[i]);
			pending++;
		}
	}
	db_free_names(names, n);
	return pending;
}
