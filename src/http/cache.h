/* The page cache: answers to anonymous GET requests of cacheable routes,
 * keyed by representation, language and URI, each valid while the content
 * version it was rendered at is current and for at most CACHE_TTL seconds
 * (pages show relative things such as "open until"). */
#ifndef UNBOX_CACHE_H
#define UNBOX_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/buf.h"

#define CACHE_TTL 60
#define CACHE_SLOTS 1024
#define CACHE_MAX_BODY (256 * 1024)

void cache_init(void);
void cache_free(void);
/* Copies a fresh entry's body into out; returns false when there is none. */
bool cache_get(const char *key, int64_t version, int64_t now, struct buf *out, const char **type);
/* Stores a copy; type must be a string literal (it is kept as a pointer). */
void cache_put(const char *key, int64_t version, int64_t now, const char *body, size_t len, const char *type);

#endif
