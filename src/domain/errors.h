/* Validation results: which input field is wrong and why, as stable codes
 * ("required", "too_long" ...). The web layer turns codes into sentences in
 * the reader's language; JSON clients get the codes and the sentences. */
#ifndef UNBOX_ERRORS_H
#define UNBOX_ERRORS_H
#include <stddef.h>

#define FIELD_ERRORS_MAX 16

struct field_errors {
	size_t count;
	struct {
		const char *field, *code;
		long limit;       /* the bound broken ("too_long": the most, "too_short": the fewest characters); 0: none */
		long count;       /* how many characters there were, with limit */
	} items[FIELD_ERRORS_MAX];
};

void field_error(struct field_errors *fe, const char *field, const char *code);
/* The same, with the bound the value broke and its size, so the page can say
 * "at most 20,000 characters; there are 90,000 now". */
void field_error_limit(struct field_errors *fe, const char *field, const char *code, long limit, long count);
const char *field_error_for(const struct field_errors *fe, const char *field);

/* Checks a required single-line or multiline text against [min,max] characters;
 * records "required", "too_short", "too_long" (with the bound and the count) or
 * "invalid". Returns 1 if ok. */
int check_text(struct field_errors *fe, const char *field, const char *value,
	       size_t min, size_t max, int multiline);

#endif
