/* unbox copy: every row of one un:box database into another, e.g. a city's
 * SQLite file into PostgreSQL. The target is migrated first; the tables go
 * over one by one, in the order of their references, each in one
 * transaction, keyset-paged by primary key. Rows whose key the target has
 * already stay as they are, so a second run adds only what is new. */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/config.h"
#include "domain/content.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: unbox copy [--from DSN] --to DSN\n\n"
	"Copies every row of an un:box database into another one, e.g. from SQLite\n"
	"to PostgreSQL or back. The target is migrated first; then each table is\n"
	"copied in one transaction, in the order of their references, and checked:\n"
	"every key read from the source must be in the target afterwards. Rows whose\n"
	"key the target has already are left as they are, so running it again adds\n"
	"only what is new and duplicates nothing. On PostgreSQL the id sequences are\n"
	"moved past the copied ids. Stop the servers on the source first: rows\n"
	"written while it copies may be missed (running it again picks them up).\n"
	"Uploaded files are not in the database: serve the copy with the same\n"
	"files_dir.\n\n"
	"  --from DSN   the database to read (default: the configured one, see --db)\n"
	"  --to DSN     the database to write: sqlite:PATH or postgres://...\n";

/* Every table, parents before the tables that refer to them, with its
 * primary key. A table the source has and this list does not is refused:
 * copying it in an unknown order could break references, or lose it. */
struct table {
	const char *name;
	const char *key;
};

static const struct table tables[] = {
	{ "users", "id" },
	{ "sessions", "id" },
	{ "email_tokens", "token_hash" },
	{ "email_changes", "id" },
	{ "throttle", "key" },
	{ "outbox", "id" },
	{ "audit", "id" },
	{ "stadtbezirke", "nr" },
	{ "stadtteile", "nr" },
	{ "fields", "id" },
	{ "cycles", "id" },
	{ "ideas", "id" },
	{ "comments", "id" },        /* replies after their thread: ids grow */
	{ "zielbilder", "id" },
	{ "idea_zielbilder", "id" },
	{ "co_authors", "id" },
	{ "idea_status_history", "id" },
	{ "idea_versions", "id" },
	{ "campaigns", "id" },
	{ "idea_supports", "id" },
	{ "follows", "id" },
	{ "notifications", "id" },
	{ "reports", "id" },
	{ "attachments", "id" },     /* the files themselves stay in files_dir */
	{ "attachment_counts", "id" },
	{ "info_texts", "id" },
	{ "site_settings", "key" },
	{ "content_version", "id" },
};
#define NTABLES (sizeof tables / sizeof tables[0])

#define PAGE_ROWS 1000        /* rows read from the source per query */
#define PROGRESS_ROWS 10000   /* a progress line on stderr this often */
#define MAX_COLUMNS 32        /* parameters a statement takes in both backends */
#define VERIFY_KEYS 32        /* keys looked up in the target per query */

/* The statements of one table. The backends cache statements by the address
 * of their text, so the texts live until both connections are closed. */
struct plan {
	const struct table *t;
	int ncols, key;           /* columns copied; the key's index among them */
	char *count, *first, *next, *insert, *vfirst, *vnext, *vcount;
};

struct totals {
	long long copied, present;
};

static void put_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* printf with %I taking an identifier to quote; only %I, %s, %d and %% */
static char *sql_of(const char *fmt, ...)
{
	struct buf b;
	buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			buf_putc(&b, *p);
			continue;
		}
		switch (*++p) {
		case 'I': put_ident(&b, va_arg(ap, const char *)); break;
		case 's': buf_puts(&b, va_arg(ap, const char *)); break;
		case 'd': buf_printf(&b, "%d", va_arg(ap, int)); break;
		default: buf_putc(&b, *p); break;
		}
	}
	va_end(ap);
	if (b.overflow) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* "$1, $2, ..., $n" */
