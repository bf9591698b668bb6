/* unbox config check|show */
#include "cli/cli.h"
#include "core/config.h"
#include <string.h>

static const char usage[] =
	"usage: unbox config check|show [--db DSN]\n\n"
	"  check   validate every setting; exit 1 when one is wrong\n"
	"  show    print every setting, its value and where it came from\n";

int cmd_config(int argc, char **argv)
{
	const char *action = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if (argv[i][0] == '-' || action)
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
		action = argv[i];
	}
	if (!action)
		cli_usage_error(usage, "say check or show");
	if (strcmp(action, "show") == 0) {
		config_show(stdout);
		return 0;
	}
	if (strcmp(action, "check") == 0) {
		int problems = config_check(stderr);
		if (problems == 0)
			printf("configuration ok\n");
		return problems ? 1 : 0;
	}
	cli_usage_error(usage, "unknown action '%s'", action);
}
