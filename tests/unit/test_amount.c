/* Amounts as people type them: grouping, decimal parts, currency marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/amount.h"

static int64_t parsed(const char *s)
{
	int64_t v = -7;
	assert_int_equal(amount_parse_euros(s, &v), AMOUNT_OK);
	return v;
}

static void test_whole_euros(void **state)
{
	(void)state;
	assert_int_equal(parsed("50000"), 50000);
	assert_int_equal(parsed("50.000"), 50000);
	assert_int_equal(parsed("50,000"), 50000);
	assert_int_equal(parsed("50 000"), 50000);
	assert_int_equal(parsed("50'000"), 50000);
	assert_int_equal(parsed("50\xC2\xA0" "000"), 50000);          /* no-break space */
	assert_int_equal(parsed("1.250.000"), 1250000);
	assert_int_equal(parsed("7"), 7);
	assert_int_equal(parsed("  12.500  "), 12500);
}

static void test_decimals_and_currency(void **state)
{
	(void)state;
	assert_int_equal(parsed("50.000,00 \xE2\x82\xAC"), 50000);    /* 50.000,00 € */
	assert_int_equal(parsed("\xE2\x82\xAC" "50,000.00"), 50000);  /* €50,000.00 */
	assert_int_equal(parsed("50000,0"), 50000);
	assert_int_equal(parsed("50.000 EUR"), 50000);
	assert_int_equal(parsed("eur 50.000"), 50000);
	assert_int_equal(parsed("50.000,-"), 50000);
	assert_int_equal(parsed("50.000,-- \xE2\x82\xAC"), 50000);
	assert_int_equal(parsed("50000\xE2\x82\xAC"), 50000);
	int64_t v = 0;
	assert_int_equal(amount_parse_euros("50.000,50 \xE2\x82\xAC", &v), AMOUNT_CENTS);
	assert_int_equal(amount_parse_euros("1.5", &v), AMOUNT_CENTS);
	assert_int_equal(amount_parse_euros("0,99", &v), AMOUNT_CENTS);
}

static void test_not_amounts(void **state)
{
	(void)state;
	int64_t v = 42;
	const char *bad[] = { "", " ", "\xE2\x82\xAC", "abc", "5.5.5", "50.00.000", "5,0000", "50.000.00",
			      "1,000.000,00", "50 Euro", "-5", "5-", "50.000,", ",50", "1.2345", "50 000.000",
			      "1234567890123456", "50\xC3\xA4", "12..000", NULL };
	for (size_t i = 0; bad[i]; i++) {
		int rc = amount_parse_euros(bad[i], &v);
		if (rc != AMOUNT_INVALID)
			fail_msg("\"%s\" read as %lld (rc %d)", bad[i], (long long)v, rc);
	}
	assert_int_equal(amount_parse_euros(NULL, &v), AMOUNT_INVALID);
	assert_int_equal(v, 42);   /* untouched */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_euros),
		cmocka_unit_test(test_decimals_and_currency),
		cmocka_unit_test(test_not_amounts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
