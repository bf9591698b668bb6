/* Growable buffers: appends, formatting, the size cap and detaching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static void test_appends(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(b.len, 0);
	assert_true(buf_puts(&b, "abc"));
	assert_true(buf_putc(&b, '-'));
	assert_true(buf_add(&b, "xyz123", 3));
	assert_true(buf_add(&b, "", 0));
	assert_true(buf_printf(&b, "%d/%s", 42, "ok"));
	assert_string_equal(b.data, "abc-xyz42/ok");
	assert_int_equal(b.len, 12);
	assert_false(b.overflow);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_binary_data(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_true(buf_add(&b, "a\0b", 3));
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b\0", 4);
	buf_free(&b);
}

static void test_growth(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 1000; i++)
		assert_true(buf_printf(&b, "%03d,", i));
	assert_int_equal(b.len, 4000);
	assert_true(b.cap > 4000);
	assert_memory_equal(b.data, "000,001,002,", 12);
	assert_string_equal(b.data + 3996, "999,");
	buf_free(&b);
}

static void test_cap_exact_fit(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	assert_true(buf_puts(&b, "0123456789"));   /* exactly the cap */
	assert_false(b.overflow);
	assert_string_equal(b.data, "0123456789");
	assert_false(buf_putc(&b, 'x'));
	assert_true(b.overflow);
	assert_string_equal(b.data, "0123456789");
	buf_free(&b);
}

static void test_overflow_is_sticky_until_clear(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_true(buf_puts(&b, "12345"));
	assert_false(buf_puts(&b, "6789"));        /* would make 9 > 8 */
	assert_true(b.overflow);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	assert_false(buf_putc(&b, '6'));           /* would fit, but the buffer overflowed */
	assert_false(buf_printf(&b, "%d", 1));
	assert_int_equal(b.len, 5);
	buf_clear(&b);
	assert_false(b.overflow);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_true(buf_puts(&b, "again"));
	assert_string_equal(b.data, "again");
	buf_free(&b);
}

static void test_printf_overflow(void **state)
{
	struct buf b;
	buf_init(&b, 6);
	assert_true(buf_printf(&b, "%s", "abc"));
	assert_false(buf_printf(&b, "%s", "defg"));
	assert_true(b.overflow);
	assert_string_equal(b.data, "abc");
	buf_free(&b);
}

static void test_huge_add_overflows(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	assert_true(buf_puts(&b, "x"));
	assert_false(buf_add(&b, "y", SIZE_MAX));   /* must not wrap around */
	assert_true(b.overflow);
	buf_free(&b);
}

static void test_clear_keeps_memory(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "some text");
	char *data = b.data;
	size_t cap = b.cap;
	buf_clear(&b);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_detach(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "detached");
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "detached");
	assert_int_equal(len, 8);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(p);
	/* the buffer is usable again after detaching */
	assert_true(buf_puts(&b, "next"));
	assert_string_equal(b.data, "next");
	buf_free(&b);
}

static void test_detach_empty(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	size_t len = 99;
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");   /* always NUL-terminated */
	free(p);
	char *q = buf_detach(&b, NULL);
	assert_non_null(q);
	assert_string_equal(q, "");
	free(q);
}

static void test_reserve(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	assert_true(buf_reserve(&b, 50));
	assert_non_null(b.data);
	assert_true(b.cap >= 51);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");       /* terminated even before the first append */
	char *data = b.data;
	assert_true(buf_puts(&b, "abc"));
	assert_ptr_equal(b.data, data);        /* no regrowth within the reservation */
	assert_true(buf_reserve(&b, 97));
	assert_false(buf_reserve(&b, 98));     /* past the cap */
	assert_true(b.overflow);
	assert_string_equal(b.data, "abc");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_binary_data),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap_exact_fit),
		cmocka_unit_test(test_overflow_is_sticky_until_clear),
		cmocka_unit_test(test_printf_overflow),
		cmocka_unit_test(test_huge_add_overflows),
		cmocka_unit_test(test_clear_keeps_memory),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_detach_empty),
		cmocka_unit_test(test_reserve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
