/* gettext catalogues: parsing, lookup with fallback, language choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "web/i18n.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static const char *const sample_po =
	"# German translations.\n"
	"msgid \"\"\n"
	"msgstr \"\"\n"
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	"\"Language: de\\n\"\n"
	"\n"
	"#: src/web/account.c:12\n"
	"msgid \"Log in\"\n"
	"msgstr \"Anmelden\"\n"
	"\n"
	"msgid \"\"\n"
	"\"A long \"\n"
	"\"message\"\n"
	"msgstr \"\"\n"
	"\"Eine lange \"\n"
	"  \"Nachricht\"\n"
	"\n"
	"msgid \"Say \\\"hi\\\"\\tnow\\\\\"\n"
	"msgstr \"Sag \\\"hallo\\\"\\tjetzt\\\\\\n\"  \n"
	"\n"
	"msgid \"Untranslated\"\n"
	"msgstr \"\"\n"
	"\n"
	"msgctxt \"menu\"\n"
	"msgid \"Ideas\"\n"
	"msgstr \"Ideen\"\n"
	"\n"
	"#~ msgid \"Old\"\n"
	"#~ msgstr \"Alt\"\n"
	"msgid \"Zebra\"\n"
	"msgstr \"Zebra (de)\"";     /* no newline at the end */

static int teardown(void **state)
{
	i18n_free();
	return 0;
}

static void test_parse_sample(void **state)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", sample_po, err, sizeof err), 5);
	assert_string_equal(i18n_get("de", "Log in"), "Anmelden");
	assert_string_equal(i18n_get("de", "A long message"), "Eine lange Nachricht");
	assert_string_equal(i18n_get("de", "Say \"hi\"\tnow\\"), "Sag \"hallo\"\tjetzt\\\n");
	assert_string_equal(i18n_get("de", "Ideas"), "Ideen");
	assert_string_equal(i18n_get("de", "Zebra"), "Zebra (de)");
}

static void test_fallbacks(void **state)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", sample_po, err, sizeof err), 5);
	/* untranslated entries, unknown ids, the header, obsolete entries */
	const char *id = "Untranslated";
	assert_ptr_equal(i18n_get("de", id), id);
	assert_string_equal(i18n_get("de", "Never seen"), "Never seen");
	assert_string_equal(i18n_get("de", ""), "");
	assert_string_equal(i18n_get("de", "Old"), "Old");
	/* other languages have their own (here empty) catalogue */
	assert_string_equal(i18n_get("en", "Log in"), "Log in");
	assert_string_equal(i18n_get("fr", "Log in"), "Log in");
	assert_string_equal(i18n_get(NULL, "Log in"), "Log in");
}

static void test_catalogues_are_separate(void **state)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", "msgid \"Yes\"\nmsgstr \"Ja\"\n", err, sizeof err), 1);
	assert_int_equal(i18n_parse_po("en", "msgid \"Yes\"\nmsgstr \"Yes, please\"\n", err, sizeof err), 1);
	assert_string_equal(i18n_get("de", "Yes"), "Ja");
	assert_string_equal(i18n_get("en", "Yes"), "Yes, please");
	/* parsing again replaces the catalogue */
	assert_int_equal(i18n_parse_po("de", "msgid \"No\"\nmsgstr \"Nein\"\n", err, sizeof err), 1);
	assert_string_equal(i18n_get("de", "Yes"), "Yes");
	assert_string_equal(i18n_get("de", "No"), "Nein");
}

static void test_crlf_line_ends(void **state)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", "# comment\r\nmsgid \"\"\r\nmsgstr \"Language: de\\n\"\r\n\r\n"
					      "msgid \"Yes\"\r\nmsgstr \"Ja\"\r\n\r\nmsgid \"No\"\r\nmsgstr \"\"\r\n"
					      "\"Nein\"\r\n", err, sizeof err), 2);
	assert_string_equal(i18n_get("de", "Yes"), "Ja");
	assert_string_equal(i18n_get("de", "No"), "Nein");
}

