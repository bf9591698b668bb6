#include "domain/errors.h"
#include "core/utf8.h"
#include <string.h>

void field_error_limit(struct field_errors *fe, const char *field, const char *code, long limit, long count)
{
	if (field_error_for(fe, field) || fe->count == FIELD_ERRORS_MAX)
		return;      /* the first problem of a field is the one worth telling */
	fe->items[fe->count].field = field;
	fe->items[fe->count].code = code;
	fe->items[fe->count].limit = limit;
	fe->items[fe->count].count = count;
	fe->count++;
}

void field_error(struct field_errors *fe, const char *field, const char *code)
{
	field_error_limit(fe, field, code, 0, 0);
}

const char *field_error_for(const struct field_errors *fe, const char *field)
{
	for (size_t i = 0; i < fe->count; i++)
		if (strcmp(fe->items[i].field, field) == 0)
			return fe->items[i].code;
	return NULL;
}

int check_text(struct field_errors *fe, const char *field, const char *value,
	       size_t min, size_t max, int multiline)
{
	if (!value || value[strspn(value, " \t\r\n")] == '\0') {     /* blanks only count as empty */
		field_error(fe, field, "required");
		return 0;
	}
	if (!text_valid(value, multiline)) {
		field_error(fe, field, "invalid");
		return 0;
	}
	size_t n = utf8_chars(value);
	if (n < min) {
		field_error_limit(fe, field, "too_short", (long)min, (long)n);
		return 0;
	}
	if (n > max) {
		field_error_limit(fe, field, "too_long", (long)max, (long)n);
		return 0;
	}
	return 1;
}
