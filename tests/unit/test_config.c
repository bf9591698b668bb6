/* The configuration table: defaults < file < environment < flags, file
 * parsing and validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"

static const char *const env_names[] = {
	"UNBOX_LISTEN", "UNBOX_DB", "UNBOX_THREADS", "UNBOX_DEMO", "UNBOX_BASE_URL",
	"UNBOX_TEMPLATES", "UNBOX_THEME", "UNBOX_STATIC", "UNBOX_ASSETS", "UNBOX_PO",
	"UNBOX_MIGRATIONS", "UNBOX_DATA", "UNBOX_LANG", "UNBOX_MAX_CONN_PER_IP",
	"UNBOX_IDLE_TIMEOUT", "UNBOX_ACCESS_LOG", "UNBOX_SECURE_COOKIES",
};

static char conf_path[64];

static int setup(void **state)
{
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
	config_reset();
	conf_path[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	if (conf_path[0])
		unlink(conf_path);
	return setup(state);
}

static const char *write_conf(const char *text)
{
	snprintf(conf_path, sizeof conf_path, "/tmp/unbox-conf-XXXXXX");
	int fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return conf_path;
}

/* Runs config_check and returns its output (caller frees). */
static char *check_output(int *problems)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	*problems = config_check(f);
	fclose(f);
	return text;
}

static void test_defaults(void **state)
{
	assert_string_equal(config_get("listen"), "127.0.0.1:8080");
	assert_string_equal(config_get("db"), "sqlite:var/unbox.db");
	assert_string_equal(config_get("lang"), "de");
	assert_string_equal(config_get("theme"), "");
	assert_int_equal(config_int("threads"), 0);
	assert_int_equal(config_int("max_conn_per_ip"), 64);
	assert_int_equal(config_int("idle_timeout"), 30);
	assert_false(config_bool("demo"));
	assert_true(config_bool("access_log"));
	assert_false(config_bool("secure_cookies"));
	assert_null(config_get("no_such_setting"));
	assert_int_equal(config_int("no_such_setting"), 0);
	assert_false(config_bool("no_such_setting"));
	int problems;
	char *out = check_output(&problems);
	assert_int_equal(problems, 0);
	assert_string_equal(out, "");
	free(out);
}

static void test_set_unknown(void **state)
{
	assert_int_equal(config_set("colour", "red", CONFIG_FLAG), -1);
	assert_null(config_get("colour"));
}

static void test_layers(void **state)
{
	/* a higher layer wins, a lower one never overrides it */
	assert_int_equal(config_set("threads", "8", CONFIG_FLAG), 0);
	assert_int_equal(config_set("threads", "2", CONFIG_FILE), 0);
	assert_int_equal(config_set("threads", "3", CONFIG_ENV), 0);
	assert_int_equal(config_int("threads"), 8);

	assert_int_equal(config_set("lang", "en", CONFIG_FILE), 0);
	assert_string_equal(config_get("lang"), "en");
	assert_int_equal(config_set("lang", "de", CONFIG_ENV), 0);
	assert_string_equal(config_get("lang"), "de");
	assert_int_equal(config_set("lang", "en", CONFIG_FILE), 0);
	assert_string_equal(config_get("lang"), "de");
	assert_int_equal(config_set("lang", "en", CONFIG_DEFAULT), 0);
	assert_string_equal(config_get("lang"), "de");

	/* the same layer may change its own value */
	assert_int_equal(config_set("idle_timeout", "10", CONFIG_FILE), 0);
	assert_int_equal(config_set("idle_timeout", "20", CONFIG_FILE), 0);
	assert_int_equal(config_int("idle_timeout"), 20);

	config_reset();
	assert_int_equal(config_int("threads"), 0);
	assert_string_equal(config_get("lang"), "de");
	assert_int_equal(config_set("threads", "5", CONFIG_FILE), 0);
	assert_int_equal(config_int("threads"), 5);   /* reset forgot the flag */
}

static void test_file_env_flag_layering(void **state)
{
	const char *path = write_conf(
		"# un:box test configuration\n"
		"\n"
		"threads = 2\n"
		"   lang=en   \n"
		"demo = yes\n"
		"base_url = https://example.org/?a=b\n"
		"theme = my theme  \n"
		"\t# indented comment\n");
	char err[256] = "";
	assert_int_equal(config_load_file(path, err, sizeof err), 0);
	assert_int_equal(config_int("threads"), 2);
	assert_string_equal(config_get("lang"), "en");
	assert_true(config_bool("demo"));
	assert_string_equal(config_get("base_url"), "https://example.org/?a=b");
	assert_string_equal(config_get("theme"), "my theme");
	assert_string_equal(config_get("listen"), "127.0.0.1:8080");

	setenv("UNBOX_THREADS", "6", 1);
	setenv("UNBOX_MAX_CONN_PER_IP", "7", 1);
	setenv("UNBOX_BASE_URL", "https://env.example", 1);
	config_load_env();
	assert_int_equal(config_int("threads"), 6);
	assert_int_equal(config_int("max_conn_per_ip"), 7);
	assert_string_equal(config_get("base_url"), "https://env.example");
	assert_string_equal(config_get("lang"), "en");     /* untouched by the environment */

	assert_int_equal(config_set("threads", "9", CONFIG_FLAG), 0);
	assert_int_equal(config_int("threads"), 9);
	/* loading the file or the environment again changes nothing any more */
	assert_int_equal(config_load_file(path, err, sizeof err), 0);
	config_load_env();
	assert_int_equal(config_int("threads"), 9);
	assert_string_equal(config_get("base_url"), "https://env.example");
}

