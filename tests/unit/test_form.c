/* application/x-www-form-urlencoded parsing and the name/value list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/form.h"

static int setup(void **state)
{
	*state = arena_new(1024);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static int parse(struct arena *a, const char *s, size_t max, struct kvlist *l)
{
	return form_parse(a, s, strlen(s), max, l);
}

static void test_basic_pairs(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "title=Hello+world&n=42&city=K%C3%B6ln", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 3);
	assert_string_equal(l.items[0].name, "title");
	assert_string_equal(l.items[0].value, "Hello world");
	assert_string_equal(l.items[1].name, "n");
	assert_string_equal(l.items[1].value, "42");
	assert_string_equal(l.items[2].name, "city");
	assert_string_equal(l.items[2].value, "K\xC3\xB6ln");
	assert_string_equal(kv_get(&l, "city"), "K\xC3\xB6ln");
	assert_null(kv_get(&l, "missing"));
	assert_null(kv_get(&l, "Title"));          /* names are case-sensitive */
}

static void test_names_are_decoded_too(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "a+b=1&c%5Bd%5D=%2B%26%3D", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].name, "a b");
	assert_string_equal(l.items[1].name, "c[d]");
	assert_string_equal(l.items[1].value, "+&=");
}

static void test_empty_and_odd_pieces(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 0);
	assert_null(kv_get(&l, "a"));

	assert_int_equal(parse(*state, "&&a=1&&b=2&", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 2);
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_string_equal(kv_get(&l, "b"), "2");

	assert_int_equal(parse(*state, "flag&empty=&x=a=b", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 3);
	assert_string_equal(kv_get(&l, "flag"), "");
	assert_string_equal(kv_get(&l, "empty"), "");
	assert_string_equal(kv_get(&l, "x"), "a=b");  /* only the first '=' splits */
}

static void test_duplicates_first_wins(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "tag=a&tag=b&tag=c", FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 3);
	assert_string_equal(kv_get(&l, "tag"), "a");
	assert_string_equal(l.items[2].value, "c");
}

static void test_bad_escapes(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "a=%zz", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=1&b=%4", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=%", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "%G1=x", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a%=x", FORM_MAX_FIELDS, &l), -1);
}

static void test_invalid_utf8_rejected(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "a=%FF", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=%C3", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=%C0%AF", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=%ED%A0%80", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "%E2%82=1", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=\xC3\x28", FORM_MAX_FIELDS, &l), -1);
	/* raw valid UTF-8 (not percent-encoded) is fine */
	assert_int_equal(parse(*state, "a=\xE2\x82\xAC", FORM_MAX_FIELDS, &l), 0);
	assert_string_equal(kv_get(&l, "a"), "\xE2\x82\xAC");
}

static void test_nul_bytes_rejected(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "a=%00", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a=x%00y", FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(parse(*state, "a%00b=1", FORM_MAX_FIELDS, &l), -1);
	/* a raw NUL inside the given length */
	assert_int_equal(form_parse(*state, "a=x\0y", 5, FORM_MAX_FIELDS, &l), -1);
	assert_int_equal(form_parse(*state, "a\0=1", 4, FORM_MAX_FIELDS, &l), -1);
}

static void test_length_bounds_input(void **state)
{
	struct kvlist l;
	assert_int_equal(form_parse(*state, "a=1&b=2", 3, FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, 1);
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_null(kv_get(&l, "b"));
}

static void test_max_fields(void **state)
{
	struct kvlist l;
	assert_int_equal(parse(*state, "a=1&b=2&c=3", 3, &l), 0);
	assert_int_equal(l.count, 3);
	assert_int_equal(parse(*state, "a=1&b=2&c=3", 2, &l), -1);
	assert_int_equal(parse(*state, "a=1", 1, &l), 0);

	/* FORM_MAX_FIELDS pairs pass, one more fails */
	struct arena *a = *state;
	char *s = arena_alloc(a, 8 * (FORM_MAX_FIELDS + 1) + 1);
	size_t n = 0;
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		n += (size_t)sprintf(s + n, "%sf%d=1", i ? "&" : "", i);
	assert_int_equal(form_parse(a, s, n, FORM_MAX_FIELDS, &l), 0);
	assert_int_equal(l.count, FORM_MAX_FIELDS);
	assert_string_equal(l.items[FORM_MAX_FIELDS - 1].name, "f255");
	n += (size_t)sprintf(s + n, "&f%d=1", FORM_MAX_FIELDS);
	assert_int_equal(form_parse(a, s, n, FORM_MAX_FIELDS, &l), -1);
}


static void test_kv_add(void **state)
{
	struct kvlist l = { 0 };
	kv_add(*state, &l, "one", "1");
	assert_int_equal(l.count, 1);
	assert_string_equal(kv_get(&l, "one"), "1");
	kv_add(*state, &l, "two", "2");
	kv_add(*state, &l, "one", "uno");
	assert_int_equal(l.count, 3);
	assert_string_equal(kv_get(&l, "one"), "1");
	assert_string_equal(kv_get(&l, "two"), "2");
	assert_string_equal(l.items[2].value, "uno");

	/* appending to a parsed list keeps the parsed pairs */
	struct kvlist p;
	assert_int_equal(parse(*state, "x=9&y=8", FORM_MAX_FIELDS, &p), 0);
	kv_add(*state, &p, "z", "7");
	assert_int_equal(p.count, 3);
	assert_string_equal(kv_get(&p, "x"), "9");
	assert_string_equal(kv_get(&p, "y"), "8");
	assert_string_equal(kv_get(&p, "z"), "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_are_decoded_too, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_odd_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_first_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_bytes_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_length_bounds_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kv_add, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
