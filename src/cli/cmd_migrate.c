/* unbox migrate */
#include "cli/cli.h"
#include "core/config.h"
#include <stdio.h>

static const char usage[] =
	"usage: unbox migrate [--db DSN]\n\n"
	"Applies the database migrations that have not been applied yet (from the\n"
	"'migrations' directory). Safe to run any number of times.\n";

int cmd_migrate(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!cli_common_option(argc, argv, &i, usage))
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	struct db *db = cli_open_db();
	if (!db)
		return 1;
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
