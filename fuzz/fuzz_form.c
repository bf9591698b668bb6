/* form_parse on arbitrary bytes (query strings, form bodies).
 *
 * Properties: on success every name and value is valid UTF-8 without NUL, and
 * the pairs are exactly those an independent, straightforward decoder finds;
 * form_parse fails only when that decoder rejects a piece or there are too
 * many pairs. */
#include "fuzz.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"
#include "core/form.h"
#include "core/utf8.h"

static int hexdigit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes s[0..n) into out; returns the length or -1 when the piece is not
 * acceptable (bad escape, NUL, invalid UTF-8). */
static long ref_decode(const uint8_t *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hexdigit(s[i + 1]), lo = hexdigit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i] == '+' ? ' ' : (char)s[i];
		}
	}
	if (memchr(out, '\0', o) || !utf8_valid(out, o))
		return -1;
	return (long)o;
}

/* Compares one decoded string from form_parse with the reference. */
static void check_string(const char *got, const uint8_t *s, size_t n, char *scratch)
{
	if (!got)
		abort();
	size_t len = strlen(got);
	if (!utf8_valid(got, len))
		abort();
	long want = ref_decode(s, n, scratch);
	if (want < 0 || (size_t)want != len || memcmp(got, scratch, len) != 0)
		abort();
}

static void check(const uint8_t *data, size_t size, size_t max_fields)
{
	struct arena *a = arena_new(0);
	struct kvlist l;
	int rc = form_parse(a, (const char *)data, size, max_fields, &l);
	char *scratch = malloc(size + 1);
	if (!scratch)
		abort();

	size_t pairs = 1, pieces = 0;
	for (size_t i = 0; i < size; i++)
		pairs += data[i] == '&';
	bool ref_ok = pairs <= max_fields;
	size_t i = 0;
	while (i < size) {
		const uint8_t *amp = memchr(data + i, '&', size - i);
		size_t end = amp ? (size_t)(amp - data) : size;
		if (end > i) {
			const uint8_t *eq = memchr(data + i, '=', end - i);
			size_t name_end = eq ? (size_t)(eq - data) : end;
			size_t vstart = eq ? name_end + 1 : end;
			if (rc == 0) {
				if (pieces >= l.count)
					abort();
				check_string(l.items[pieces].name, data + i, name_end - i, scratch);
				check_string(l.items[pieces].value, data + vstart, end - vstart, scratch);
			} else if (ref_ok) {
				ref_ok = ref_decode(data + i, name_end - i, scratch) >= 0 &&
					 ref_decode(data + vstart, end - vstart, scratch) >= 0;
			}
			pieces++;
		}
		i = end + 1;
	}
	if (rc == 0) {
		if (pieces != l.count || !ref_ok)
			abort();
		/* lookups see the first value of a name */
		for (size_t k = 0; k < l.count; k++) {
			const char *v = kv_get(&l, l.items[k].name);
			size_t first = 0;
			while (strcmp(l.items[first].name, l.items[k].name) != 0)
				first++;
			if (v != l.items[first].value)
				abort();
		}
		/* a name that may or may not be there; then appended */
		static const char probe[] = "_csrf";
		const char *before = kv_get(&l, probe);
		size_t k = 0;
		while (k < l.count && strcmp(l.items[k].name, probe) != 0)
			k++;
		if (before != (k < l.count ? l.items[k].value : NULL))
			abort();
		size_t count = l.count;
		kv_add(a, &l, probe, "appended");
		if (l.count != count + 1 || l.items[count].name != probe ||
		    kv_get(&l, probe) != (before ? before : l.items[count].value))
			abort();
	} else if (rc != -1 || ref_ok) {
		abort();
	}
	free(scratch);
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, FORM_MAX_FIELDS);
	check(data, size, 4);
	return 0;
}
