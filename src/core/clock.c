#include "core/clock.h"
#include <string.h>
#include <time.h>

int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

int64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Dates are formatted by hand: pages show several per comment and idea,
 * and gmtime_r (a lock shared by all threads), strftime and snprintf
 * showed in profiles. Same results as gmtime_r for every time from 1970 to
 * 9999. */
struct civil {
	int64_t year;
	int month, day, hour, min, sec;
};

/* UTC calendar fields of t: days to civil date as in H. Hinnant's
 * "chrono-compatible low-level date algorithms" (eras of 400 years that
 * start on 1 March). */
static struct civil civil_of(int64_t t)
{
	int64_t days = t / 86400, s = t % 86400;
	if (s < 0) {
		s += 86400;
		days--;
	}
	days += 719468;   /* days from 0000-03-01 to 1970-01-01 */
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	int64_t doe = days - era * 146097;                                    /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11], March first */
	struct civil c = { .day = (int)(doy - (153 * mp + 2) / 5 + 1), .month = (int)(mp < 10 ? mp + 3 : mp - 9),
			   .hour = (int)(s / 3600), .min = (int)(s / 60 % 60), .sec = (int)(s % 60) };
	c.year = yoe + era * 400 + (c.month <= 2);
	return c;
}

/* v (0 to 9999) in decimal, in exactly width digits (leading zeros); returns the end. */
static char *put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

/* Copies s[0..n) to out like snprintf would (cut to cap - 1, terminated). */
static void put_out(const char *s, size_t n, char *out, size_t cap)
{
	if (!cap)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void clock_format_date(int64_t t, const char *lang, char *out, size_t cap)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct civil c = civil_of(t);
	char s[48], *p = s;
	if (lang && strcmp(lang, "en") == 0) {   /* 26 Nov 2026 */
		p = put_digits(p, c.day, c.day < 10 ? 1 : 2);
		*p++ = ' ';
		memcpy(p, months[c.month - 1], 3);
		p += 3;
		*p++ = ' ';
	} else {                                 /* 26.11.2026 */
		p = put_digits(p, c.day, 2);
		*p++ = '.';
		p = put_digits(p, c.month, 2);
		*p++ = '.';
	}
	p = put_digits(p, (int)c.year, 4);
	put_out(s, (size_t)(p - s), out, cap);
}

void clock_format_iso(int64_t t, char *out, size_t cap)
{
	struct civil c = civil_of(t);
	char s[48], *p = s;
	p = put_digits(p, (int)c.year, 4);
	*p++ = '-';
	p = put_digits(p, c.month, 2);
	*p++ = '-';
	p = put_digits(p, c.day, 2);
	*p++ = 'T';
	p = put_digits(p, c.hour, 2);
	*p++ = ':';
	p = put_digits(p, c.min, 2);
	*p++ = ':';
	p = put_digits(p, c.sec, 2);
	*p++ = 'Z';
	put_out(s, (size_t)(p - s), out, cap);
}

/* The n decimal digits at s as a number; -1 when one of them is not a digit
 * (the end of s included: nothing is read past it). */
static int get_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t clock_parse_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int y = get_digits(s, 4), m = get_digits(s + 5, 2), d = get_digits(s + 8, 2);
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	time_t t = timegm(&tm);
	struct tm back;
	gmtime_r(&t, &back);
	if (back.tm_mday != d)      /* 2023-02-30 and friends */
		return -1;
	return (int64_t)t;
}

int64_t clock_parse_iso(const char *s)
{
	if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z')
		return -1;
	int y = get_digits(s, 4), m = get_digits(s + 5, 2), d = get_digits(s + 8, 2);
	int hh = get_digits(s + 11, 2), mm = get_digits(s + 14, 2), ss = get_digits(s + 17, 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 ||
	    ss > 60)
		return -1;
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = hh, .tm_min = mm, .tm_sec = ss
	};
	return (int64_t)timegm(&tm);
}
