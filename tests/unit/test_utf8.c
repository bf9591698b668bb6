/* Strict UTF-8 validation, code point counting, typed-text checks, trimming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"

#define VALID(s) assert_true(utf8_valid(s, sizeof(s) - 1))
#define INVALID(s) assert_false(utf8_valid(s, sizeof(s) - 1))

static void test_valid_sequences(void **state)
{
	VALID("");
	VALID("plain ASCII \t\r\n~");
	VALID("\x7F");
	VALID("\xC2\x80");              /* U+0080, smallest two-byte */
	VALID("\xC3\xA4");              /* ä */
	VALID("\xDF\xBF");              /* U+07FF */
	VALID("\xE0\xA0\x80");          /* U+0800, smallest three-byte */
	VALID("\xE2\x82\xAC");          /* € */
	VALID("\xED\x9F\xBF");          /* U+D7FF, just below the surrogates */
	VALID("\xEE\x80\x80");          /* U+E000, just above them */
	VALID("\xEF\xBF\xBF");          /* U+FFFF */
	VALID("\xF0\x90\x80\x80");      /* U+10000, smallest four-byte */
	VALID("\xF0\x9F\x98\x80");      /* 😀 */
	VALID("\xF4\x8F\xBF\xBF");      /* U+10FFFF, the last code point */
	VALID("K\xC3\xB6ln-M\xC3\xBClheim \xE2\x82\xAC \xF0\x9F\x98\x80");
	assert_true(utf8_valid("a\0b", 3));   /* NUL is a valid code point */
}

static void test_overlongs(void **state)
{
	INVALID("\xC0\x80");            /* NUL as two bytes */
	INVALID("\xC0\xAF");            /* '/' as two bytes */
	INVALID("\xC1\xBF");
	INVALID("\xE0\x80\xAF");        /* '/' as three bytes */
	INVALID("\xE0\x9F\xBF");        /* U+07FF as three bytes */
	INVALID("\xF0\x80\x80\xAF");    /* '/' as four bytes */
	INVALID("\xF0\x8F\xBF\xBF");    /* U+FFFF as four bytes */
}

static void test_surrogates(void **state)
{
	INVALID("\xED\xA0\x80");        /* U+D800 */
	INVALID("\xED\xAD\xBF");        /* U+DB7F */
	INVALID("\xED\xB0\x80");        /* U+DC00 */
	INVALID("\xED\xBF\xBF");        /* U+DFFF */
	INVALID("\xED\xA0\xBD\xED\xB8\x80");   /* a CESU-8 pair */
}

static void test_beyond_unicode(void **state)
{
	INVALID("\xF4\x90\x80\x80");    /* U+110000 */
	INVALID("\xF5\x80\x80\x80");
	INVALID("\xF7\xBF\xBF\xBF");
	INVALID("\xF8\x88\x80\x80\x80"); /* five-byte form */
	INVALID("\xFC\x84\x80\x80\x80\x80");
	INVALID("\xFE");
	INVALID("\xFF");
}

static void test_truncated_and_stray(void **state)
{
	INVALID("\xC3");
	INVALID("\xE2\x82");
	INVALID("\xF0\x9F\x98");
	INVALID("abc\xE2\x82");
	/* the length given is what counts, not the NUL */
	assert_false(utf8_valid("\xC3\xA4", 1));
	assert_false(utf8_valid("\xF0\x9F\x98\x80", 3));
	assert_true(utf8_valid("\xC3\xA4xyz", 2));
	INVALID("\x80");                /* lone continuation bytes */
	INVALID("a\xBF" "b");
	INVALID("\xC3\x28");            /* lead byte followed by ASCII */
	INVALID("\xE2\x28\xA1");
	INVALID("\xE2\x82\x28");
	INVALID("\xF0\x9F\x28\x80");
	INVALID("\xC3\xC3\xA4");
}

static void test_utf8_chars(void **state)
{
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("\xC3\xA4\xC3\xB6\xC3\xBC"), 3);
	assert_int_equal(utf8_chars("\xE2\x82\xAC"), 1);
	assert_int_equal(utf8_chars("\xF0\x9F\x98\x80" "a"), 2);
	assert_int_equal(utf8_chars("Stra\xC3\x9F" "e"), 6);
}

static void test_text_valid(void **state)
{
	assert_true(text_valid("", false));
	assert_true(text_valid("Hallo Welt, gr\xC3\xBC\xC3\x9F" "e!", false));
	assert_false(text_valid("line\nbreak", false));
	assert_true(text_valid("line\nbreak", true));
	assert_true(text_valid("windows\r\nline", true));
	assert_false(text_valid("tab\there", false));
	assert_true(text_valid("tab\there", true));
	assert_false(text_valid("bell\a", true));
	assert_false(text_valid("\x01", true));
	assert_false(text_valid("esc\x1B[31m", true));
	assert_false(text_valid("del\x7F", true));
	assert_false(text_valid("\x1F", false));
	assert_false(text_valid("bad \xC3", true));
	assert_false(text_valid("\xED\xA0\x80", true));
	assert_true(text_valid("\xC2\xA0" "nbsp", false));   /* U+00A0 is not a control */
}

static void test_text_valid_c1_controls(void **state)
{
	/* U+0080..U+009F are control characters too (NEL, CSI ...) */
	assert_false(text_valid("a\xC2\x80" "b", true));
	assert_false(text_valid("next\xC2\x85line", true));
	assert_false(text_valid("\xC2\x9B" "31m", false));
	assert_false(text_valid("\xC2\x9F", false));
}

static void test_text_trim(void **state)
{
	char out[32];
	assert_int_equal(text_trim("  hello \t\r\n", out, sizeof out), 5);
	assert_string_equal(out, "hello");
	assert_int_equal(text_trim("a  b", out, sizeof out), 4);
	assert_string_equal(out, "a  b");
	assert_int_equal(text_trim(" \t\n\r ", out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_trim("", out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_trim("\n\xC3\xA4\n", out, sizeof out), 2);
	assert_string_equal(out, "\xC3\xA4");
	/* vertical tab and form feed are not trimmed */
	assert_int_equal(text_trim("\vx\f", out, sizeof out), 3);
	assert_string_equal(out, "\vx\f");
}

static void test_text_trim_capacity(void **state)
{
	char out[4];
	assert_int_equal(text_trim("  abcdef  ", out, sizeof out), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(text_trim("abc", out, sizeof out), 3);
	assert_string_equal(out, "abc");
	char one[1] = { 'z' };
	assert_int_equal(text_trim("abc", one, 1), 0);
	assert_int_equal(one[0], '\0');
	char untouched[2] = { 'q', 'q' };
	assert_int_equal(text_trim("abc", untouched, 0), 0);
	assert_int_equal(untouched[0], 'q');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_sequences),
		cmocka_unit_test(test_overlongs),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_beyond_unicode),
		cmocka_unit_test(test_truncated_and_stray),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_text_valid),
		cmocka_unit_test(test_text_valid_c1_controls),
		cmocka_unit_test(test_text_trim),
		cmocka_unit_test(test_text_trim_capacity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
