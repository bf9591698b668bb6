/* unbox user add --email E --name N --role R */
#include "cli/cli.h"
#include "core/clock.h"
#include "domain/audit.h"
#include "domain/password.h"
#include "domain/token.h"
#include "domain/user.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: unbox user add --email E --name N --role R [--password-stdin] [--db DSN]\n\n"
	"Creates a confirmed account. Roles: resident, team, spurgruppe, committee,\n"
	"supporter, steward, admin. Without --password-stdin a random password is\n"
	"generated and printed once.\n";

int cmd_user(int argc, char **argv)
{
	const char *action = NULL, *email = NULL, *name = NULL, *role = NULL, *v;
	bool from_stdin = false;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if ((v = cli_value(argc, argv, &i, "--email", usage)))
			email = v;
		else if ((v = cli_value(argc, argv, &i, "--name", usage)))
			name = v;
		else if ((v = cli_value(argc, argv, &i, "--role", usage)))
			role = v;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = true;
		else if (argv[i][0] != '-' && !action)
			action = argv[i];
		else
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (!action || strcmp(action, "add") != 0)
		cli_usage_error(usage, "the only action is 'add'");
	if (!email || !name || !role)
		cli_usage_error(usage, "--email, --name and --role are required");
	if (!role_valid(role))
		cli_usage_error(usage, "unknown role '%s'", role);

	char norm[EMAIL_MAX + 1];
	struct field_errors fe = { 0 };
	if (!email_normalize(email, norm))
		field_error(&fe, "email", "too_long");
	if (user_validate(&fe, norm, name) || fe.count) {
		for (size_t k = 0; k < fe.count; k++)
			fprintf(stderr, "unbox: %s: %s\n", fe.items[k].field, fe.items[k].code);
		return 1;
	}
	char password[PASSWORD_MAX_BYTES + 2];
	if (from_stdin) {
		if (!fgets(password, sizeof password, stdin)) {
			fprintf(stderr, "unbox: no password on standard input\n");
			return 1;
		}
		password[strcspn(password, "\r\n")] = '\0';
		const char *problem = password_policy(password);
		if (problem) {
			fprintf(stderr, "unbox: password: %s (at least %d characters, not a common one)\n",
				problem, PASSWORD_MIN_CHARS);
			return 1;
		}
	} else {
		token_new(password);
	}
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) != 0) {
		fprintf(stderr, "unbox: out of memory while hashing\n");
		return 1;
	}
	struct db *db = cli_open_db();
	if (!db)
		return 1;
	int64_t id = 0;
	int rc = db_begin(db);
	if (rc == DB_OK)
		rc = user_create(db, norm, name, hash, role, clock_now(), &id);
	if (rc == DB_OK)
		rc = audit_add(db, 0, "user.add", "user", norm);
	if (rc == DB_OK)
		rc = db_commit(db);
	else
		db_rollback(db);
	db_close(db);
	if (rc == DB_CONSTRAINT) {
		fprintf(stderr, "unbox: an account with %s exists already\n", norm);
		return 1;
	}
	if (rc != DB_OK) {
		fprintf(stderr, "unbox: the account could not be stored\n");
		return 1;
	}
	printf("created %s (%s), id %lld\n", norm, role, (long long)id);
	if (!from_stdin)
		printf("password: %s\n", password);
	return 0;
}
