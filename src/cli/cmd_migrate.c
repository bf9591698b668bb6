/* unbox migrate */
#include "cli/cli.h"
#include "core/config.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: unbox migrate [--status] [--db DSN]\n\n"
	"Applies the database migrations that have not been applied yet (from the\n"
	"'migrations' directory: one file per change for every backend).\n"
	"Safe to run any number of times.\n"
	"  --status   list every migration as applied (with its time) or pending; change nothing\n";

int cmd_migrate(int argc, char **argv)
{
	bool status = false;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if (strcmp(argv[i], "--status") == 0)
			status = true;
		else
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	if (status) {
		int pending = db_migration_status(db, config_get("migrations"), stdout);
		db_close(db);
		if (pending < 0)
			return 1;
		printf("%d pending\n", pending);
		return 0;
	}
	int n = db_migrate(db, config_get("migrations"));
	db_close(db);
	if (n < 0) {
		fprintf(stderr, "unbox: migration failed\n");
		return 1;
	}
	if (n > 0)
		printf("applied %d migration%s\n", n, n == 1 ? "" : "s");
	else
		printf("database is up to date\n");
	return 0;
}
