/* Time: seconds since the epoch are what the database stores (portable
 * across SQLite and PostgreSQL); formatting happens only at the edge. */
#ifndef UNBOX_CLOCK_H
#define UNBOX_CLOCK_H
#include <stddef.h>
#include <stdint.h>

int64_t clock_now(void);        /* wall clock, seconds */
int64_t clock_mono_us(void);    /* monotonic, microseconds, for durations */
/* "26.11.2026" (de) or "26 Nov 2026" (en). */
void clock_format_date(int64_t t, const char *lang, char *out, size_t cap);
/* RFC 3339 UTC, "2026-11-26T07:29:09Z". */
void clock_format_iso(int64_t t, char *out, size_t cap);
/* Parses "YYYY-MM-DD" as midnight UTC; returns -1 when invalid. */
int64_t clock_parse_date(const char *s);
/* Parses clock_format_iso's "2026-11-26T07:29:09Z" (1970 or later) back to
 * seconds; returns -1 when it is not of that form. */
int64_t clock_parse_iso(const char *s);

#endif
