/* HTML escaping and URL percent-encoding/decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/escape.h"

static char *esc(const char *s)
{
	struct buf b;
	buf_init(&b, 0);
	html_escape(&b, s, strlen(s));
	return buf_detach(&b, NULL);
}

static char *enc(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b, 0);
	url_encode(&b, s, n);
	return buf_detach(&b, NULL);
}

#define CHECK_ESC(in, want) do { char *got_ = esc(in); assert_string_equal(got_, want); free(got_); } while (0)
#define CHECK_ENC(in, want) do { char *got_ = enc(in, strlen(in)); assert_string_equal(got_, want); free(got_); } while (0)

static void test_html_escape_every_special(void **state)
{
	CHECK_ESC("&", "&amp;");
	CHECK_ESC("<", "&lt;");
	CHECK_ESC(">", "&gt;");
	CHECK_ESC("\"", "&quot;");
	CHECK_ESC("'", "&#39;");
	CHECK_ESC("`", "&#96;");
	CHECK_ESC("=", "&#61;");
	CHECK_ESC("<a href=\"x\" onclick='y'>`&`</a>",
		  "&lt;a href&#61;&quot;x&quot; onclick&#61;&#39;y&#39;&gt;&#96;&amp;&#96;&lt;/a&gt;");
}

static void test_html_escape_plain_text(void **state)
{
	CHECK_ESC("", "");
	CHECK_ESC("plain text 123", "plain text 123");
	CHECK_ESC("Straße über €", "Straße über €");
	CHECK_ESC("a&&b", "a&amp;&amp;b");
	CHECK_ESC("&amp;", "&amp;amp;");          /* no double-escape detection */
	CHECK_ESC("x<", "x&lt;");
	CHECK_ESC(">x", "&gt;x");
}

static void test_html_escape_length_bounded(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "[");
	html_escape(&b, "a<b>c", 3);               /* only "a<b" */
	buf_puts(&b, "]");
	assert_string_equal(b.data, "[a&lt;b]");
	html_escape(&b, "a\0<", 3);                /* NUL passes through */
	assert_int_equal(b.len, 8 + 1 + 1 + 4);
	assert_memory_equal(b.data + 8, "a\0&lt;", 6);
	buf_free(&b);
}

static void test_url_encode(void **state)
{
	CHECK_ENC("", "");
	CHECK_ENC("AZaz09-._~", "AZaz09-._~");
	CHECK_ENC("a b", "a%20b");
	CHECK_ENC("a+b&c=d/e?f#g%", "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25");
	CHECK_ENC("ä€", "%C3%A4%E2%82%AC");
	CHECK_ENC("\x7F\x01", "%7F%01");
	char *got = enc("a\0b", 3);
	assert_string_equal(got, "a%00b");
	free(got);
}

static void test_url_decode(void **state)
{
	char out[64];
	long n = url_decode(out, "a+b%20c", 7, 1);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "a b c", 5);
	n = url_decode(out, "a+b%20c", 7, 0);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "a+b c", 5);
	n = url_decode(out, "%c3%A4%2b", 9, 1);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\xC3\xA4+", 3);
	n = url_decode(out, "", 0, 1);
	assert_int_equal(n, 0);
	n = url_decode(out, "x%00y", 5, 1);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "x\0y", 3);
}

static void test_url_decode_bad_escapes(void **state)
{
	char out[64];
	assert_int_equal(url_decode(out, "%", 1, 1), -1);
	assert_int_equal(url_decode(out, "%4", 2, 1), -1);
	assert_int_equal(url_decode(out, "ab%4", 4, 1), -1);
	assert_int_equal(url_decode(out, "%zz", 3, 1), -1);
	assert_int_equal(url_decode(out, "%4g", 3, 1), -1);
	assert_int_equal(url_decode(out, "%g4", 3, 1), -1);
	assert_int_equal(url_decode(out, "%%41", 4, 1), -1);
	/* the length bounds the input: "%41" cut after two bytes is bad */
	assert_int_equal(url_decode(out, "%41", 2, 1), -1);
}

static void test_url_decode_in_place(void **state)
{
	char s[] = "caf%C3%A9+au+lait%21";
	long n = url_decode(s, s, strlen(s), 1);
	assert_int_equal(n, 14);
	s[n] = '\0';
	assert_string_equal(s, "café au lait!");
}

static void test_roundtrip(void **state)
{
	const char *samples[] = { "", "a b+c", "100% sicher?", "Grüße & Küsse <3", "~/.config" };
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char *e = enc(samples[i], strlen(samples[i]));
		char out[128];
		long n = url_decode(out, e, strlen(e), 1);
		assert_int_equal(n, (long)strlen(samples[i]));
		assert_memory_equal(out, samples[i], (size_t)n);
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape_every_special),
		cmocka_unit_test(test_html_escape_plain_text),
		cmocka_unit_test(test_html_escape_length_bounded),
		cmocka_unit_test(test_url_encode),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_url_decode_bad_escapes),
		cmocka_unit_test(test_url_decode_in_place),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
