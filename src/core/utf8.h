/* UTF-8 and user-text validation. Every string that enters from outside
 * passes utf8_valid before anything else looks at it. */
#ifndef UNBOX_UTF8_H
#define UNBOX_UTF8_H
#include <stdbool.h>
#include <stddef.h>

bool   utf8_valid(const char *s, size_t n);     /* strict: no overlongs, surrogates or > U+10FFFF */
size_t utf8_chars(const char *s);               /* code points in a valid NUL-terminated string */
/* Text a person typed: valid UTF-8 and no control characters other than
 * newline, carriage return and tab (those only when multiline). */
bool   text_valid(const char *s, bool multiline);
/* Copies s into out (capacity cap) without leading/trailing ASCII blanks. */
size_t text_trim(const char *s, char *out, size_t cap);

#endif
