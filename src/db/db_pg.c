/* PostgreSQL backend (libpq). Statements are prepared once per connection
 * under generated names; parameters travel as text, integers declared as
 * int8 so comparisons like "$3 = 0" get the right type. A connection that
 * broke is reset and the statement retried once, outside transactions. */
#include "db/db_backend.h"
#include "core/log.h"
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256       /* power of two */
#define MAX_PARAMS 32
#define INT8OID 20

struct pg_stmt {
	struct db_stmt base;
	const char *sql;          /* cache key: address of the SQL text */
	char name[16];
	bool prepared;            /* on the current connection */
	bool cached;              /* else unnamed, freed by db_done */
	int nparams;
	char *values[MAX_PARAMS];
	unsigned types[MAX_PARAMS];
	char ints[MAX_PARAMS][24];
	PGresult *res;
	int row, nrows;
	bool executed;
};

struct pg_db {
	struct db base;
	PGconn *conn;
	int next_name;
	bool in_tx;
	char err[512];
	struct pg_stmt *cache[CACHE_SLOTS];
};

static struct pg_db *PG(struct db *db) { return (struct pg_db *)db; }
static struct pg_stmt *ST(struct db_stmt *st) { return (struct pg_stmt *)st; }

static void set_err(struct pg_db *db, const char *what, const PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);
	snprintf(db->err, sizeof db->err, "%s%s%s", what, *what ? ": " : "", msg && *msg ? msg : "unknown error");
	size_t n = strlen(db->err);
	while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
}

/* Maps a failed result to a db_rc by its SQLSTATE. */
static int map_error(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return DB_ERROR;
	if (strncmp(state, "23", 2) == 0)         /* integrity constraint violation */
		return DB_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		return DB_BUSY;                     /* serialization failure, deadlock, lock timeout */
	return DB_ERROR;
}

static struct db *pg_open(const char *dsn, char *err, size_t errlen)
{
	/* A bounded connect, so a database that is down or unreachable costs
	 * seconds, not a hung request (a DSN may still set its own). */
	const char *const keys[] = { "dbname", "connect_timeout", NULL };
	const char *const values[] = { dsn, "5", NULL };
	PGconn *conn = strstr(dsn, "connect_timeout") ? PQconnectdb(dsn) : PQconnectdbParams(keys, values, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", conn ? PQerrorMessage(conn) : "out of memory");
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		PQfinish(conn);
		return NULL;
	}
	/* quiet NOTICEs ("relation already exists, skipping") */
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	struct pg_db *db = calloc(1, sizeof *db);
	if (!db) {
		PQfinish(conn);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->base.ops = &db_pg_ops;
	db->conn = conn;
	return &db->base;
}

static void stmt_clear(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->executed = false;
	s->row = s->nrows = 0;
	for (int i = 0; i < s->nparams; i++) {
		if (s->values[i] && s->values[i] != s->ints[i])
			free(s->values[i]);
		s->values[i] = NULL;
		s->types[i] = 0;
	}
}

static void pg_close(struct db *d)
{
	struct pg_db *db = PG(d);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (db->cache[i]) {
			stmt_clear(db->cache[i]);
			free(db->cache[i]);
		}
	}
	PQfinish(db->conn);
	free(db);
}

static const char *pg_errmsg(struct db *d)
{
	return PG(d)->err[0] ? PG(d)->err : PQerrorMessage(PG(d)->conn);
}

/* After a lost connection: reconnect; prepared statements are gone with it. */
static bool reconnect(struct pg_db *db)
{
	if (db->in_tx)
		return false;
	log_warn("postgres: connection lost, reconnecting");
	PQreset(db->conn);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i])
			db->cache[i]->prepared = false;
	return PQstatus(db->conn) == CONNECTION_OK;
}

static void track_tx(struct pg_db *db)
{
	db->in_tx = PQtransactionStatus(db->conn) != PQTRANS_IDLE;
}

static int pg_exec(struct db *d, const char *sql)
{
	struct pg_db *db = PG(d);
	for (int attempt = 0; attempt < 2; attempt++) {
		PGresult *res = PQexec(db->conn, sql);
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COMMAND_OK && strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
			/* COMMIT of a transaction a failed statement aborted: rolled back */
			PQclear(res);
			track_tx(db);
			snprintf(db->err, sizeof db->err, "COMMIT: the transaction was aborted and has been rolled back");
			log_warn("postgres: %s", db->err);
			return DB_ERROR;
		}
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
			PQclear(res);
			track_tx(db);
			return DB_OK;
		}
		int rc = map_error(res);
		set_err(db, "", res);
		PQclear(res);
		if (PQstatus(db->conn) == CONNECTION_BAD && strcmp(sql, "ROLLBACK") == 0) {
			db->in_tx = false;        /* the transaction went with the connection */
			return reconnect(db) ? DB_OK : DB_ERROR;
		}
		if (PQstatus(db->conn) == CONNECTION_BAD && attempt == 0 && reconnect(db))
			continue;
		track_tx(db);
		if (rc != DB_CONSTRAINT)
			log_warn("postgres: %s", db->err);
		return rc;
	}
	return DB_ERROR;
}