static char *params_of(int n)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 1; i <= n; i++)
		buf_printf(&b, "%s$%d", i > 1 ? ", " : "", i);
	return buf_detach(&b, NULL);
}

static void plan_free(struct plan *p)
{
	free(p->count);
	free(p->first);
	free(p->next);
	free(p->insert);
	free(p->vfirst);
	free(p->vnext);
	free(p->vcount);
}

static const struct db_column *find_column(const struct db_column *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(cols[i].name, name) == 0)
			return &cols[i];
	return NULL;
}

/* Works out which columns to copy and writes the statements. The columns
 * are those of the target that take values and that the source has; a
 * column the source stores but the target lacks would be lost, so it is
 * refused. Returns 0, or -1 after saying why. */
static int plan_table(struct db *src, struct db *dst, const struct table *t, struct plan *p)
{
	struct db_column *sc = NULL, *dc = NULL;
	int ns = db_table_columns(src, t->name, &sc);
	int nd = ns < 0 ? -1 : db_table_columns(dst, t->name, &dc);
	int rc = -1;
	struct buf cols;
	buf_init(&cols, 0);
	*p = (struct plan){ .t = t, .key = -1 };
	if (ns < 0 || nd < 0) {
		fprintf(stderr, "unbox: %s: cannot read the columns: %s\n", t->name,
			db_errmsg(ns < 0 ? src : dst));
		goto out;
	}
	if (nd == 0) {
		fprintf(stderr, "unbox: %s: the target has no such table after migrating\n", t->name);
		goto out;
	}
	for (int i = 0; i < ns; i++) {
		if (!sc[i].generated && !find_column(dc, nd, sc[i].name)) {
			fprintf(stderr, "unbox: %s.%s: the target has no such column; nothing of %s is copied\n",
				t->name, sc[i].name, t->name);
			goto out;
		}
	}
	for (int i = 0; i < nd; i++) {
		if (dc[i].generated || !find_column(sc, ns, dc[i].name))
			continue;
		if (strcmp(dc[i].name, t->key) == 0)
			p->key = p->ncols;
		if (p->ncols++)
			buf_puts(&cols, ", ");
		put_ident(&cols, dc[i].name);
	}
	if (p->key < 0) {
		fprintf(stderr, "unbox: %s: the key column %s is not in both databases\n", t->name, t->key);
		goto out;
	}
	if (p->ncols > MAX_COLUMNS) {
		fprintf(stderr, "unbox: %s: %d columns, more than the %d a copy can carry\n", t->name,
			p->ncols, MAX_COLUMNS);
		goto out;
	}
	char *values = params_of(p->ncols), *keys = params_of(VERIFY_KEYS);
	const char *c = cols.data, *n = t->name, *k = t->key;
	p->count = sql_of("SELECT COUNT(*) FROM %I", n);
	p->first = sql_of("SELECT %s FROM %I ORDER BY %I LIMIT %d", c, n, k, PAGE_ROWS);
	p->next = sql_of("SELECT %s FROM %I WHERE %I > $1 ORDER BY %I LIMIT %d", c, n, k, k, PAGE_ROWS);
	p->insert = values ? sql_of("INSERT INTO %I (%s) VALUES (%s) ON CONFLICT (%I) DO NOTHING RETURNING %I",
				    n, c, values, k, k) : NULL;
	p->vfirst = sql_of("SELECT %I FROM %I WHERE %I <= $1 ORDER BY %I LIMIT %d", k, n, k, k, VERIFY_KEYS);
	p->vnext = sql_of("SELECT %I FROM %I WHERE %I > $1 AND %I <= $2 ORDER BY %I LIMIT %d",
			  k, n, k, k, k, VERIFY_KEYS);
	p->vcount = keys ? sql_of("SELECT COUNT(*) FROM %I WHERE %I IN (%s)", n, k, keys) : NULL;
	free(values);
	free(keys);
	if (!p->count || !p->first || !p->next || !p->insert || !p->vfirst || !p->vnext || !p->vcount) {
		fprintf(stderr, "unbox: out of memory\n");
		goto out;
	}
	rc = 0;
out:
	buf_free(&cols);
	db_free_columns(sc, ns);
	db_free_columns(dc, nd);
	return rc;
}

