/* unbox backup --to FILE: a consistent copy of the SQLite database, taken
 * while the server goes on reading and writing. */
#include "cli/cli.h"
#include "core/config.h"
#include "core/errtext.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: unbox backup --to FILE [--force] [--db DSN]\n\n"
	"Writes a consistent copy of the SQLite database to FILE with SQLite's online\n"
	"backup: safe while 'unbox serve' is running and writing. The copy is written\n"
	"next to FILE under a temporary name and moved into place once complete, so\n"
	"FILE is never half written; 'unbox serve --db sqlite:FILE' serves it.\n"
	"PostgreSQL databases are backed up with pg_dump instead (see the README).\n\n"
	"  --to FILE   where to write the backup\n"
	"  --force     replace FILE when it exists (otherwise it is refused)\n"
	"  --db DSN    the database to back up (default: the configured one)\n";

struct progress {
	int shown;                /* tenths shown so far */
	int total;
};

/* A line per tenth of the pages on stderr. */
static void show_progress(int remaining, int total, void *ctx)
{
	struct progress *p = ctx;
	int tenths = total > 0 ? (int)((long long)(total - remaining) * 10 / total) : 10;
	p->total = total;
	if (tenths < p->shown)     /* the source changed: the backup started over */
		p->shown = tenths;
	if (tenths > p->shown || remaining == 0) {
		fprintf(stderr, "backup: %d%% (%d of %d pages)\n", tenths * 10, total - remaining, total);
		p->shown = tenths + (remaining == 0);
	}
}

static void remove_partial(const char *tmp)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };
	char path[4096];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(path, sizeof path, "%s%s", tmp, suffixes[i]);
		unlink(path);
	}
}

/* Makes the rename itself durable. */
static void sync_dir_of(const char *file)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", file);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Moves the finished copy to its name: without --force only when nothing
 * is there (link fails on an existing name, even one that just appeared). */
static int put_in_place(const char *tmp, const char *to, bool force)
{
	if (!force) {
		if (link(tmp, to) == 0) {
			unlink(tmp);
			return 0;
		}
		if (errno == EEXIST) {
			fprintf(stderr, "unbox: %s exists; say --force to replace it\n", to);
			return -1;
		}
		struct stat st;          /* no hard links here: check, then rename */
		if (lstat(to, &st) == 0) {
			fprintf(stderr, "unbox: %s exists; say --force to replace it\n", to);
			return -1;
		}
	}
	if (rename(tmp, to) != 0) {
		char why[ERRTEXT_MAX];
		fprintf(stderr, "unbox: cannot move the backup to %s: %s\n", to, errtext(errno, why, sizeof why));
		return -1;
	}
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *to = NULL, *v;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if ((v = cli_value(argc, argv, &i, "--to", usage)))
			to = v;
		else if (strcmp(argv[i], "--force") == 0)
			force = true;
		else
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!to || !*to)
		cli_usage_error(usage, "say where to write the backup: --to FILE");

	struct stat st, dbst;
	const char *dsn = config_get("db");
	if (lstat(to, &st) == 0) {
		if (strncmp(dsn, "sqlite:", 7) == 0 && stat(dsn + 7, &dbst) == 0 &&
		    st.st_dev == dbst.st_dev && st.st_ino == dbst.st_ino) {
			fprintf(stderr, "unbox: %s is the database itself\n", to);
			return 1;
		}
		if (!force) {
			fprintf(stderr, "unbox: %s exists; say --force to replace it\n", to);
			return 1;
		}
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial-%ld", to, (long)getpid()) >= sizeof tmp - 16) {
		fprintf(stderr, "unbox: %s: name too long\n", to);
		return 1;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	remove_partial(tmp);
	struct progress prog = { 0 };
	int rc = db_backup(db, tmp, show_progress, &prog);
	if (rc != DB_OK)
		fprintf(stderr, "unbox: backup failed: %s\n", db_errmsg(db));
	db_close(db);
	if (rc != DB_OK || put_in_place(tmp, to, force) < 0) {
		remove_partial(tmp);
		return 1;
	}
	sync_dir_of(to);
	long long bytes = stat(to, &st) == 0 ? (long long)st.st_size : 0;
	printf("backup written to %s (%d pages, %lld bytes)\n", to, prog.total, bytes);
	return 0;
}