static void test_show_names_layers(void **state)
{
	config_set("threads", "9", CONFIG_FLAG);
	setenv("UNBOX_LANG", "en", 1);
	config_load_env();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	config_show(f);
	fclose(f);
	assert_non_null(strstr(text,
		"threads          = 9                                    # threads that run the handlers (0: one per processor with SQLite, two with PostgreSQL) (flag)\n"));
	assert_non_null(strstr(text,
		"lang             = en                                   # default language (de or en) (environment)\n"));
	assert_non_null(strstr(text,
		"listen           = 127.0.0.1:8080                       # address:port the web server listens on (default)\n"));
	free(text);
}

static void test_file_unknown_setting(void **state)
{
	const char *path = write_conf("threads = 3\n# fine\ncolour = red\nlang = en\n");
	char err[256] = "";
	assert_int_equal(config_load_file(path, err, sizeof err), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:3: unknown setting 'colour'", path);
	assert_string_equal(err, want);
	assert_int_equal(config_int("threads"), 3);      /* lines before the error were read */
	assert_string_equal(config_get("lang"), "de");   /* lines after it were not */
}

static void test_file_missing_equals(void **state)
{
	const char *path = write_conf("threads = 3\nthis line is wrong\n");
	char err[256] = "";
	assert_int_equal(config_load_file(path, err, sizeof err), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:2: expected name = value", path);
	assert_string_equal(err, want);
}

static void test_file_missing(void **state)
{
	char err[256] = "";
	assert_int_equal(config_load_file("/nonexistent/unbox.conf", err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/unbox.conf: No such file or directory");
}

static void test_bool_spellings(void **state)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	for (size_t i = 0; i < 4; i++) {
		config_set("demo", yes[i], CONFIG_FILE);
		assert_true(config_bool("demo"));
		config_set("demo", no[i], CONFIG_FILE);
		assert_false(config_bool("demo"));
	}
	int problems;
	char *out = check_output(&problems);
	assert_int_equal(problems, 0);
	free(out);
}

struct bad_case {
	const char *name, *value, *line;
};

static void test_check_rejects_bad_values(void **state)
{
	static const struct bad_case cases[] = {
		{ "threads", "-1", "threads = -1: must be a whole number in range\n" },
		{ "threads", "257", "threads = 257: must be a whole number in range\n" },
		{ "threads", "abc", "threads = abc: must be a whole number in range\n" },
		{ "threads", "4x", "threads = 4x: must be a whole number in range\n" },
		{ "threads", "", "threads = : must be a whole number in range\n" },
		{ "threads", "99999999999999999999", "threads = 99999999999999999999: must be a whole number in range\n" },
		{ "idle_timeout", "3601", "idle_timeout = 3601: must be a whole number in range\n" },
		{ "demo", "maybe", "demo = maybe: must be 0/1, true/false, yes/no or on/off\n" },
		{ "access_log", "TRUE", "access_log = TRUE: must be 0/1, true/false, yes/no or on/off\n" },
		{ "listen", "8080", "listen = 8080: must be address:port\n" },
		{ "listen", ":8080", "listen = :8080: must be address:port\n" },
		{ "listen", "localhost:", "listen = localhost:: port must be 0-65535\n" },
		{ "listen", "localhost:65536", "listen = localhost:65536: port must be 0-65535\n" },
		{ "listen", "localhost:-1", "listen = localhost:-1: port must be 0-65535\n" },
		{ "listen", "localhost:80a", "listen = localhost:80a: port must be 0-65535\n" },
		{ "db", "mysql://localhost/unbox", "db = mysql://localhost/unbox: must be sqlite:PATH or postgres://...\n" },
		{ "db", "sqlite:", "db = sqlite:: must be sqlite:PATH or postgres://...\n" },
		{ "lang", "fr", "lang = fr: must be de or en\n" },
		{ "lang", "DE", "lang = DE: must be de or en\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config_reset();
		assert_int_equal(config_set(cases[i].name, cases[i].value, CONFIG_FLAG), 0);
		int problems;
		char *out = check_output(&problems);
		assert_int_equal(problems, 1);
		assert_string_equal(out, cases[i].line);
		free(out);
	}
}

static void test_check_accepts_good_values(void **state)
{
	config_set("listen", "[::1]:0", CONFIG_FLAG);
	config_set("db", "sqlite::memory:", CONFIG_FLAG);
	config_set("threads", "256", CONFIG_FLAG);
	config_set("idle_timeout", "1", CONFIG_FLAG);
	config_set("lang", "en", CONFIG_FLAG);
	config_set("demo", "on", CONFIG_FLAG);
	int problems;
	char *out = check_output(&problems);
	assert_int_equal(problems, 0);
	assert_string_equal(out, "");
	free(out);
}

static void test_check_accepts_both_backends(void **state)
{
	static const char *const ok[] = { "sqlite:var/unbox.db", "postgres://unbox@db.example/unbox",
					  "postgresql://unbox@127.0.0.1:5432/unbox" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		config_set("db", ok[i], CONFIG_FLAG);
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		int problems = config_check(f);
		fclose(f);
		assert_int_equal(problems, 0);
		assert_string_equal(out, "");
		free(out);
	}
}

static void test_check_counts_every_problem(void **state)
{
	config_set("threads", "-1", CONFIG_FLAG);
	config_set("lang", "fr", CONFIG_ENV);
	config_set("db", "mysql:x", CONFIG_FILE);
	int problems;
	char *out = check_output(&problems);
	assert_int_equal(problems, 3);
	assert_string_equal(out, "db = mysql:x: must be sqlite:PATH or postgres://...\n"
				 "threads = -1: must be a whole number in range\n"
				 "lang = fr: must be de or en\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_env_flag_layering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_names_layers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_unknown_setting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_missing_equals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_spellings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_rejects_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_accepts_good_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_counts_every_problem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_accepts_both_backends, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
