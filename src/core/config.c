#include "core/config.h"
#include "core/errtext.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_STR, K_DIR, K_INT, K_BOOL, K_LISTEN, K_DSN, K_LANG };

struct setting {
	const char *name;
	const char *def;
	enum kind kind;
	long min, max;
	const char *help;
	char value[512];
	enum config_source src;
};

static struct setting table[] = {
	{ "listen", "127.0.0.1:8080", K_LISTEN, 0, 0, "address:port the web server listens on" },
	{ "db", "sqlite:var/unbox.db", K_DSN, 0, 0, "database: sqlite:PATH or postgres://..." },
	{ "db_replicas", "", K_STR, 0, 0, "read-only replica DSNs, separated by commas (PostgreSQL)" },
	{ "db_pool", "0", K_INT, 0, 1000, "connections per database (0: one per worker thread)" },
	{ "threads", "0", K_INT, 0, 256, "threads that run the handlers (0: one per processor with SQLite, two with PostgreSQL)" },
	{ "demo", "0", K_BOOL, 0, 0, "demo mode: print e-mails and demo passwords to the log" },
	{ "base_url", "http://127.0.0.1:8080", K_STR, 0, 0, "public address, used in links in e-mails" },
	{ "templates", "templates", K_STR, 0, 0, "directory of the page templates" },
	{ "theme", "", K_STR, 0, 0, "optional directory whose templates override the defaults" },
	{ "static", "static", K_STR, 0, 0, "directory of our own static files" },
	{ "assets", "node_modules/@kern-ux/native/dist", K_STR, 0, 0, "KERN UX style sheets and fonts" },
	{ "po", "po", K_STR, 0, 0, "directory of the translation catalogues" },
	{ "migrations", "migrations", K_STR, 0, 0, "directory of the database migrations" },
	{ "data", "data", K_STR, 0, 0, "directory of the demo content and district boundaries" },
	{ "files_dir", "var/files", K_DIR, 0, 0, "directory of uploaded files, stored by their SHA-256 (shared by all instances)" },
	{ "lang", "de", K_LANG, 0, 0, "default language (de or en)" },
	{ "max_conn_per_ip", "64", K_INT, 1, 100000, "open connections allowed per client address" },
	{ "idle_timeout", "30", K_INT, 1, 3600, "seconds before an idle connection is closed" },
	{ "max_connections", "4096", K_INT, 16, 1000000,
	  "open connections in all (lowered to what the open-file limit allows)" },
	{ "header_timeout", "10", K_INT, 1, 3600, "seconds a client has to send the request line and headers" },
	{ "access_log", "1", K_BOOL, 0, 0, "one log line per request" },
	{ "page_cache", "1", K_BOOL, 0, 0, "answer anonymous visitors from the page cache" },
	{ "secure_cookies", "0", K_BOOL, 0, 0, "mark cookies Secure (set when served over TLS)" },
	{ "trusted_proxies", "", K_STR, 0, 0, "reverse proxies whose X-Forwarded-For names the visitor (commas)" },
};
#define NSETTINGS (sizeof table / sizeof table[0])

static struct setting *find(const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

void config_reset(void)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		snprintf(table[i].value, sizeof table[i].value, "%s", table[i].def);
		table[i].src = CONFIG_DEFAULT;
	}
}

int config_set(const char *name, const char *value, enum config_source src)
{
	struct setting *s = find(name);
	if (!s)
		return -1;
	if (s->src > src)   /* a lower layer never overrides a higher one */
		return 0;
	snprintf(s->value, sizeof s->value, "%s", value);
	s->src = src;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_load_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		char why[ERRTEXT_MAX];
		snprintf(err, errlen, "%s: %s", path, errtext(errno, why, sizeof why));
		return -1;
	}
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected name = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *name = trim(p), *value = trim(eq + 1);
		if (config_set(name, value, CONFIG_FILE) < 0) {
			snprintf(err, errlen, "%s:%d: unknown setting '%s'", path, lineno, name);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

void config_load_env(void)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		char env[64] = "UNBOX_";
		size_t n = 6;
		for (const char *c = table[i].name; *c && n < sizeof env - 1; c++)
			env[n++] = (char)toupper((unsigned char)*c);
		env[n] = '\0';
		const char *v = getenv(env);
		if (v)
			config_set(table[i].name, v, CONFIG_ENV);
	}
}

const char *config_get(const char *name)
{
	struct setting *s = find(name);
	return s ? s->value : NULL;
}

long config_int(const char *name)
{
	const char *v = config_get(name);
	return v ? strtol(v, NULL, 10) : 0;
}

bool config_bool(const char *name)
{
	const char *v = config_get(name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		     strcmp(v, "on") == 0);
}

static const char *check_one(const struct setting *s)
{
	const char *v = s->value;
	switch (s->kind) {
	case K_STR:
		return NULL;
	case K_DIR:
		return *v ? NULL : "must name a directory";
	case K_INT: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < s->min || n > s->max)
			return "must be a whole number in range";
		return NULL;
	}
	case K_BOOL: {
		static const char *const ok[] = { "0", "1", "true", "false", "yes", "no", "on", "off" };
		for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
			if (strcmp(v, ok[i]) == 0)
				return NULL;
		return "must be 0/1, true/false, yes/no or on/off";
	}
	case K_LISTEN: {
		const char *colon = strrchr(v, ':');
		if (!colon || colon == v)
			return "must be address:port";
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (*end || port < 0 || port > 65535 || end == colon + 1)
			return "port must be 0-65535";
		return NULL;
	}
	case K_DSN:
		if ((strncmp(v, "sqlite:", 7) == 0 && v[7]) || strncmp(v, "postgres://", 11) == 0 ||
		    strncmp(v, "postgresql://", 13) == 0)
			return NULL;
		return "must be sqlite:PATH or postgres://...";
	case K_LANG:
		return strcmp(v, "de") == 0 || strcmp(v, "en") == 0 ? NULL : "must be de or en";
	}
	return NULL;
}

int config_check(FILE *out)
{
	int problems = 0;
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *msg = check_one(&table[i]);
		if (msg) {
			fprintf(out, "%s = %s: %s\n", table[i].name, table[i].value, msg);
			problems++;
		}
	}
	return problems;
}

void config_show(FILE *out)
{
	static const char *const src[] = { "default", "file", "environment", "flag" };
	for (size_t i = 0; i < NSETTINGS; i++)
		fprintf(out, "%-16s = %-36s # %s (%s)\n", table[i].name, table[i].value,
			table[i].help, src[table[i].src]);
}
