#include "core/amount.h"
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define AMOUNT_TEXT_MAX 64   /* bytes looked at; longer is no amount a person types */
#define AMOUNT_DIGITS_MAX 15

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* s as ASCII: the no-break and thin spaces as ' ', the euro sign as 'E';
 * false when s is too long or holds other bytes above ASCII. */
static bool simplify(const char *s, char *out, size_t cap)
{
	size_t j = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		char c;
		if (p[0] < 0x80) {
			c = (char)*p++;
		} else if (p[0] == 0xC2 && p[1] == 0xA0) {                      /* U+00A0 */
			c = ' ';
			p += 2;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAF || p[2] == 0x89)) {   /* U+202F, U+2009 */
			c = ' ';
			p += 3;
		} else if (p[0] == 0xE2 && p[1] == 0x82 && p[2] == 0xAC) {      /* € */
			c = 'E';
			p += 3;
		} else {
			return false;
		}
		if (j + 1 >= cap)
			return false;
		out[j++] = c == '\t' ? ' ' : c;
	}
	out[j] = '\0';
	return true;
}

static void trim(char **b, char **e)
{
	while (*b < *e && **b == ' ')
		(*b)++;
	while (*e > *b && (*e)[-1] == ' ')
		(*e)--;
}

/* drops one currency mark ("€", "EUR") at the start or the end */
static void drop_currency(char **b, char **e)
{
	if (*e - *b >= 3 && strncasecmp(*b, "EUR", 3) == 0)
		*b += 3;
	else if (*e - *b >= 3 && strncasecmp(*e - 3, "EUR", 3) == 0)
		*e -= 3;
	else if (*e > *b && **b == 'E')
		(*b)++;
	else if (*e > *b && (*e)[-1] == 'E')
		(*e)--;
	trim(b, e);
}

int amount_parse_euros(const char *s, int64_t *euros)
{
	char text[AMOUNT_TEXT_MAX + 1];
	if (!s || !simplify(s, text, sizeof text))
		return AMOUNT_INVALID;
	char *b = text, *e = text + strlen(text);
	trim(&b, &e);
	drop_currency(&b, &e);
	/* "50.000,-" and "50.000,--": whole euros written the German way */
	if (e - b >= 3 && (e[-3] == ',' || e[-3] == '.') && e[-2] == '-' && e[-1] == '-')
		e -= 3;
	else if (e - b >= 2 && (e[-2] == ',' || e[-2] == '.') && e[-1] == '-')
		e -= 2;
	if (b == e || !is_digit(*b) || !is_digit(e[-1]))
		return AMOUNT_INVALID;
	/* a decimal part: one or two digits after the last dot or comma */
	char dec_sep = 0;
	bool cents = false;
	char *int_end = e;
	for (char *p = e - 1; p > b && p >= e - 3; p--) {
		if (*p == '.' || *p == ',') {
			if (e - p - 1 <= 2) {
				dec_sep = *p;
				int_end = p;
				for (char *d = p + 1; d < e; d++)
					cents |= *d != '0';
			}
			break;
		}
		if (!is_digit(*p))
			break;
	}
	/* the whole euros: groups of three after the first, one kind of separator */
	char group_sep = 0;
	int64_t v = 0;
	int digits = 0, group = 0;
	bool grouped = false;
	for (char *p = b; p < int_end; p++) {
		if (is_digit(*p)) {
			if (++digits > AMOUNT_DIGITS_MAX)
				return AMOUNT_INVALID;
			v = v * 10 + (*p - '0');
			group++;
			continue;
		}
		if (*p != '.' && *p != ',' && *p != ' ' && *p != '\'')
			return AMOUNT_INVALID;
		if ((group_sep && *p != group_sep) || *p == dec_sep)
			return AMOUNT_INVALID;
		if (grouped ? group != 3 : group < 1 || group > 3)
			return AMOUNT_INVALID;
		group_sep = *p;
		grouped = true;
		group = 0;
	}
	if (grouped && group != 3)
		return AMOUNT_INVALID;
	if (cents)
		return AMOUNT_CENTS;
	*euros = v;
	return AMOUNT_OK;
}
