/* Date formatting and parsing at the edge; the clocks themselves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/clock.h"

static void test_format_date(void **state)
{
	char out[32];
	clock_format_date(1795678149, "de", out, sizeof out);
	assert_string_equal(out, "26.11.2026");
	clock_format_date(1795678149, "en", out, sizeof out);
	assert_string_equal(out, "26 Nov 2026");
	clock_format_date(0, "de", out, sizeof out);
	assert_string_equal(out, "01.01.1970");
	clock_format_date(0, "en", out, sizeof out);
	assert_string_equal(out, "1 Jan 1970");
	clock_format_date(1767571200, NULL, out, sizeof out);   /* no language: German */
	assert_string_equal(out, "05.01.2026");
	clock_format_date(1767571200, "fr", out, sizeof out);
	assert_string_equal(out, "05.01.2026");
	char tiny[6];
	clock_format_date(1795678149, "de", tiny, sizeof tiny);
	assert_string_equal(tiny, "26.11");
}

static void test_format_iso(void **state)
{
	char out[32];
	clock_format_iso(1795678149, out, sizeof out);
	assert_string_equal(out, "2026-11-26T07:29:09Z");
	clock_format_iso(0, out, sizeof out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
}

static void test_parse_date(void **state)
{
	assert_int_equal(clock_parse_date("1970-01-01"), 0);
	assert_int_equal(clock_parse_date("2024-02-29"), 1709164800);
	assert_int_equal(clock_parse_date("2026-01-05"), 1767571200);
	assert_int_equal(clock_parse_date("9999-12-31"), 253402214400);
}

static void test_parse_date_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2024", "2024-02", "2024-02-3", "2024-02-300", "2024-02-29x",
		"2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10",
		"2024-01-00", "1969-12-31", "24-02-2024", "2024/02/29", "abcd-ef-gh",
		" 2024-2-29", "2024-+2-29", "2024-02-+9", "2024- 2-29", "+024-02-29",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (clock_parse_date(bad[i]) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(clock_parse_date(NULL), -1);
}

static void test_parse_iso(void **state)
{
	static const int64_t times[] = { 0, 59, 951782400, 1709164800 + 86399, 1795678149, 253402300799 };
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		char s[32];
		clock_format_iso(times[i], s, sizeof s);
		if (clock_parse_iso(s) != times[i])
			fail_msg("\"%s\" gave %lld, not %lld", s, (long long)clock_parse_iso(s),
				 (long long)times[i]);
	}
	assert_int_equal(clock_parse_iso("2026-11-26T07:29:09Z"), 1795678149);
}

static void test_parse_iso_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026-11-26", "2026-11-26T07:29:09", "2026-11-26T07:29:09ZZ", "2026-11-26 07:29:09Z",
		"2026-11-26T07:29:9Z", " 2026-11-26T07:29:09Z", "2026-11-26T7:29:09Z ", "2026-+1-26T07:29:09Z",
		"2026-11-26T-7:29:09Z", "2026-11-26T07:29:+9Z", "1969-12-31T23:59:59Z", "2026-13-26T07:29:09Z",
		"2026-11-00T07:29:09Z", "2026-11-26T24:00:00Z", "2026-11-26T07:60:09Z", "2026-11-26T07:29:61Z",
		"2026/11/26T07:29:09Z", "2026-11-26T07.29.09Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (clock_parse_iso(bad[i]) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(clock_parse_iso(NULL), -1);
}

static void test_now_and_monotonic(void **state)
{
	int64_t now = clock_now();
	assert_true(now > 1700000000);          /* after November 2023 */
	int64_t a = clock_mono_us(), b = clock_mono_us();
	assert_true(b >= a);
}

static void test_roundtrip(void **state)
{
	char out[32];
	int64_t t = clock_parse_date("2025-07-14");
	assert_int_not_equal(t, -1);
	clock_format_iso(t, out, sizeof out);
	assert_string_equal(out, "2025-07-14T00:00:00Z");
	clock_format_date(t, "en", out, sizeof out);
	assert_string_equal(out, "14 Jul 2025");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_date_rejects),
		cmocka_unit_test(test_parse_iso),
		cmocka_unit_test(test_parse_iso_rejects),
		cmocka_unit_test(test_now_and_monotonic),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
