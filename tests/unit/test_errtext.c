/* errno texts: the same as strerror's, cut to the buffer when they are made up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/errtext.h"

static void test_same_as_strerror(void **state)
{
	char buf[ERRTEXT_MAX];
	assert_string_equal(errtext(ENOENT, buf, sizeof buf), "No such file or directory");
	assert_string_equal(errtext(EACCES, buf, sizeof buf), "Permission denied");
	for (int e = 0; e < 200; e++) {
		char want[ERRTEXT_MAX];
		snprintf(want, sizeof want, "%s", strerror(e));
		assert_string_equal(errtext(e, buf, sizeof buf), want);
	}
}

static void test_unknown_number(void **state)
{
	char buf[ERRTEXT_MAX];
	assert_string_equal(errtext(99999, buf, sizeof buf), "Unknown error 99999");
	assert_string_equal(errtext(-3, buf, sizeof buf), "Unknown error -3");
}

static void test_small_buffer_is_cut(void **state)
{
	char small[8];
	memset(small, 'x', sizeof small);
	const char *t = errtext(99999, small, sizeof small);
	assert_string_equal(t, "Unknown");   /* the first 7 bytes and the NUL */
	/* a text of the C library itself is not cut */
	assert_string_equal(errtext(ENOENT, small, sizeof small), "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_strerror),
		cmocka_unit_test(test_unknown_number),
		cmocka_unit_test(test_small_buffer_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
