/* The line diff behind "what changed" between two versions of an idea. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/dialogue/idea_versions.h"

/* "op:text|op:text|…" of a diff, for comparing in one assertion. */
static char *summary(json_t *d)
{
	static char out[1024];
	out[0] = '\0';
	size_t i;
	json_t *l;
	json_array_foreach(d, i, l) {
		strcat(out, json_string_value(json_object_get(l, "op")));
		strcat(out, ":");
		strcat(out, json_string_value(json_object_get(l, "text")));
		strcat(out, "|");
	}
	return out;
}

static void test_diff(void **state)
{
	(void)state;
	json_t *d = text_diff_lines("a\nb\nc", "a\nx\nc\nd");
	assert_string_equal(summary(d), "same:a|del:b|ins:x|same:c|ins:d|");
	json_decref(d);
	d = text_diff_lines("gleich", "gleich");
	assert_string_equal(summary(d), "same:gleich|");
	json_decref(d);
	d = text_diff_lines("", "neu");
	assert_string_equal(summary(d), "del:|ins:neu|");
	json_decref(d);
	/* CR LF and LF are the same line */
	d = text_diff_lines("eins\r\nzwei", "eins\nzwei\ndrei");
	assert_string_equal(summary(d), "same:eins|same:zwei|ins:drei|");
	json_decref(d);
	/* beyond the cells compared: all of it replaced, still correct */
	size_t n = 2100;
	char *a = malloc(n * 2 + 1), *b = malloc(n * 2 + 1);
	for (size_t i = 0; i < n; i++) {
		a[2 * i] = 'x';
		b[2 * i] = 'y';
		a[2 * i + 1] = b[2 * i + 1] = '\n';
	}
	a[2 * n] = b[2 * n] = '\0';
	d = text_diff_lines(a, b);
	assert_int_equal(json_array_size(d), 2 * (n + 1));
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "op")), "del");
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, n + 1), "op")), "ins");
	json_decref(d);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
