#include "core/sniff.h"
#include <string.h>

void sniff_init(struct sniff *s)
{
	memset(s, 0, sizeof *s);
}

/* One byte of UTF-8 text; false when text cannot hold it here. The ranges
 * of the first continuation byte rule out overlong forms, surrogates and
 * code points above U+10FFFF. */
static bool text_byte(struct sniff *s, unsigned char c)
{
	if (s->need) {
		if (c < s->lo || c > s->hi)
			return false;
		s->lo = 0x80;
		s->hi = 0xBF;
		s->need--;
		return true;
	}
	if (c < 0x80)
		return c >= 0x20 ? c != 0x7F : c == '\t' || c == '\n' || c == '\r' || c == '\f';
	s->lo = 0x80;
	s->hi = 0xBF;
	if (c < 0xC2)
		return false;
	if (c < 0xE0) {
		s->need = 1;
	} else if (c < 0xF0) {
		s->need = 2;
		if (c == 0xE0)
			s->lo = 0xA0;
		else if (c == 0xED)
			s->hi = 0x9F;
	} else if (c < 0xF5) {
		s->need = 3;
		if (c == 0xF0)
			s->lo = 0x90;
		else if (c == 0xF4)
			s->hi = 0x8F;
	} else {
		return false;
	}
	return true;
}

void sniff_feed(struct sniff *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	if (s->head_len < SNIFF_HEAD) {
		size_t k = SNIFF_HEAD - s->head_len < n ? SNIFF_HEAD - s->head_len : n;
		memcpy(s->head + s->head_len, b, k);
		s->head_len += k;
	}
	s->size += n;
	for (size_t i = 0; i < n && !s->not_text; i++)
		if (!text_byte(s, b[i]))
			s->not_text = true;
}

static bool starts(const struct sniff *s, size_t at, const char *sig, size_t len)
{
	return s->head_len >= at + len && memcmp(s->head + at, sig, len) == 0;
}

const char *sniff_result(const struct sniff *s)
{
	if (starts(s, 0, "%PDF-", 5))
		return SNIFF_PDF;
	if (starts(s, 0, "\x89PNG\r\n\x1A\n", 8))
		return SNIFF_PNG;
	if (starts(s, 0, "\xFF\xD8\xFF", 3))
		return SNIFF_JPEG;
	if (starts(s, 0, "GIF87a", 6) || starts(s, 0, "GIF89a", 6))
		return SNIFF_GIF;
	if (starts(s, 0, "RIFF", 4) && starts(s, 8, "WEBP", 4))
		return SNIFF_WEBP;
	if (s->size && !s->not_text && !s->need)
		return SNIFF_TEXT;
	return SNIFF_OTHER;
}

const char *sniff_type(const void *p, size_t n)
{
	struct sniff s;
	sniff_init(&s);
	sniff_feed(&s, p, n);
	return sniff_result(&s);
}

const char *sniff_known(const char *type)
{
	static const char *const all[] = { SNIFF_PDF, SNIFF_PNG, SNIFF_JPEG, SNIFF_GIF, SNIFF_WEBP, SNIFF_TEXT,
					   SNIFF_OTHER };
	for (size_t i = 0; type && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(type, all[i]) == 0)
			return all[i];
	return NULL;
}
