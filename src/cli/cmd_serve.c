/* unbox serve */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "domain/filestore.h"
#include "domain/outbox.h"
#include "domain/user.h"
#include "http/server.h"
#include "http/static.h"
#include "web/i18n.h"
#include "web/tmpl.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: unbox serve [--listen ADDR:PORT] [--db DSN] [--threads N] [--demo]\n\n"
	"Runs the web server until SIGINT or SIGTERM; requests in flight finish first.\n"
	"  --listen    address and port (default 127.0.0.1:8080)\n"
	"  --db        database (default sqlite:var/unbox.db)\n"
	"  --threads   threads that run the handlers (default: one per processor with\n"
	"              SQLite, two per processor with PostgreSQL, whose sockets get one\n"
	"              thread per processor besides)\n"
	"  --demo      demo mode: e-mails and demo passwords are printed to the log\n";

int cmd_serve(int argc, char **argv)
{
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (cli_common_option(argc, argv, &i, usage))
			continue;
		if ((v = cli_value(argc, argv, &i, "--listen", usage)))
			config_set("listen", v, CONFIG_FLAG);
		else if ((v = cli_value(argc, argv, &i, "--threads", usage)))
			config_set("threads", v, CONFIG_FLAG);
		else if (strcmp(argv[i], "--demo") == 0)
			config_set("demo", "1", CONFIG_FLAG);
		else
			cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
	}
	if (config_check(stderr))
		return 1;

	char err[512];
	if (i18n_load(config_get("po"), err, sizeof err) < 0) {
		log_error("translations: %s", err);
		return 1;
	}
	struct tmpl_set *templates = tmpl_set_load(config_get("templates"), config_get("theme"), err, sizeof err);
	if (!templates) {
		log_error("templates: %s", err);
		i18n_free();
		return 1;
	}
	int nstatic = static_load(config_get("static"), config_get("assets"), err, sizeof err);
	if (nstatic < 0) {
		log_error("static files: %s (run 'make' to install the front-end packages)", err);
		tmpl_set_free(templates);
		i18n_free();
		return 1;
	}
	struct app app = {
		.templates = templates,
		.base_url = config_get("base_url"),
		.default_lang = config_get("lang"),
		.demo = config_bool("demo"),
		.secure_cookies = config_bool("secure_cookies"),
		.files_dir = config_get("files_dir"),
	};
	/* what uploads cut off by a process that died left behind (an hour
	 * is far longer than any request lives, on any instance sharing it) */
	int swept = filestore_sweep(app.files_dir, clock_now(), 3600);
	if (swept > 0)
		log_info("files: removed %d stale temporary uploads from %s/tmp", swept, app.files_dir);
	outbox_set_echo(app.demo);
	if (app.demo) {
		log_info("demo mode: e-mails are printed here; demo accounts (role, e-mail, password):");
		char pw[64];
		for (int r = 0; user_roles[r]; r++)
			log_info("  %-11s %s@demo.unbox.invalid  %s", user_roles[r], user_roles[r],
				 cli_demo_password(user_roles[r], pw, sizeof pw));
	}
	/* db_replicas: "dsn1,dsn2" */
	char replica_list[512];
	const char *replicas[8];
	int nreplicas = 0;
	snprintf(replica_list, sizeof replica_list, "%s", config_get("db_replicas"));
	for (char *save = NULL, *tok = strtok_r(replica_list, ", ", &save); tok && nreplicas < 8;
	     tok = strtok_r(NULL, ", ", &save))
		replicas[nreplicas++] = tok;
	/* By default the processors' count: SQLite's handlers compute and keep
	 * them busy; PostgreSQL's also wait for the database half the time. */
	int threads = (int)config_int("threads");
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = (cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus) * (strncmp(config_get("db"), "sqlite:", 7) ? 2 : 1);
	}
	struct server_options opt = {
		.listen = config_get("listen"),
		.dsn = config_get("db"),
		.replicas = replicas,
		.nreplicas = nreplicas,
		.db_pool = config_int("db_pool") > 0 ? (int)config_int("db_pool") : threads,
		.threads = threads,
		.max_conn_per_ip = (int)config_int("max_conn_per_ip"),
		.idle_timeout = (int)config_int("idle_timeout"),
		.max_connections = (int)config_int("max_connections"),
		.header_timeout = (int)config_int("header_timeout"),
		.access_log = config_bool("access_log"),
		.page_cache = config_bool("page_cache"),
		.trusted_proxies = config_get("trusted_proxies"),
	};
	int rc = server_run(&opt, &app);
	static_free();
	tmpl_set_free(templates);
	i18n_free();
	return rc;
}
