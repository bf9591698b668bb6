/* i18n_parse_po on an arbitrary catalogue (cut at the first NUL, as the
 * loader's buffer would be); the same text also goes to i18n_pick as an
 * Accept-Language header.
 *
 * Properties: no crash or leak; a failure sets an error message; parsing is
 * repeatable; an id that is not in the catalogue comes back unchanged; the
 * language picked is always a supported one. */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "web/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	const char *lang = size && (data[0] & 1) ? "en" : "de";
	char err[200] = "";
	int n = i18n_parse_po(lang, text, err, sizeof err);
	if (n < 0) {
		if (!err[0])
			abort();
	} else {
		const char *miss = "\x01 not a message id \x01";
		if (i18n_get(lang, miss) != miss || !i18n_get(lang, text))
			abort();
		if (i18n_parse_po(lang, text, err, sizeof err) != n)
			abort();
	}
	i18n_free();

	const char *pick = i18n_pick(NULL, text, "de");
	if (strcmp(pick, "de") != 0 && strcmp(pick, "en") != 0)
		abort();
	free(text);
	return 0;
}
