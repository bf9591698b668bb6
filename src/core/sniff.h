/* The type of a file, told from its content alone: the name a client gives
 * a file and the Content-Type it claims are never trusted. Binary formats
 * are known by their signature in the first bytes; text is UTF-8 that stays
 * valid to the last byte. Pure functions: no I/O. */
#ifndef UNBOX_SNIFF_H
#define UNBOX_SNIFF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SNIFF_PDF   "application/pdf"
#define SNIFF_PNG   "image/png"
#define SNIFF_JPEG  "image/jpeg"
#define SNIFF_GIF   "image/gif"
#define SNIFF_WEBP  "image/webp"
#define SNIFF_TEXT  "text/plain"                 /* UTF-8, CSV included */
#define SNIFF_OTHER "application/octet-stream"   /* anything else, and empty files */

#define SNIFF_HEAD 12   /* the bytes the longest signature (WebP) needs */

/* The state while a file streams in, chunk by chunk. */
struct sniff {
	unsigned char head[SNIFF_HEAD];
	size_t head_len;
	uint64_t size;
	bool not_text;            /* a byte was seen that plain text does not hold */
	unsigned need;            /* continuation bytes the current UTF-8 sequence still needs */
	unsigned char lo, hi;     /* the range the next continuation byte must lie in */
};

void sniff_init(struct sniff *s);
void sniff_feed(struct sniff *s, const void *p, size_t n);
/* One of the SNIFF_ constants. Text: valid UTF-8 (a byte order mark
 * allowed), no control characters but tab, line feed, carriage return and
 * form feed, not cut off inside a character. */
const char *sniff_result(const struct sniff *s);
/* The type of content at hand (sniff_init, sniff_feed, sniff_result). */
const char *sniff_type(const void *p, size_t n);
/* The SNIFF_ constant equal to type, or NULL: for types read back from storage. */
const char *sniff_known(const char *type);

#endif