static void test_many_entries_sorted_lookup(void **state)
{
	/* entries arrive unsorted; lookups must still find each one */
	char text[8192];
	size_t n = 0;
	for (int i = 99; i >= 0; i--)
		n += (size_t)snprintf(text + n, sizeof text - n, "msgid \"k%02d\"\nmsgstr \"v%d\"\n\n", (i * 37) % 100, i);
	char err[128] = "";
	assert_int_equal(i18n_parse_po("en", text, err, sizeof err), 100);
	for (int i = 0; i < 100; i++) {
		char id[8], want[8];
		snprintf(id, sizeof id, "k%02d", (i * 37) % 100);
		snprintf(want, sizeof want, "v%d", i);
		assert_string_equal(i18n_get("en", id), want);
	}
}

static void parse_fails(const char *text, const char *want_err)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", text, err, sizeof err), -1);
	assert_string_equal(err, want_err);
}

static void test_parse_errors(void **state)
{
	parse_fails("msgid \"bad \\q escape\"\nmsgstr \"x\"\n", "line 1: cannot parse");
	parse_fails("msgid unquoted\n", "line 1: cannot parse");
	parse_fails("msgstr \"no id yet\"\n", "line 1: cannot parse");
	parse_fails("\"continuation first\"\n", "line 1: cannot parse");
	parse_fails("msgid \"a\" trailing\nmsgstr \"b\"\n", "line 1: cannot parse");
	parse_fails("msgid \"a\"\nmsgstr \"unterminated\n", "line 2: cannot parse");
	parse_fails("msgid \"a\"\nmsgstr \"b\"\n\nsome garbage\n", "line 4: cannot parse");
	parse_fails("msgid \"a\"\nmsgid_plural \"as\"\n", "line 2: cannot parse");

	char err[64] = "";
	assert_int_equal(i18n_parse_po("fr", "", err, sizeof err), -1);
	assert_string_equal(err, "unsupported language fr");
	assert_int_equal(i18n_parse_po(NULL, "", err, sizeof err), -1);
	assert_string_equal(err, "unsupported language (null)");
}

static void test_line_too_long(void **state)
{
	size_t n = 5000;
	char *text = malloc(n + 1);
	memset(text, '#', n);
	text[n] = '\0';
	char err[64] = "";
	assert_int_equal(i18n_parse_po("de", text, err, sizeof err), -1);
	assert_string_equal(err, "line 1 too long");
	free(text);
}

/* An entry longer than the catalogue takes is refused wherever it stands,
 * not only as the last one (it used to vanish without a word). */
