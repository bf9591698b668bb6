/* SQLite backend: one connection per thread, WAL, a busy timeout so writers
 * wait instead of failing, and a per-connection statement cache. */
#include "db/db_backend.h"
#include "db/sqlite_stem.h"
#include "core/log.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256       /* power of two */
#define MAX_PARAMS 32

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	const char *sql;          /* cache key: address of the SQL text */
	bool cached;
	int param_index[MAX_PARAMS + 1];  /* $N -> SQLite's index */
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	struct sq_stmt *cache[CACHE_SLOTS];
	char err[512];            /* why the last backup failed; "" after one that worked */
};

static struct sq_db *SQ(struct db *db) { return (struct sq_db *)db; }
static struct sq_stmt *ST(struct db_stmt *st) { return (struct sq_stmt *)st; }

static int map_rc(int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE:
	case SQLITE_OK: return DB_OK;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_BUSY;
	default: return DB_ERROR;
	}
}

static struct db *sq_open(const char *dsn, char *err, size_t errlen)
{
	const char *path = dsn + strlen("sqlite:");
	sqlite3 *h;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	char *msg = NULL;
	rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = sqlite_register_german(h);     /* FTS5 tokenizer of migrations/003_search.sql */
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(h);
		return NULL;
	}
	struct sq_db *db = calloc(1, sizeof *db);
	if (!db) {
		sqlite3_close(h);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->base.ops = &db_sqlite_ops;
	db->h = h;
	return &db->base;
}

static void stmt_free(struct sq_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s);
}

static void sq_close(struct db *d)
{
	struct sq_db *db = SQ(d);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db->cache[i]);
	sqlite3_close(db->h);
	free(db);
}

static const char *sq_errmsg(struct db *d) { return SQ(d)->err[0] ? SQ(d)->err : sqlite3_errmsg(SQ(d)->h); }

static int sq_exec(struct db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(SQ(d)->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		log_warn("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return map_rc(rc);
}

static size_t slot_of(const char *sql)
{
	uintptr_t p = (uintptr_t)sql;
	return (size_t)((p >> 3) * 2654435761u) & (CACHE_SLOTS - 1);
}

static struct db_stmt *sq_prepare(struct db *d, const char *sql)
{
	struct sq_db *db = SQ(d);
	size_t slot = slot_of(sql), free_slot = CACHE_SLOTS;
	for (size_t k = 0; k < CACHE_SLOTS; k++) {
		size_t i = (slot + k) & (CACHE_SLOTS - 1);
		struct sq_stmt *s = db->cache[i];
		if (!s) {
			free_slot = i;
			break;
		}
		if (s->sql == sql)
			return &s->base;
	}
	struct sq_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
		log_error("sqlite: prepare: %s: %s", sqlite3_errmsg(db->h), sql);
		free(s);
		return NULL;
	}
	s->base.db = d;
	s->sql = sql;
	int count = sqlite3_bind_parameter_count(s->st);
	for (int n = 1; n <= MAX_PARAMS && n <= count; n++) {
		char name[8];
		snprintf(name, sizeof name, "$%d", n);
		s->param_index[n] = sqlite3_bind_parameter_index(s->st, name);
	}
	if (free_slot < CACHE_SLOTS) {
		s->cached = true;
		db->cache[free_slot] = s;
	}
	return &s->base;
}

static int param(struct sq_stmt *s, int n)
{
	return n >= 1 && n <= MAX_PARAMS ? s->param_index[n] : 0;
}

static int sq_bind_text(struct db_stmt *st, int n, const char *v)
{
	struct sq_stmt *s = ST(st);
	return map_rc(sqlite3_bind_text(s->st, param(s, n), v, -1, SQLITE_TRANSIENT));
}

static int sq_bind_int(struct db_stmt *st, int n, int64_t v)
{
	struct sq_stmt *s = ST(st);
	return map_rc(sqlite3_bind_int64(s->st, param(s, n), v));
}

static int sq_bind_null(struct db_stmt *st, int n)
{
	struct sq_stmt *s = ST(st);
	return map_rc(sqlite3_bind_null(s->st, param(s, n)));
}

static int sq_step(struct db_stmt *st)
{
	struct sq_stmt *s = ST(st);
	int rc = map_rc(sqlite3_step(s->st));
	if (rc < 0 && rc != DB_CONSTRAINT)
		log_warn("sqlite: %s", sqlite3_errmsg(SQ(st->db)->h));
	return rc;
}

static int64_t sq_col_int(struct db_stmt *st, int col) { return sqlite3_column_int64(ST(st)->st, col); }

static const char *sq_col_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(ST(st)->st, col);
	return t ? (const char *)t : "";
}

static bool sq_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(ST(st)->st, col) == SQLITE_NULL;
}

static void sq_done(struct db_stmt *st)
{
	struct sq_stmt *s = ST(st);
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	if (!s->cached)
		stmt_free(s);
}

static int sq_col_count(struct db_stmt *st) { return sqlite3_column_count(ST(st)->st); }

