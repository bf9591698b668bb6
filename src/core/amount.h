/* Amounts of money as people type them: "50000", "50.000", "50.000,00 €",
 * "€ 50,000", "50 000 EUR", "50.000,-". Grouping by dots, commas, spaces or
 * apostrophes (each group after the first of three digits); a decimal part
 * of one or two digits after the last dot or comma. */
#ifndef UNBOX_AMOUNT_H
#define UNBOX_AMOUNT_H
#include <stdint.h>

enum {
	AMOUNT_OK = 0,
	AMOUNT_INVALID = -1,   /* not an amount ("5.5.5", "50 Euro und 3", "") */
	AMOUNT_CENTS = -2,     /* an amount with cents that are not zero: not whole euros */
};

/* Reads whole euros from s (at most 15 digits) into *euros. */
int amount_parse_euros(const char *s, int64_t *euros);

#endif
