/* Types told from content (core/sniff.h), fed whole and in pieces, and file
 * names made safe (core/filename.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/filename.h"
#include "core/sniff.h"
#include "core/utf8.h"

#define TYPE(s) sniff_type(s, sizeof(s) - 1)

/* The same content, fed one byte at a time, must give the same type. */
static const char *bytewise(const char *s, size_t n)
{
	struct sniff sn;
	sniff_init(&sn);
	for (size_t i = 0; i < n; i++)
		sniff_feed(&sn, s + i, 1);
	return sniff_result(&sn);
}

static void test_signatures(void **state)
{
	assert_string_equal(TYPE("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), SNIFF_PDF);
	assert_string_equal(TYPE("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), SNIFF_PNG);
	assert_string_equal(TYPE("\xFF\xD8\xFF\xE0\0\x10JFIF"), SNIFF_JPEG);
	assert_string_equal(TYPE("GIF89a\x01\0\x01\0"), SNIFF_GIF);
	assert_string_equal(TYPE("GIF87a\x01\0\x01\0"), SNIFF_GIF);
	assert_string_equal(TYPE("RIFF\x24\0\0\0WEBPVP8 "), SNIFF_WEBP);
	/* near misses */
	assert_string_equal(TYPE("%PDF"), SNIFF_TEXT);            /* too short for the signature: text */
	assert_string_equal(TYPE("\x89PNG\r\n\x1A"), SNIFF_OTHER);
	assert_string_equal(TYPE("\xFF\xD8"), SNIFF_OTHER);
	assert_string_equal(TYPE("RIFF\x24\0\0\0WAVEfmt "), SNIFF_OTHER);
	assert_string_equal(TYPE("GIF88a"), SNIFF_TEXT);
	assert_string_equal(TYPE(" %PDF-1.4"), SNIFF_TEXT);       /* the signature must come first */
	assert_string_equal(TYPE("MZ\x90\0\x03\0\0\0"), SNIFF_OTHER);   /* a Windows program */
	assert_string_equal(sniff_type("", 0), SNIFF_OTHER);
	static const char pdf[] = "%PDF-1.4\n\x80\x81\xFF binary";
	assert_string_equal(bytewise(pdf, sizeof pdf - 1), SNIFF_PDF);
	static const char webp[] = "RIFF\x24\0\0\0WEBPVP8 ";
	assert_string_equal(bytewise(webp, sizeof webp - 1), SNIFF_WEBP);
}

static void test_text(void **state)
{
	assert_string_equal(TYPE("Name;Stadtteil;Anzahl\r\nAnna;Deutz;3\r\n"), SNIFF_TEXT);
	assert_string_equal(TYPE("\xEF\xBB\xBFK\xC3\xB6ln\tM\xC3\xBClheim\f\n"), SNIFF_TEXT);  /* BOM, umlauts */
	assert_string_equal(TYPE("\xF0\x9F\x98\x80 \xE2\x82\xAC"), SNIFF_TEXT);
	assert_string_equal(TYPE("a\0b"), SNIFF_OTHER);              /* NUL */
	assert_string_equal(TYPE("bell\a"), SNIFF_OTHER);            /* control character */
	assert_string_equal(TYPE("del\x7F"), SNIFF_OTHER);
	assert_string_equal(TYPE("Latin-1 K\xF6ln"), SNIFF_OTHER);   /* not UTF-8 */
	assert_string_equal(TYPE("\xC0\xAF"), SNIFF_OTHER);          /* overlong */
	assert_string_equal(TYPE("\xED\xA0\x80"), SNIFF_OTHER);      /* surrogate */
	assert_string_equal(TYPE("\xF4\x90\x80\x80"), SNIFF_OTHER);  /* above U+10FFFF */
	assert_string_equal(TYPE("cut \xE2\x82"), SNIFF_OTHER);      /* ends inside a character */
	/* text that turns binary far from the start is not text */
	char big[100000];
	memset(big, 'a', sizeof big);
	big[sizeof big - 2] = '\0';
	assert_string_equal(sniff_type(big, sizeof big), SNIFF_OTHER);
	big[sizeof big - 2] = 'a';
	assert_string_equal(sniff_type(big, sizeof big), SNIFF_TEXT);
	/* a character split across chunks */
	static const char euro[] = "Preis: 5 \xE2\x82\xAC";
	assert_string_equal(bytewise(euro, sizeof euro - 1), SNIFF_TEXT);
	assert_string_equal(sniff_known("image/png"), SNIFF_PNG);
	assert_null(sniff_known("text/html"));
	assert_null(sniff_known(NULL));
}

#define SAFE(in, want) do { \
	char out[FILENAME_MAX_BYTES + 1]; \
	size_t n = filename_safe(in, sizeof(in) - 1, out, sizeof out); \
	assert_string_equal(out, want); \
	assert_int_equal(n, strlen(want)); \
} while (0)

static void test_filenames(void **state)
{
	SAFE("Projektskizze.pdf", "Projektskizze.pdf");
	SAFE("K\xC3\xB6ln Deutz \xF0\x9F\x9A\xB2.png", "K\xC3\xB6ln Deutz \xF0\x9F\x9A\xB2.png");
	SAFE("../../etc/passwd", "passwd");
	SAFE("C:\\Users\\anna\\Desktop\\plan.pdf", "plan.pdf");
	SAFE("dir/", FILENAME_FALLBACK);
	SAFE("", FILENAME_FALLBACK);
	SAFE("...", FILENAME_FALLBACK);
	SAFE("  .hidden ", "hidden");
	SAFE("a\"b*c:d<e>f?g|h.txt", "a_b_c_d_e_f_g_h.txt");
	SAFE("line\r\nbreak\t.pdf", "linebreak.pdf");
	SAFE("nul\0byte.pdf", "nulbyte.pdf");
	SAFE("Latin-1 K\xF6ln.pdf", "Latin-1 K_ln.pdf");
	SAFE("invoice\xE2\x80\xAE" "fdp.exe", "invoicefdp.exe");   /* right-to-left override dropped */
	SAFE("c1\xC2\x85" "x", "c1x");                             /* NEL, a C1 control */
	/* long names keep a short extension and are cut on a character boundary */
	char lng[400], out[FILENAME_MAX_BYTES + 1];
	for (int i = 0; i < 130; i++)
		memcpy(lng + 2 * i, "\xC3\xA4", 2);
	memcpy(lng + 260, ".pdf", 5);
	size_t n = filename_safe(lng, strlen(lng), out, sizeof out);
	assert_true(n <= FILENAME_MAX_BYTES);
	assert_true(utf8_valid(out, n));
	assert_string_equal(out + n - 4, ".pdf");
	memset(lng, 'x', 300);
	memcpy(lng + 300, ".averyveryverylongextension", 28);
	n = filename_safe(lng, strlen(lng), out, sizeof out);
	assert_int_equal(n, FILENAME_MAX_BYTES);
	/* a small buffer */
	char tiny[8];
	assert_int_equal(filename_safe("abcdefghijk.pdf", 15, tiny, sizeof tiny), 7);
	assert_string_equal(tiny, "abc.pdf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_filenames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
