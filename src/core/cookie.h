/* Parsing of the Cookie request header (RFC 6265, lenient on spaces). */
#ifndef UNBOX_COOKIE_H
#define UNBOX_COOKIE_H
#include "core/arena.h"

/* The value of cookie `name` (first occurrence, surrounding quotes removed),
 * or NULL when absent or when the header is malformed around it. */
const char *cookie_get(struct arena *a, const char *header, const char *name);

#endif
