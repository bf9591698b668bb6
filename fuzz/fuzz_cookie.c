/* cookie_get on an arbitrary Cookie header (cut at the first NUL, as a C
 * string would be).
 *
 * Properties: a value found is a run of cookie-octets (no controls, blanks,
 * '"', ',', ';' or '\\'), appears verbatim in the header, and looking the
 * same name up twice gives the same answer. */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"
#include "core/cookie.h"

static const char *const names[] = { "unbox_session", "unbox_csrf", "a", "unbox_lang" };

static void check_value(const char *header, const char *v)
{
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c < 0x21 || *c == 0x7F || *c == '"' || *c == ',' || *c == ';' || *c == '\\')
			abort();
	if (!strstr(header, v))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1);
	if (!header)
		abort();
	memcpy(header, data, size);
	header[size] = '\0';
	struct arena *a = arena_new(0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = cookie_get(a, header, names[i]);
		const char *again = cookie_get(a, header, names[i]);
		if (!v != !again || (v && strcmp(v, again) != 0))
			abort();
		if (v)
			check_value(header, v);
	}
	if (cookie_get(a, NULL, "a") || cookie_get(a, header, NULL))
		abort();
	arena_free(a);
	free(header);
	return 0;
}