static int count_params(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'') {              /* skip string literals */
			for (p++; *p && *p != '\''; p++)
				;
			if (!*p)
				break;
			continue;
		}
		if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			long n = strtol(p + 1, NULL, 10);   /* LONG_MAX when too long: too many anyway */
			if (n > max)
				max = n > INT_MAX ? INT_MAX : (int)n;
		}
	}
	return max;
}

static size_t slot_of(const char *sql)
{
	uintptr_t p = (uintptr_t)sql;
	return (size_t)((p >> 3) * 2654435761u) & (CACHE_SLOTS - 1);
}

static struct db_stmt *pg_prepare(struct db *d, const char *sql)
{
	struct pg_db *db = PG(d);
	size_t slot = slot_of(sql), free_slot = CACHE_SLOTS;
	for (size_t k = 0; k < CACHE_SLOTS; k++) {
		size_t i = (slot + k) & (CACHE_SLOTS - 1);
		struct pg_stmt *s = db->cache[i];
		if (!s) {
			free_slot = i;
			break;
		}
		if (s->sql == sql)
			return &s->base;
	}
	int n = count_params(sql);
	if (n > MAX_PARAMS) {
		snprintf(db->err, sizeof db->err, "too many parameters (%d)", n);
		return NULL;
	}
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->base.db = d;
	s->sql = sql;
	s->nparams = n;
	if (free_slot < CACHE_SLOTS) {
		s->cached = true;
		snprintf(s->name, sizeof s->name, "s%d", db->next_name++);
		db->cache[free_slot] = s;
	}
	/* cache full: the unnamed statement, prepared at each use, freed by db_done */
	return &s->base;
}

static int param_slot(struct pg_stmt *s, int n)
{
	return n >= 1 && n <= s->nparams ? n - 1 : -1;
}

static int pg_bind_text(struct db_stmt *st, int n, const char *v)
{
	struct pg_stmt *s = ST(st);
	int i = param_slot(s, n);
	if (i < 0)
		return DB_ERROR;
	if (s->values[i] && s->values[i] != s->ints[i])
		free(s->values[i]);
	s->values[i] = strdup(v);
	s->types[i] = 0;
	return s->values[i] ? DB_OK : DB_ERROR;
}

static int pg_bind_int(struct db_stmt *st, int n, int64_t v)
{
	struct pg_stmt *s = ST(st);
	int i = param_slot(s, n);
	if (i < 0)
		return DB_ERROR;
	if (s->values[i] && s->values[i] != s->ints[i])
		free(s->values[i]);
	snprintf(s->ints[i], sizeof s->ints[i], "%lld", (long long)v);
	s->values[i] = s->ints[i];
	s->types[i] = INT8OID;
	return DB_OK;
}

static int pg_bind_null(struct db_stmt *st, int n)
{
	struct pg_stmt *s = ST(st);
	int i = param_slot(s, n);
	if (i < 0)
		return DB_ERROR;
	if (s->values[i] && s->values[i] != s->ints[i])
		free(s->values[i]);
	s->values[i] = NULL;
	return DB_OK;
}

static int execute(struct pg_db *db, struct pg_stmt *s)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!s->prepared || !s->cached) {
			PGresult *p = PQprepare(db->conn, s->name, s->sql, s->nparams, s->types);
			if (PQresultStatus(p) != PGRES_COMMAND_OK) {
				set_err(db, "prepare", p);
				PQclear(p);
				if (PQstatus(db->conn) == CONNECTION_BAD && attempt == 0 && reconnect(db))
					continue;
				log_error("postgres: %s: %s", db->err, s->sql);
				return DB_ERROR;
			}
			PQclear(p);
			s->prepared = true;
		}
		s->res = PQexecPrepared(db->conn, s->name, s->nparams, (const char *const *)s->values, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(s->res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			s->executed = true;
			s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
			s->row = -1;
			track_tx(db);
			return DB_OK;
		}
		int rc = map_error(s->res);
		set_err(db, "", s->res);
		PQclear(s->res);
		s->res = NULL;
		if (PQstatus(db->conn) == CONNECTION_BAD && attempt == 0 && reconnect(db))
			continue;
		track_tx(db);
		if (rc != DB_CONSTRAINT)
			log_warn("postgres: %s", db->err);
		return rc;
	}
	return DB_ERROR;
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = ST(st);
	if (!s->executed) {
		int rc = execute(PG(st->db), s);
		if (rc != DB_OK)
			return rc;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->nrows;
	return DB_OK;
}

static int64_t pg_col_int(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || col >= PQnfields(s->res))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1;                    /* booleans come as t/f */
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || col >= PQnfields(s->res))
		return "";
	return PQgetvalue(s->res, s->row, col);
}

static bool pg_col_null(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || col >= PQnfields(s->res))
		return true;
	return PQgetisnull(s->res, s->row, col);
}

static void pg_done(struct db_stmt *st)
{
	stmt_clear(ST(st));
	if (!ST(st)->cached)
		free(ST(st));
}

