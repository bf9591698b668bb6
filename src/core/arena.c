#include "core/arena.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

/* Chunks that a reset hands back are kept for the next request, up to this
 * many bytes: freeing them let malloc give the memory back to the system
 * (madvise), and every large page paid for it again in page faults. */
#define SPARE_BYTES (1024 * 1024)

struct arena {
	struct chunk *head;      /* current chunk; older ones follow */
	struct chunk *spare;     /* kept for reuse, at most SPARE_BYTES together */
	size_t spare_bytes;
	struct cleanup *cleanups;
	size_t chunk_size, used;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct chunk *chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof *c + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *arena_new(size_t chunk_size)
{
	struct arena *a = xmalloc(sizeof *a);
	a->chunk_size = chunk_size ? chunk_size : 16384;
	a->head = chunk_new(a->chunk_size);
	a->spare = NULL;
	a->spare_bytes = 0;
	a->cleanups = NULL;
	a->used = 0;
	return a;
}

static void run_cleanups(struct arena *a)
{
	/* cleanups are pushed in front, so this runs them newest first */
	while (a->cleanups) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->arg);
	}
}

void arena_reset(struct arena *a)
{
	run_cleanups(a);
	struct chunk *c = a->head;
	while (c->next) {           /* keep the oldest (first) chunk, and spares */
		struct chunk *next = c->next;
		if (a->spare_bytes + c->size <= SPARE_BYTES) {
			c->next = a->spare;
			a->spare = c;
			a->spare_bytes += c->size;
		} else {
			free(c);
		}
		c = next;
	}
	a->head = c;
	c->used = 0;
	a->used = 0;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->head);
	while (a->spare) {
		struct chunk *next = a->spare->next;
		free(a->spare);
		a->spare = next;
	}
	free(a);
}

/* A kept chunk of at least size bytes, else a new one. */
static struct chunk *spare_chunk(struct arena *a, size_t size)
{
	for (struct chunk **p = &a->spare; *p; p = &(*p)->next) {
		struct chunk *c = *p;
		if (c->size >= size) {
			*p = c->next;
			a->spare_bytes -= c->size;
			c->next = NULL;
			c->used = 0;
			return c;
		}
	}
	return chunk_new(size);
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	struct chunk *c = a->head;
	if (c->size - c->used < n) {
		size_t size = n > a->chunk_size / 4 ? n : a->chunk_size;
		struct chunk *fresh = spare_chunk(a, size);
		if (size == n && c->size - c->used > 0) {
			/* a big block goes behind the current chunk, which stays usable */
			fresh->next = c->next;
			c->next = fresh;
			fresh->used = n;
			a->used += n;
			return fresh->data;
		}
		fresh->next = c;
		a->head = c = fresh;
	}
	void *p = c->data + c->used;
	c->used += n;
	a->used += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	return memset(arena_alloc(a, n), 0, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *c = arena_alloc(a, sizeof *c);
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const struct arena *a)
{
	return a->used;
}
