/* Building view models fast: jansson setters that skip the UTF-8 check of
 * keys (literals) and of values that were validated when they came in
 * (everything stored has passed utf8_valid). json_pack parses its format on
 * every call, which shows in profiles of list pages. */
#ifndef UNBOX_JSONX_H
#define UNBOX_JSONX_H
#include <jansson.h>

static inline void jset(json_t *o, const char *key, json_t *v)
{
	json_object_set_new_nocheck(o, key, v);
}

static inline void jset_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new_nocheck(o, key, json_string_nocheck(v));
}

static inline void jset_int(json_t *o, const char *key, json_int_t v)
{
	json_object_set_new_nocheck(o, key, json_integer(v));
}

/* One page of a list read by id: {items, next: the last id when there is
 * more, else null, limit}. Takes items. */
static inline json_t *jpage(json_t *items, int more, json_int_t last, int limit)
{
	json_t *page = json_object();
	jset(page, "items", items);
	jset(page, "next", more ? json_integer(last) : json_null());
	jset_int(page, "limit", limit);
	return page;
}

#include "core/buf.h"
/* Writes v as compact JSON to out. Faster than json_dumps for view models
 * (no per-character callbacks); the output is the same JSON text apart from
 * number formatting of reals. v is not changed (it is not const because
 * jansson iterates an object only through a json_t *). */
void json_write(struct buf *out, json_t *v);
/* Writes s (n bytes of UTF-8) as a JSON string, as json_write does. */
void json_write_string(struct buf *out, const char *s, size_t n);

#endif
