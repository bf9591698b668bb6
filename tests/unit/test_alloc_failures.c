/* Out of memory: malloc, calloc, realloc and strdup are wrapped at link time
 * (ld --wrap, see meson.build), so a test can make the n-th allocation from
 * now on fail. Each case runs its code with the 1st, 2nd, 3rd … allocation
 * failing until it runs through without one: every result must be checked,
 * the call must fail cleanly (or succeed) and leave nothing half made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "db/db_pool.h"
#include "http/static.h"
#include "web/i18n.h"
#include "web/tmpl.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static long countdown;   /* 0: nothing fails; n: the n-th allocation from now fails */
static bool failed;      /* the allocation chosen has failed */

static bool fails(void)
{
	if (countdown > 0 && --countdown == 0) {
		failed = true;
		return true;
	}
	return false;
}

/* No more failures (before a case checks what it got). */
static void disarm(void)
{
	countdown = 0;
}

void *__wrap_malloc(size_t n) { return fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fails() ? NULL : __real_strdup(s); }

/* Runs step(n) with the n-th allocation failing, for n = 1, 2, … until a
 * run needed no failure; returns how many allocations a full run makes. */
static long sweep(void (*step)(long n, void *ctx), void *ctx)
{
	for (long n = 1; n < 100000; n++) {
		failed = false;
		countdown = n;
		step(n, ctx);
		disarm();
		if (!failed)
			return n - 1;
	}
	fail_msg("more than 100000 allocations");
	return -1;
}

/* ---- translation catalogues (web/i18n.c) ---- */

static char po_text[8192];

static void po_step(long n, void *ctx)
{
	(void)ctx;
	char err[200];
	int rc = i18n_parse_po("de", po_text, err, sizeof err);
	disarm();
	bool ok = !failed;
	if (ok) {
		assert_int_equal(rc, 40);
		assert_string_equal(i18n_get("de", "Text 17"), "Übersetzung 17");
	} else {
		/* a catalogue that could not be read is empty, not half filled */
		assert_int_equal(rc, -1);
		assert_string_equal(i18n_get("de", "Text 17"), "Text 17");
		assert_string_equal(i18n_get("de", "Text 3"), "Text 3");
	}
	(void)n;
}

static void test_catalogue(void **state)
{
	(void)state;
	size_t len = 0;
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(po_text + len, sizeof po_text - len, "msgid \"Text %d\"\nmsgstr \"Übersetzung %d\"\n\n",
					i, i);
	long total = sweep(po_step, NULL);
	assert_true(total >= 80);   /* two copies per entry at least: every one was made to fail */
	i18n_free();
}

/* ---- the pool of database connections (db/db_pool.c) ---- */

static void pool_step(long n, void *ctx)
{
	(void)n;
	const char *dsn = ctx;
	struct db_pool *p = db_pool_new(dsn, 2);
	disarm();
	if (p) {
		assert_non_null(db_pool_dsn(p));
		assert_string_equal(db_pool_dsn(p), dsn);
		db_pool_free(p);
	}
}

static void test_pool(void **state)
{
	(void)state;
	char dsn[] = "sqlite:/tmp/unbox-alloc-test.db";
	assert_true(sweep(pool_step, dsn) >= 2);
}

/* ---- static files (http/static.c) ---- */

struct static_dirs {
	char own[64], kern[64];
};

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void static_step(long n, void *ctx)
{
	(void)n;
	struct static_dirs *d = ctx;
	char err[256];
	int rc = static_load(d->own, d->kern, err, sizeof err);
	disarm();
	bool ok = !failed;
	if (ok) {
		assert_int_equal(rc, 5);
		assert_non_null(static_find("/static/kern/kern.min.css"));
	} else {
		assert_int_equal(rc, -1);
	}
	/* what was loaded before the failure is whole: looking it up is safe */
	const struct static_file *f = static_find("/static/c.css");
	if (f) {
		assert_int_equal(f->len, 4);
		assert_memory_equal(f->data, "c {}", 4);
	}
	assert_null(static_find("/static/nope.css"));
	static_free();
}

static void test_static_files(void **state)
{
	(void)state;
	struct static_dirs d;
	snprintf(d.own, sizeof d.own, "/tmp/unbox-alloc-own-%d", (int)getpid());
	snprintf(d.kern, sizeof d.kern, "/tmp/unbox-alloc-kern-%d", (int)getpid());
	assert_int_equal(mkdir(d.own, 0700), 0);
	assert_int_equal(mkdir(d.kern, 0700), 0);
	put(d.own, "a.css", "a {}");
	put(d.own, "b.css", "b {}");
	put(d.own, "c.css", "c {}");
	put(d.kern, "kern.min.css", "k {}");
	put(d.kern, "x.svg", "<svg/>");
	assert_true(sweep(static_step, &d) >= 5);
	const char *names[] = { "a.css", "b.css", "c.css" };
	char path[256];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", d.own, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/kern.min.css", d.kern);
	unlink(path);
	snprintf(path, sizeof path, "%s/x.svg", d.kern);
	unlink(path);
	rmdir(d.own);
	rmdir(d.kern);
}

/* ---- templates (web/tmpl.c) ---- */

static void tmpl_step(long n, void *ctx)
{
	(void)n;
	(void)ctx;
	static const char src[] = "<p>{{#items}}{{name}}, {{/items}}{{^items}}{{_None}}{{/items}}</p>{{>other}}";
	char err[128];
	struct tmpl *t = tmpl_parse("page", src, sizeof src - 1, err, sizeof err);
	disarm();
	tmpl_free(t);
}

static void test_templates(void **state)
{
	(void)state;
	assert_true(sweep(tmpl_step, NULL) >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