static void test_entry_too_long_in_the_middle(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "msgid \"First\"\nmsgstr \"Erste\"\n\nmsgid \"Long\"\nmsgstr \"\"\n");
	for (int i = 0; i < 40; i++) {   /* 40 lines of 2,000 characters: over 64 KiB */
		buf_putc(&b, '"');
		for (int k = 0; k < 2000; k++)
			buf_putc(&b, 'x');
		buf_puts(&b, "\"\n");
	}
	buf_puts(&b, "\nmsgid \"Last\"\nmsgstr \"Letzte\"\n");
	char err[128] = "";
	assert_false(b.overflow);
	assert_int_equal(i18n_parse_po("de", b.data, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	assert_string_equal(i18n_get("de", "First"), "First");
	buf_free(&b);
}

static void test_failed_parse_clears_catalogue(void **state)
{
	char err[128] = "";
	assert_int_equal(i18n_parse_po("de", sample_po, err, sizeof err), 5);
	assert_int_equal(i18n_parse_po("de", "msgid \"Log in\"\nmsgstr \"Login\"\nbroken\n", err, sizeof err), -1);
	assert_string_equal(i18n_get("de", "Log in"), "Log in");
}

static void test_empty_catalogue(void **state)
{
	char err[64] = "";
	assert_int_equal(i18n_parse_po("de", "", err, sizeof err), 0);
	assert_int_equal(i18n_parse_po("de", "# only a comment\n\n", err, sizeof err), 0);
	assert_int_equal(i18n_parse_po("de", "msgid \"\"\nmsgstr \"Header: x\\n\"\n", err, sizeof err), 0);
	assert_string_equal(i18n_get("de", "Log in"), "Log in");
}

static void test_pick(void **state)
{
	assert_string_equal(i18n_pick("en", "de", "de"), "en");
	assert_string_equal(i18n_pick("de", "en", "en"), "de");
	char choice[] = "en";
	assert_ptr_not_equal(i18n_pick(choice, NULL, "de"), choice);   /* a static string */
	/* an unsupported choice falls through to Accept-Language */
	assert_string_equal(i18n_pick("fr", "en", "de"), "en");
	assert_string_equal(i18n_pick(NULL, "en-US,en;q=0.9,de;q=0.8", "de"), "en");
	assert_string_equal(i18n_pick(NULL, "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "de"), "en");
	assert_string_equal(i18n_pick(NULL, "DE-at", "en"), "de");
	assert_string_equal(i18n_pick(NULL, "EN", "de"), "en");
	assert_string_equal(i18n_pick(NULL, " , de ; q=1", "en"), "de");
	assert_string_equal(i18n_pick(NULL, "de;q=0.5, en", "en"), "de");   /* order given, not q */
	/* nothing usable: the default, and German when even that is unknown */
	assert_string_equal(i18n_pick(NULL, "english, deutsch, fr", "en"), "en");
	assert_string_equal(i18n_pick(NULL, "*", "en"), "en");
	assert_string_equal(i18n_pick(NULL, "", "en"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "en"), "en");
	assert_string_equal(i18n_pick(NULL, NULL, "xx"), "de");
	assert_string_equal(i18n_pick(NULL, NULL, NULL), "de");
	assert_string_equal(i18n_pick("", ",,,", NULL), "de");
}

static void test_number(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(i18n_number("de", 20000, b, sizeof b), "20.000");
	assert_string_equal(i18n_number("en", 20000, b, sizeof b), "20,000");
	assert_string_equal(i18n_number("de", 999, b, sizeof b), "999");
	assert_string_equal(i18n_number("de", 1000, b, sizeof b), "1.000");
	assert_string_equal(i18n_number("en", 1234567, b, sizeof b), "1,234,567");
	assert_string_equal(i18n_number("de", 0, b, sizeof b), "0");
	assert_string_equal(i18n_number("de", -90000, b, sizeof b), "-90.000");
	assert_string_equal(i18n_number(NULL, 5000, b, sizeof b), "5.000");   /* German unless English */
	assert_string_equal(i18n_number("en", -9223372036854775807LL - 1, b, sizeof b), "-9,223,372,036,854,775,808");
	char small[5];
	assert_string_equal(i18n_number("de", 123456, small, sizeof small), "123.");   /* cut, never overrun */
}

static void test_load_project_catalogues(void **state)
{
	char err[256] = "";
	assert_int_equal(i18n_load(SOURCE_ROOT "/po", err, sizeof err), 0);
	assert_string_equal(i18n_get("de", "All ideas"), "Alle Ideen");
	assert_string_equal(i18n_get("en", "All ideas"), "All ideas");
	assert_int_equal(i18n_load("/nonexistent", err, sizeof err), -1);
	assert_string_equal(err, "cannot open /nonexistent/de.po");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_parse_sample, teardown),
		cmocka_unit_test_teardown(test_number, teardown),
		cmocka_unit_test_teardown(test_fallbacks, teardown),
		cmocka_unit_test_teardown(test_catalogues_are_separate, teardown),
		cmocka_unit_test_teardown(test_crlf_line_ends, teardown),
		cmocka_unit_test_teardown(test_many_entries_sorted_lookup, teardown),
		cmocka_unit_test_teardown(test_parse_errors, teardown),
		cmocka_unit_test_teardown(test_line_too_long, teardown),
		cmocka_unit_test_teardown(test_entry_too_long_in_the_middle, teardown),
		cmocka_unit_test_teardown(test_failed_parse_clears_catalogue, teardown),
		cmocka_unit_test_teardown(test_empty_catalogue, teardown),
		cmocka_unit_test_teardown(test_pick, teardown),
		cmocka_unit_test_teardown(test_load_project_catalogues, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
