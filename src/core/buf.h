/* Growable byte buffers with a hard size cap. Once an append would pass the
 * cap the buffer is marked overflowed and ignores further appends, so callers
 * check once at the end instead of after every write. Always NUL-terminated. */
#ifndef UNBOX_BUF_H
#define UNBOX_BUF_H
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap, max;
	bool overflow;
};

void buf_init(struct buf *b, size_t max);   /* max 0 = 64 MiB */
void buf_free(struct buf *b);
void buf_clear(struct buf *b);              /* len 0, memory kept */
bool buf_reserve(struct buf *b, size_t extra);   /* room for extra more bytes */
bool buf_add(struct buf *b, const void *p, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_detach(struct buf *b, size_t *len); /* caller frees; buffer is reset */

#endif
