/* unbox: one program, a git-style command table. */
#include "cli/cli.h"
#include "http/router.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/token.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct command commands[] = {
	{ "serve", cmd_serve, "run the web server" },
	{ "migrate", cmd_migrate, "bring the database schema up to date" },
	{ "seed", cmd_seed, "load the demo content (Cologne's districts, a cycle, accounts, ideas)" },
	{ "user", cmd_user, "manage accounts (user add)" },
	{ "config", cmd_config, "check or show the configuration" },
	{ "copy", cmd_copy, "copy every row into another database (e.g. SQLite to PostgreSQL)" },
	{ "backup", cmd_backup, "write a consistent copy of the SQLite database, also while serving" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: unbox [--config FILE] COMMAND [OPTIONS]\n\n"
		     "un:box, the civic innovation platform.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'unbox COMMAND --help' tells more about a command.\n"
		     "Settings: defaults < --config FILE (or UNBOX_CONFIG) < UNBOX_* environment < flags;\n"
		     "'unbox config show' lists them all.\n");
}

_Noreturn void cli_usage_error(const char *usage_text, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("unbox: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage_text);
	exit(EXIT_USAGE);
}

const char *cli_value(int argc, char **argv, int *i, const char *name, const char *usage_text)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		cli_usage_error(usage_text, "%s needs a value", name);
	return argv[++*i];
}

int cli_common_option(int argc, char **argv, int *i, const char *usage_text)
{
	if (strcmp(argv[*i], "--help") == 0 || strcmp(argv[*i], "-h") == 0) {
		fputs(usage_text, stdout);
		exit(0);
	}
	const char *v = cli_value(argc, argv, i, "--db", usage_text);
	if (v) {
		config_set("db", v, CONFIG_FLAG);
		return 1;
	}
	return 0;
}

struct db *cli_open_db(void)
{
	char err[512];
	struct db *db = db_open(config_get("db"), err, sizeof err);
	if (!db)
		fprintf(stderr, "unbox: cannot open the database: %s\n", err);
	return db;
}

const char *cli_demo_password(const char *role, char *out, size_t cap)
{
	snprintf(out, cap, "unbox-demo-%s", role);
	return out;
}

int main(int argc, char **argv)
{
	config_reset();
	int first = 1;
	const char *config_file = getenv("UNBOX_CONFIG");
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		config_file = argv[2];
		first = 3;
	}
	if (config_file) {
		char err[512];
		if (config_load_file(config_file, err, sizeof err) < 0) {
			fprintf(stderr, "unbox: %s\n", err);
			return 1;
		}
	}
	config_load_env();
	if (argc <= first || strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0 ||
	    strcmp(argv[first], "help") == 0) {
		usage(argc <= first ? stderr : stdout);
		return argc <= first ? EXIT_USAGE : 0;
	}
	if (token_init() < 0) {
		fprintf(stderr, "unbox: libsodium could not be initialised\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[first], commands[i].name) == 0) {
			areas_init();
			return commands[i].run(argc - first, argv + first);
		}
	fprintf(stderr, "unbox: unknown command '%s'\n\n", argv[first]);
	usage(stderr);
	return EXIT_USAGE;
}
