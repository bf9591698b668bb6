/* File names as people's computers send them, made safe to show and to
 * offer back in a download: the last path segment only, valid UTF-8, no
 * control, bidirectional-override or path characters, bounded length. */
#ifndef UNBOX_FILENAME_H
#define UNBOX_FILENAME_H
#include <stddef.h>

#define FILENAME_MAX_BYTES 160   /* what is kept of a long name, the extension preserved */
#define FILENAME_FALLBACK "file"  /* when nothing usable is left */

/* Writes the safe form of name[0..n) into out (cap > FILENAME_MAX_BYTES);
 * returns its length. Invalid UTF-8 bytes and the characters " * / : < > ? \ |
 * become '_'; control characters and bidirectional controls are dropped;
 * blanks and dots at either end are trimmed. Never empty. */
size_t filename_safe(const char *name, size_t n, char *out, size_t cap);

#endif