/* Copies the rows of one table in one transaction of the target. *last
 * gets the largest key copied (NULL for an empty table). Returns 0 or -1. */
static int copy_rows(struct db *src, struct db *dst, const struct plan *p, long long total,
		     long long *read, long long *copied, long long *present, char **last)
{
	if (db_begin(dst) != DB_OK) {
		fprintf(stderr, "unbox: %s: cannot begin a transaction: %s\n", p->t->name, db_errmsg(dst));
		return -1;
	}
	const char *err = NULL;
	struct db *errdb = NULL;
	for (bool more = true; more && !err;) {
		struct db_stmt *q = db_prepare(src, *last ? p->next : p->first);
		if (!q || (*last && db_bind_text(q, 1, *last) != DB_OK)) {
			err = "reading the source", errdb = src;
			db_done(q);
			break;
		}
		int rows = 0, rc = DB_OK;
		while (!err && (rc = db_step(q)) == DB_ROW) {
			if (rows++ == 0 && (db_column_count(q) != p->ncols ||
					    strcmp(db_column_name(q, p->key), p->t->key) != 0)) {
				err = "the source answered with other columns than asked for";
				break;
			}
			struct db_stmt *ins = db_prepare(dst, p->insert);
			int irc = ins ? DB_OK : DB_ERROR;
			for (int i = 0; i < p->ncols && irc == DB_OK; i++)
				irc = db_is_null(q, i) ? db_bind_null(ins, i + 1) : db_bind_text(ins, i + 1, db_text(q, i));
			if (irc == DB_OK)
				irc = db_step(ins);
			db_done(ins);
			if (irc == DB_ROW)
				++*copied;
			else if (irc == DB_OK)
				++*present;       /* a row with this key is there already */
			else {
				err = "writing the target", errdb = dst;
				break;
			}
			char *key = strdup(db_text(q, p->key));
			if (!key) {
				err = "out of memory";
				break;
			}
			free(*last);
			*last = key;
			if (++*read % PROGRESS_ROWS == 0)
				fprintf(stderr, "  %s: %lld of %lld rows\n", p->t->name, *read, total);
		}
		if (!err && rc != DB_OK && rc != DB_ROW)
			err = "reading the source", errdb = src;
		db_done(q);
		more = rows == PAGE_ROWS;
	}
	if (!err && db_after_copy(dst, p->t->name) != DB_OK)
		err = "moving the id sequences", errdb = dst;
	if (!err && *copied && content_changed(dst) != DB_OK)
		err = "marking the content as changed", errdb = dst;
	if (!err && db_commit(dst) != DB_OK)
		err = "committing", errdb = dst;
	if (err) {
		fprintf(stderr, "unbox: %s: %s%s%s\n", p->t->name, err, errdb ? ": " : "", errdb ? db_errmsg(errdb) : "");
		db_rollback(dst);
		return -1;
	}
	return 0;
}

/* After the commit: every key of the source up to the last one copied must
 * be in the target. Returns the number of keys looked at (*found of them
 * there), or -1. */