static bool pg_broken(struct db *d)
{
	return PQstatus(PG(d)->conn) == CONNECTION_BAD;
}

static int pg_col_count(struct db_stmt *st)
{
	struct pg_stmt *s = ST(st);
	return s->res ? PQnfields(s->res) : 0;
}

static const char *pg_col_name(struct db_stmt *st, int col)
{
	struct pg_stmt *s = ST(st);
	const char *name = s->res && col >= 0 ? PQfname(s->res, col) : NULL;
	return name ? name : "";
}

/* Runs a catalogue query with text parameters outside the statement cache;
 * NULL (and db->err set) unless it answered rows. */
static PGresult *pg_query(struct pg_db *db, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		set_err(db, "", res);
		log_warn("postgres: %s", db->err);
		PQclear(res);
		track_tx(db);
		return NULL;
	}
	return res;
}

static int pg_tables(struct db *d, char ***out)
{
	PGresult *res = pg_query(PG(d),
		"SELECT c.relname FROM pg_catalog.pg_class c "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
		"ORDER BY c.relname COLLATE \"C\"", 0, NULL);
	if (!res)
		return -1;
	int n = PQntuples(res);
	char **names = calloc((size_t)n + 1, sizeof *names);
	for (int i = 0; names && i < n; i++) {
		if (!(names[i] = strdup(PQgetvalue(res, i, 0)))) {
			db_free_names(names, i);
			names = NULL;
		}
	}
	PQclear(res);
	*out = names;
	return names ? n : -1;
}

static int pg_columns(struct db *d, const char *table, struct db_column **out)
{
	const char *params[] = { table };
	PGresult *res = pg_query(PG(d),
		"SELECT a.attname, a.attgenerated <> '' FROM pg_catalog.pg_attribute a "
		"WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped "
		"ORDER BY a.attnum", 1, params);
	if (!res)
		return -1;
	int n = PQntuples(res);
	struct db_column *cols = calloc((size_t)n + 1, sizeof *cols);
	for (int i = 0; cols && i < n; i++) {
		cols[i].generated = strcmp(PQgetvalue(res, i, 1), "t") == 0;
		if (!(cols[i].name = strdup(PQgetvalue(res, i, 0)))) {
			db_free_columns(cols, i);
			cols = NULL;
		}
	}
	PQclear(res);
	*out = cols;
	return cols ? n : -1;
}

/* Identity and serial columns draw from sequences that know nothing of ids
 * inserted explicitly: each moves to the column's largest value, so the
 * next one it hands out is new. A sequence already further stays. */
static int pg_after_copy(struct db *d, const char *table)
{
	struct pg_db *db = PG(d);
	const char *params[2] = { table, NULL };
	PGresult *cols = pg_query(db,
		"SELECT a.attname, pg_get_serial_sequence(quote_ident($1), a.attname) "
		"FROM pg_catalog.pg_attribute a "
		"WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped "
		"AND pg_get_serial_sequence(quote_ident($1), a.attname) IS NOT NULL ORDER BY a.attnum", 1, params);
	if (!cols)
		return DB_ERROR;
	int rc = DB_OK;
	for (int i = 0; i < PQntuples(cols) && rc == DB_OK; i++) {
		const char *col = PQgetvalue(cols, i, 0);
		char *qt = PQescapeIdentifier(db->conn, table, strlen(table));
		char *qc = PQescapeIdentifier(db->conn, col, strlen(col));
		char sql[1024];
		int len = qt && qc ? snprintf(sql, sizeof sql,
			"SELECT setval($1::regclass, m) FROM (SELECT max(%s) AS m FROM %s) x "
			"WHERE m IS NOT NULL AND m > COALESCE(pg_sequence_last_value($1::regclass), 0)", qc, qt) : -1;
		PQfreemem(qt);
		PQfreemem(qc);
		if (len < 0 || (size_t)len >= sizeof sql) {
			snprintf(db->err, sizeof db->err, "%s.%s: name too long", table, col);
			rc = DB_ERROR;
			break;
		}
		params[0] = PQgetvalue(cols, i, 1);
		PGresult *res = pg_query(db, sql, 1, params);
		if (!res)
			rc = DB_ERROR;
		PQclear(res);
	}
	PQclear(cols);
	return rc;
}

static int pg_backup(struct db *d, const char *path, void (*progress)(int, int, void *), void *ctx)
{
	struct pg_db *db = PG(d);
	snprintf(db->err, sizeof db->err, "PostgreSQL databases are backed up with pg_dump, "
		 "e.g. pg_dump --format=custom --file=unbox.dump DSN (see the README)");
	return DB_ERROR;
}

const struct db_ops db_pg_ops = {
	.name = "postgres",
	.prefix = "postgres",    /* postgres:// and postgresql:// */
	.open = pg_open,
	.close = pg_close,
	.errmsg = pg_errmsg,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.done = pg_done,
	.broken = pg_broken,
	.begin_sql = "BEGIN",
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.tables = pg_tables,
	.columns = pg_columns,
	.after_copy = pg_after_copy,
	.backup = pg_backup,
};
