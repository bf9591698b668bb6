/* Escaping for the places text goes: HTML text and attributes, URL components. */
#ifndef UNBOX_ESCAPE_H
#define UNBOX_ESCAPE_H
#include <stddef.h>
#include "core/buf.h"

/* Escapes & < > " ' ` = so the result is safe in text and in quoted attributes. */
void html_escape(struct buf *out, const char *s, size_t n);
/* Escapes & < > " ' for XML text and quoted attributes (Atom, SVG) and drops
 * the control characters XML 1.0 does not allow (all below 0x20 but tab,
 * newline and carriage return). */
void xml_escape(struct buf *out, const char *s, size_t n);
/* Percent-encodes everything except unreserved characters (RFC 3986). */
void url_encode(struct buf *out, const char *s, size_t n);
/* Decodes %XX and (when plus_is_space) '+'; returns the new length, or -1 on a bad escape.
 * Works in place: out may equal s. */
long url_decode(char *out, const char *s, size_t n, int plus_is_space);

#endif
