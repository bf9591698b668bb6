#include "core/filename.h"
#include "core/utf8.h"
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		   : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	return len && len <= n && utf8_valid((const char *)s, len) ? len : 0;
}

/* U+200E/F, U+202A..E, U+2066..9: they reorder how a name is shown
 * ("gpj.exe" looking like "exe.jpg"). */
static bool bidi_control(const unsigned char *s, size_t len)
{
	if (len != 3 || s[0] != 0xE2)
		return false;
	return (s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE))) ||
	       (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9);
}

/* The start of the last character that ends at or before byte n of s. */
static size_t char_floor(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

size_t filename_safe(const char *name, size_t n, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)name;
	/* the last segment of a path, of either kind of slash */
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '/' || s[i - 1] == '\\') {
			s += i;
			n -= i;
			break;
		}
	char tmp[2048];   /* a name longer than this loses its end, extension included */
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < sizeof tmp;) {
		size_t len = seq_len(s + i, n - i);
		if (!len) {
			tmp[o++] = '_';
			i++;
			continue;
		}
		if ((len == 1 && (s[i] < 0x20 || s[i] == 0x7F)) || (len == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0) ||
		    bidi_control(s + i, len)) {
			i += len;   /* C0, DEL, C1 and bidirectional controls */
			continue;
		}
		if (len == 1 && strchr("\"*/:<>?\\|", s[i]))
			tmp[o++] = '_';
		else {
			memcpy(tmp + o, s + i, len);
			o += len;
		}
		i += len;
	}
	size_t start = 0;
	while (start < o && (tmp[start] == ' ' || tmp[start] == '.'))
		start++;
	while (o > start && (tmp[o - 1] == ' ' || tmp[o - 1] == '.'))
		o--;
	const char *t = tmp + start;
	size_t len = o - start;
	size_t max = cap - 1 < FILENAME_MAX_BYTES ? cap - 1 : FILENAME_MAX_BYTES;
	if (len == 0) {
		snprintf(out, cap, "%s", FILENAME_FALLBACK);
		return strlen(out);
	}
	if (len <= max) {
		memcpy(out, t, len);
		out[len] = '\0';
		return len;
	}
	/* too long: cut the stem at a character boundary, keep a short extension */
	const char *dot = memrchr(t, '.', len);
	size_t ext = dot && (size_t)(t + len - dot) <= 16 && dot > t ? (size_t)(t + len - dot) : 0;
	size_t stem = char_floor(t, max - ext);
	memcpy(out, t, stem);
	memcpy(out + stem, t + len - ext, ext);
	out[stem + ext] = '\0';
	return stem + ext;
}
