/* Decoding of application/x-www-form-urlencoded data (query strings and
 * form bodies) into name/value pairs. Names and values are percent-decoded,
 * NUL-free, valid UTF-8; anything else makes the whole input invalid. */
#ifndef UNBOX_FORM_H
#define UNBOX_FORM_H
#include <stddef.h>
#include "core/arena.h"

struct kv {
	const char *name;
	const char *value;
};

struct kvlist {
	struct kv *items;
	size_t count;
};

#define FORM_MAX_FIELDS 256

/* Returns 0 on success, -1 on malformed input or more than max_fields pairs. */
int form_parse(struct arena *a, const char *s, size_t n, size_t max_fields, struct kvlist *out);
/* First value for name, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
/* Appends a pair (the strings are not copied). */
void kv_add(struct arena *a, struct kvlist *l, const char *name, const char *value);

#endif