static long long verify_keys(struct db *src, struct db *dst, const struct plan *p, const char *last,
			     long long *found)
{
	long long seen = 0;
	char *after = NULL;
	*found = 0;
	for (bool more = last != NULL; more;) {
		struct db_stmt *q = db_prepare(src, after ? p->vnext : p->vfirst);
		struct db_stmt *c = q ? db_prepare(dst, p->vcount) : NULL;
		int rc = c ? DB_OK : DB_ERROR;
		if (rc == DB_OK)
			rc = after ? db_bind(q, "ss", after, last) : db_bind(q, "s", last);
		int n = 0;
		while (rc == DB_OK && (rc = db_step(q)) == DB_ROW) {
			rc = db_bind_text(c, ++n, db_text(q, 0));
			free(after);
			after = strdup(db_text(q, 0));
			if (!after)
				rc = DB_ERROR;
		}
		for (int i = n + 1; rc == DB_OK && i <= VERIFY_KEYS; i++)
			rc = db_bind_null(c, i);
		if (rc == DB_OK && n > 0)
			rc = db_step(c);
		if (n > 0 && rc == DB_ROW)
			*found += db_int(c, 0);
		else if (n > 0 || rc != DB_OK)
			seen = -1;
		db_done(c);
		db_done(q);
		if (seen < 0)
			break;
		seen += n;
		more = n == VERIFY_KEYS;
	}
	free(after);
	return seen;
}

/* Refuses a source with tables this program does not know. */
static int check_tables(struct db *src)
{
	char **names;
	int n = db_tables(src, &names);
	if (n < 0) {
		fprintf(stderr, "unbox: cannot list the tables of the source: %s\n", db_errmsg(src));
		return -1;
	}
	bool schema = false;
	struct buf unknown;
	buf_init(&unknown, 0);
	for (int i = 0; i < n; i++) {
		bool known = strcmp(names[i], "schema_migrations") == 0;
		schema = schema || known;
		for (size_t k = 0; k < NTABLES && !known; k++)
			known = strcmp(names[i], tables[k].name) == 0;
		if (!known)
			buf_printf(&unknown, "%s%s", unknown.len ? ", " : "", names[i]);
	}
	db_free_names(names, n);
	int rc = 0;
	if (!schema) {
		fprintf(stderr, "unbox: the source has no un:box schema (no schema_migrations table)\n");
		rc = -1;
	} else if (unknown.len) {
		fprintf(stderr, "unbox: the source has tables 'unbox copy' does not know: %s\n"
			"nothing was copied: copying them in an unknown order, or leaving them out, could\n"
			"lose data (a newer un:box may know them)\n", unknown.data);
		rc = -1;
	}
	buf_free(&unknown);
	return rc;
}

/* Refuses a source with migrations the (migrated) target does not have:
 * its tables could hold columns this program does not know. */
static int check_migrations(struct db *src, struct db *dst)
{
	int rc = 0;
	struct db_stmt *q = db_prepare(src, "SELECT version FROM schema_migrations ORDER BY version");
	int step = q ? DB_OK : DB_ERROR;
	while (q && (step = db_step(q)) == DB_ROW) {
		int64_t one;
		int known = db_find_int(dst, &one, "SELECT 1 FROM schema_migrations WHERE version = $1", "s", db_text(q, 0));
		if (known < 0) {
			fprintf(stderr, "unbox: cannot read the migrations of the target: %s\n", db_errmsg(dst));
			rc = -1;
			break;
		}
		if (!known) {
			fprintf(stderr, "unbox: the source has migration %s, which this un:box does not have;\n"
				"copy with the version of un:box that wrote the source\n", db_text(q, 0));
			rc = -1;
			break;
		}
	}
	if (rc == 0 && step != DB_OK) {
		fprintf(stderr, "unbox: cannot read the migrations of the source: %s\n", db_errmsg(src));
		rc = -1;
	}
	db_done(q);
	return rc;
}

