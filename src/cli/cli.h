/* The command table and what the commands share. One file per command:
 * src/cli/cmd_<name>.c. Exit codes: 0 ok, 1 failure, 2 usage. */
#ifndef UNBOX_CLI_H
#define UNBOX_CLI_H
#include <stdio.h>
#include "db/db.h"

#define EXIT_USAGE 2

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_seed(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_backup(int argc, char **argv);

/* Handles the options every command shares (--db, --help); returns 1 when
 * argv[*i] was one of them. Prints usage on --help and exits 0. */
int cli_common_option(int argc, char **argv, int *i, const char *usage);
/* Reads the value of an option "--name VALUE" or "--name=VALUE" at argv[*i];
 * returns the value and advances *i, or NULL when argv[*i] is not that option.
 * Exits with usage when the value is missing. */
const char *cli_value(int argc, char **argv, int *i, const char *name, const char *usage);
_Noreturn void cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the configured database, or prints why not and returns NULL. */
struct db *cli_open_db(void);
/* unbox seed --demo, the portal's part (cli/seed_portal.c): the city's
 * settings and the demo texts from data/demo/. 0, or -1 with the reason printed. */
int seed_portal(struct db *db, const char *data);
/* The demo password of a role (printed only in demo mode). */
const char *cli_demo_password(const char *role, char *out, size_t cap);

#endif
