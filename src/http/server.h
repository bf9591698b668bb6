/* The web server: libmicrohttpd with a thread pool; every request goes
 * through one pipeline (route, limits, session, language, CSRF, handler,
 * render, headers, access log). */
#ifndef UNBOX_SERVER_H
#define UNBOX_SERVER_H
#include "web/req.h"

struct server_options {
	const char *listen;        /* "127.0.0.1:8080" */
	const char *dsn;
	const char *const *replicas;   /* read-only DSNs, may be empty */
	int nreplicas;
	int db_pool;               /* connections per database */
	int threads;
	int max_conn_per_ip;
	int idle_timeout;          /* seconds */
	int max_connections;       /* in all; lowered to what the open-file limit allows */
	int header_timeout;        /* seconds for the request line and headers */
	bool access_log;
	bool page_cache;           /* answer anonymous GETs from the page cache */
	const char *trusted_proxies;   /* peers whose X-Forwarded-For is believed */
};

/* Serves until SIGINT or SIGTERM, then lets requests in flight finish.
 * Returns 0 on a clean stop, 1 when the server could not start. */
int server_run(const struct server_options *opt, const struct app *app);

#endif