static const char *sq_col_name(struct db_stmt *st, int col)
{
	const char *name = col >= 0 ? sqlite3_column_name(ST(st)->st, col) : NULL;
	return name ? name : "";
}

/* Collects the first column of every row of sql (one text parameter, or
 * none when arg is NULL) as malloc'ed strings; the second column, when
 * there is one, into flags (as booleans). Returns the count or -1. */
static int sq_collect(struct sq_db *db, const char *sql, const char *arg, char ***names, bool **flags)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db->h, sql, -1, &q, NULL) != SQLITE_OK) {
		log_error("sqlite: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_TRANSIENT);
	char **out = NULL;
	bool *fl = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **o = realloc(out, (size_t)cap * sizeof *o);
			bool *f = o ? realloc(fl, (size_t)cap * sizeof *f) : NULL;
			if (o)
				out = o;
			if (f)
				fl = f;
			if (!o || !f) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		const unsigned char *t = sqlite3_column_text(q, 0);
		fl[n] = sqlite3_column_count(q) > 1 && sqlite3_column_int(q, 1) != 0;
		if (!(out[n] = strdup(t ? (const char *)t : ""))) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		log_error("sqlite: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db->h));
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_free_names(out, n);
		free(fl);
		return -1;
	}
	*names = out;
	if (flags)
		*flags = fl;
	else
		free(fl);
	return n;
}

/* Ordinary tables only: virtual tables (FTS) and their shadow tables are
 * the full-text index's business. */
static int sq_tables(struct db *d, char ***out)
{
	return sq_collect(SQ(d), "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
			  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", NULL, out, NULL);
}

/* hidden: 0 an ordinary column, 1 hidden (virtual tables), 2 and 3 generated */
static int sq_columns(struct db *d, const char *table, struct db_column **out)
{
	char **names;
	bool *gen;
	int n = sq_collect(SQ(d), "SELECT name, hidden <> 0 FROM pragma_table_xinfo($1) ORDER BY cid",
			   table, &names, &gen);
	if (n < 0)
		return -1;
	struct db_column *cols = calloc((size_t)n + 1, sizeof *cols);
	for (int i = 0; cols && i < n; i++)
		cols[i] = (struct db_column){ names[i], gen[i] };
	if (!cols)
		db_free_names(names, n);
	else
		free(names);
	free(gen);
	*out = cols;
	return cols ? n : -1;
}

/* New rows take the largest rowid + 1: nothing to move. */
static int sq_after_copy(struct db *d, const char *table) { return DB_OK; }

#define BACKUP_PAGES 256
#define BACKUP_BUSY_WAIT_MS 60000
#define BACKUP_RESTARTS 3

static int sq_backup(struct db *d, const char *path, void (*progress)(int, int, void *), void *ctx)
{
	struct sq_db *db = SQ(d);
	db->err[0] = '\0';
	sqlite3 *dst;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s: %s", path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return map_rc(rc) == DB_OK ? DB_ERROR : map_rc(rc);
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
	if (!b) {
		snprintf(db->err, sizeof db->err, "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return DB_ERROR;
	}
	/* Another connection writing restarts the backup at its next step. When
	 * that keeps happening, the rest goes in one step: one read transaction,
	 * which in WAL mode does not hold up the writers. */
	int pages = BACKUP_PAGES, restarts = 0, waited = 0, last = -1;
	for (;;) {
		rc = sqlite3_backup_step(b, pages);
		if (rc == SQLITE_OK || rc == SQLITE_DONE) {
			int remaining = sqlite3_backup_remaining(b), total = sqlite3_backup_pagecount(b);
			waited = 0;
			if (progress)
				progress(remaining, total, ctx);
			if (rc == SQLITE_DONE)
				break;
			if (last >= 0 && remaining >= last && ++restarts >= BACKUP_RESTARTS)
				pages = -1;
			last = remaining;
		} else if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < BACKUP_BUSY_WAIT_MS) {
			sqlite3_sleep(50);
			waited += 50;
		} else {
			break;
		}
	}
	int frc = sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		rc = frc;
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		snprintf(db->err, sizeof db->err, "%s: %s", path,
			 sqlite3_errcode(dst) != SQLITE_OK ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && !db->err[0]) {
		snprintf(db->err, sizeof db->err, "%s: %s", path, sqlite3_errmsg(dst));
		rc = SQLITE_ERROR;
	}
	if (rc == SQLITE_OK || rc == SQLITE_DONE)
		return DB_OK;
	return map_rc(rc) == DB_OK ? DB_ERROR : map_rc(rc);
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.prefix = "sqlite:",
	.open = sq_open,
	.close = sq_close,
	.errmsg = sq_errmsg,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.done = sq_done,
	.begin_sql = "BEGIN IMMEDIATE",
	.migrate_before = "PRAGMA foreign_keys = OFF",
	.migrate_check = "PRAGMA foreign_key_check",
	.migrate_after = "PRAGMA foreign_keys = ON",
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.tables = sq_tables,
	.columns = sq_columns,
	.after_copy = sq_after_copy,
	.backup = sq_backup,
};
