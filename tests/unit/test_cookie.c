/* Cookie header parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cookie.h"

static int setup(void **state)
{
	*state = arena_new(512);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void test_simple(void **state)
{
	struct arena *a = *state;
	const char *h = "sid=abc123; lang=en; csrf=Zx-9_";
	assert_string_equal(cookie_get(a, h, "sid"), "abc123");
	assert_string_equal(cookie_get(a, h, "lang"), "en");
	assert_string_equal(cookie_get(a, h, "csrf"), "Zx-9_");
	assert_null(cookie_get(a, h, "theme"));
	assert_string_equal(cookie_get(a, "only=1", "only"), "1");
}

static void test_absent_inputs(void **state)
{
	struct arena *a = *state;
	assert_null(cookie_get(a, NULL, "sid"));
	assert_null(cookie_get(a, "sid=1", NULL));
	assert_null(cookie_get(a, "", "sid"));
	assert_null(cookie_get(a, ";;; ", "sid"));
}

static void test_lenient_spacing(void **state)
{
	struct arena *a = *state;
	const char *h = "  sid = abc ;lang=en;\ttheme\t=\tdark\t;;";
	assert_string_equal(cookie_get(a, h, "sid"), "abc");
	assert_string_equal(cookie_get(a, h, "lang"), "en");
	assert_string_equal(cookie_get(a, h, "theme"), "dark");
}

static void test_names_match_exactly(void **state)
{
	struct arena *a = *state;
	assert_string_equal(cookie_get(a, "xsid=1; sid2=2; sid=3", "sid"), "3");
	assert_null(cookie_get(a, "xsid=1; sid2=2", "sid"));
	assert_null(cookie_get(a, "SID=1", "sid"));      /* case-sensitive */
	assert_null(cookie_get(a, "sid", "sid"));        /* a piece without '=' */
	assert_string_equal(cookie_get(a, "garbage; sid=ok", "sid"), "ok");
}

static void test_first_occurrence(void **state)
{
	struct arena *a = *state;
	assert_string_equal(cookie_get(a, "sid=first; sid=second", "sid"), "first");
}

static void test_quotes_and_empty(void **state)
{
	struct arena *a = *state;
	assert_string_equal(cookie_get(a, "sid=\"quoted\"; x=1", "sid"), "quoted");
	assert_string_equal(cookie_get(a, "sid=\"\"", "sid"), "");
	assert_string_equal(cookie_get(a, "sid=; x=1", "sid"), "");
	assert_string_equal(cookie_get(a, "sid=a=b", "sid"), "a=b");
	assert_null(cookie_get(a, "sid=\"", "sid"));     /* a lone quote */
	assert_null(cookie_get(a, "sid=\"abc", "sid"));
}

static void test_malformed_values(void **state)
{
	struct arena *a = *state;
	assert_null(cookie_get(a, "sid=a b", "sid"));
	assert_null(cookie_get(a, "sid=a\"b", "sid"));
	assert_null(cookie_get(a, "sid=a,b", "sid"));
	assert_null(cookie_get(a, "sid=a\\b", "sid"));
	assert_null(cookie_get(a, "sid=a\x01" "b", "sid"));
	assert_null(cookie_get(a, "sid=a\x7F", "sid"));
	assert_null(cookie_get(a, "sid=\"a b\"", "sid"));
	/* a malformed neighbour does not hurt */
	assert_string_equal(cookie_get(a, "other=a b; sid=fine", "sid"), "fine");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lenient_spacing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_match_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_occurrence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quotes_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_values, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
