#include "core/form.h"
#include "core/escape.h"
#include "core/utf8.h"
#include <string.h>

static const char *decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	long len = url_decode(out, s, n, 1);
	if (len < 0)
		return NULL;
	out[len] = '\0';
	if (memchr(out, '\0', (size_t)len) || !utf8_valid(out, (size_t)len))
		return NULL;
	return out;
}

int form_parse(struct arena *a, const char *s, size_t n, size_t max_fields, struct kvlist *out)
{
	out->items = NULL;
	out->count = 0;
	size_t pairs = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '&')
			pairs++;
	pairs++;
	if (pairs > max_fields)
		return -1;
	out->items = arena_alloc(a, pairs * sizeof *out->items);
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i) {            /* empty pieces ("a=1&&b=2") are skipped */
			const char *eq = memchr(s + i, '=', end - i);
			size_t name_end = eq ? (size_t)(eq - s) : end;
			const char *name = decode(a, s + i, name_end - i);
			const char *value = eq ? decode(a, eq + 1, end - name_end - 1) : "";
			if (!name || !value)
				return -1;
			out->items[out->count].name = name;
			out->items[out->count].value = value;
			out->count++;
		}
		i = end + 1;
	}
	return 0;
}

const char *kv_get(const struct kvlist *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

void kv_add(struct arena *a, struct kvlist *l, const char *name, const char *value)
{
	/* lists are small; growing by copying keeps them contiguous */
	struct kv *items = arena_alloc(a, (l->count + 1) * sizeof *items);
	if (l->count)
		memcpy(items, l->items, l->count * sizeof *items);
	items[l->count].name = name;
	items[l->count].value = value;
	l->items = items;
	l->count++;
}