static int copy_all(struct db *src, struct db *dst, struct plan plans[NTABLES], struct totals *sum)
{
	char **names;
	int nnames = db_tables(src, &names);
	if (nnames < 0) {
		fprintf(stderr, "unbox: cannot list the tables of the source: %s\n", db_errmsg(src));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < NTABLES && rc == 0; i++) {
		const struct table *t = &tables[i];
		bool in_source = false;
		for (int k = 0; k < nnames && !in_source; k++)
			in_source = strcmp(names[k], t->name) == 0;
		if (!in_source) {
			printf("%-16s not in the source, skipped\n", t->name);
			continue;
		}
		if (plan_table(src, dst, t, &plans[i]) < 0) {
			rc = -1;
			break;
		}
		struct plan *p = &plans[i];
		long long total = db_one_int(src, -1, p->count, NULL);
		long long read = 0, copied = 0, present = 0, found = 0;
		char *last = NULL;
		if (total < 0) {
			fprintf(stderr, "unbox: %s: cannot count the rows: %s\n", t->name, db_errmsg(src));
			rc = -1;
		} else if (copy_rows(src, dst, p, total, &read, &copied, &present, &last) < 0) {
			rc = -1;
		} else {
			long long keys = verify_keys(src, dst, p, last, &found);
			long long have = db_one_int(dst, -1, p->count, NULL);
			if (keys < 0 || have < 0) {
				fprintf(stderr, "unbox: %s: cannot check the copy: %s\n", t->name,
					db_errmsg(keys < 0 ? src : dst));
				rc = -1;
			} else if (found != keys || have < keys || have < copied + present) {
				fprintf(stderr, "unbox: %s: check failed: %lld of the source's %lld keys are in the "
					"target, which has %lld rows\n", t->name, found, keys, have);
				rc = -1;
			} else {
				printf("%-16s %lld in the source: %lld copied, %lld already there; "
				       "%lld of %lld keys in the target\n", t->name, total, copied, present, found, keys);
				fflush(stdout);
				sum->copied += copied;
				sum->present += present;
			}
		}
		free(last);
		if (rc < 0)
			fprintf(stderr, "unbox: copy stopped at %s; the tables before it are copied, so once the "
				"cause is fixed,\n'unbox copy' again goes on from there\n", t->name);
	}
	db_free_names(names, nnames);
	return rc;
}

int cmd_copy(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *v;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_value(argc, argv, &i, "--from", usage)))
			from = v;
		else if ((v = cli_value(argc, argv, &i, "--to", usage)))
			to = v;
		else if (!cli_common_option(argc, argv, &i, usage))
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!from)
		from = config_get("db");
	if (!to || !*to)
		cli_usage_error(usage, "say where to copy to: --to DSN");
	if (strcmp(from, to) == 0)
		cli_usage_error(usage, "--from and --to are the same database");

	char err[512];
	struct db *src = db_open(from, err, sizeof err);
	if (!src) {
		fprintf(stderr, "unbox: cannot open the source: %s\n", err);
		return 1;
	}
	struct db *dst = db_open(to, err, sizeof err);
	if (!dst) {
		fprintf(stderr, "unbox: cannot open the target: %s\n", err);
		db_close(src);
		return 1;
	}
	struct plan plans[NTABLES] = { 0 };
	struct totals sum = { 0 };
	int rc = 1;
	printf("copying from %s to %s\n", db_backend(src), db_backend(dst));
	int applied = check_tables(src) < 0 ? -2 : db_migrate(dst, config_get("migrations"));
	if (applied == -1)
		fprintf(stderr, "unbox: the target could not be migrated\n");
	if (applied > 0)
		printf("target: applied %d migration%s\n", applied, applied == 1 ? "" : "s");
	if (applied >= 0 && check_migrations(src, dst) == 0 && copy_all(src, dst, plans, &sum) == 0) {
		printf("done: %lld rows copied, %lld already there\n", sum.copied, sum.present);
		/* statistics for the new rows, so the planner uses the indexes; the rows are copied either way */
		if (db_exec(dst, "ANALYZE") != DB_OK)
			fprintf(stderr, "unbox: warning: the statistics could not be updated (ANALYZE): %s\n",
				db_errmsg(dst));
		rc = 0;
	}
	db_close(dst);
	db_close(src);
	for (size_t i = 0; i < NTABLES; i++)
		plan_free(&plans[i]);
	return rc;
}
