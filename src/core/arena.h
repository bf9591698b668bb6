/* Per-request memory: bump allocation from chunks, freed all at once.
 * Deferred cleanups run (in reverse order) when the arena is reset or freed,
 * so a request can hand over foreign objects (json_t, statements) and forget them. */
#ifndef UNBOX_ARENA_H
#define UNBOX_ARENA_H
#include <stddef.h>
#include <stdarg.h>

struct arena;

struct arena *arena_new(size_t chunk_size);       /* aborts on out-of-memory */
void  arena_free(struct arena *a);                /* runs cleanups, frees everything */
void  arena_reset(struct arena *a);               /* runs cleanups, keeps the first chunk */
void *arena_alloc(struct arena *a, size_t n);     /* 16-byte aligned, never NULL */
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void  arena_defer(struct arena *a, void (*fn)(void *), void *arg);
size_t arena_used(const struct arena *a);         /* bytes handed out since the last reset */

#endif
