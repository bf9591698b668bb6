/* Arena allocator: alignment, growth across chunks, big blocks, strings,
 * deferred cleanups and reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"

static void test_alignment_and_used(void **state)
{
	struct arena *a = arena_new(256);
	assert_int_equal(arena_used(a), 0);
	for (size_t n = 1; n <= 40; n++) {
		void *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	arena_alloc(a, 1);
	assert_int_equal(arena_used(a), 16);
	arena_alloc(a, 17);
	assert_int_equal(arena_used(a), 48);
	arena_alloc(a, 32);
	assert_int_equal(arena_used(a), 80);
	arena_free(a);
}

static void test_zero_size_alloc(void **state)
{
	struct arena *a = arena_new(0);    /* default chunk size */
	char *p = arena_alloc(a, 0);
	char *q = arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	assert_int_equal(arena_used(a), 32);
	arena_free(a);
}

static void test_zalloc_clears_reused_memory(void **state)
{
	struct arena *a = arena_new(128);
	unsigned char *p = arena_alloc(a, 64);
	memset(p, 0xAB, 64);
	arena_reset(a);
	unsigned char *z = arena_zalloc(a, 64);
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	arena_free(a);
}

static void test_many_small_allocations_stay_valid(void **state)
{
	/* a tiny chunk size forces many chunks; every block must keep its contents */
	struct arena *a = arena_new(64);
	unsigned char *blocks[200];
	for (size_t i = 0; i < 200; i++) {
		blocks[i] = arena_alloc(a, 24);
		memset(blocks[i], (int)(i & 0xFF), 24);
	}
	for (size_t i = 0; i < 200; i++)
		for (size_t k = 0; k < 24; k++)
			assert_int_equal(blocks[i][k], i & 0xFF);
	assert_int_equal(arena_used(a), 200 * 32);
	arena_free(a);
}

static void test_big_block_keeps_current_chunk_usable(void **state)
{
	struct arena *a = arena_new(256);
	char *small1 = arena_strdup(a, "before");
	char *big = arena_alloc(a, 10000);        /* larger than a chunk */
	memset(big, 'x', 10000);
	char *small2 = arena_strdup(a, "after");
	/* the small allocation after the big one still comes from the first chunk */
	assert_true(small2 > small1 && small2 < small1 + 256);
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_int_equal(big[0], 'x');
	assert_int_equal(big[9999], 'x');
	arena_reset(a);
	char *again = arena_alloc(a, 10000);
	memset(again, 'y', 10000);
	assert_int_equal(again[9999], 'y');
	arena_free(a);
}

static void test_strings(void **state)
{
	struct arena *a = arena_new(64);
	assert_string_equal(arena_strdup(a, "hello"), "hello");
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_strdup(a, ""), "");
	char *s = arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	assert_int_equal(s[3], '\0');
	/* strndup copies exactly n bytes, even across a NUL */
	char *z = arena_strndup(a, "ab\0cd", 5);
	assert_memory_equal(z, "ab\0cd", 6);
	assert_string_equal(arena_printf(a, "%s=%d;%05.1f", "n", -42, 3.14159), "n=-42;003.1");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	arena_free(a);
}

static void test_printf_longer_than_chunk(void **state)
{
	struct arena *a = arena_new(64);
	char want[1001];
	memset(want, 'q', 1000);
	want[1000] = '\0';
	char *s = arena_printf(a, "%s", want);
	assert_int_equal(strlen(s), 1000);
	assert_string_equal(s, want);
	char *t = arena_printf(a, "[%.*s]", 3, want);
	assert_string_equal(t, "[qqq]");
	arena_free(a);
}

static char order[16];
static size_t norder;

static void record(void *arg)
{
	order[norder++] = *(const char *)arg;
	order[norder] = '\0';
}

static void test_defer_runs_newest_first_once(void **state)
{
	static char a1 = '1', a2 = '2', a3 = '3';
	norder = 0;
	order[0] = '\0';
	struct arena *a = arena_new(128);
	arena_defer(a, record, &a1);
	arena_defer(a, record, &a2);
	arena_defer(a, record, &a3);
	assert_string_equal(order, "");
	arena_reset(a);
	assert_string_equal(order, "321");
	arena_reset(a);            /* nothing left to run */
	assert_string_equal(order, "321");
	arena_defer(a, record, &a1);
	arena_free(a);             /* free runs them as well */
	assert_string_equal(order, "3211");
}

static void free_it(void *p)
{
	free(p);
}

static void test_defer_frees_foreign_memory(void **state)
{
	/* a heap block handed to the arena is released with it (the leak
	 * checker would complain otherwise) */
	struct arena *a = arena_new(64);
	for (int i = 0; i < 50; i++) {
		char *p = malloc(100);
		assert_non_null(p);
		memset(p, i, 100);
		arena_defer(a, free_it, p);
	}
	arena_free(a);
}

static void test_free_null(void **state)
{
	arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_used),
		cmocka_unit_test(test_zero_size_alloc),
		cmocka_unit_test(test_zalloc_clears_reused_memory),
		cmocka_unit_test(test_many_small_allocations_stay_valid),
		cmocka_unit_test(test_big_block_keeps_current_chunk_usable),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_printf_longer_than_chunk),
		cmocka_unit_test(test_defer_runs_newest_first_once),
		cmocka_unit_test(test_defer_frees_foreign_memory),
		cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
