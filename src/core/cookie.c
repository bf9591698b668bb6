#include "core/cookie.h"
#include <string.h>

const char *cookie_get(struct arena *a, const char *header, const char *name)
{
	if (!header || !name)
		return NULL;
	size_t name_len = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *start = p;
		const char *end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		const char *eq = memchr(start, '=', (size_t)(end - start));
		if (eq) {
			const char *n_end = eq;
			while (n_end > start && (n_end[-1] == ' ' || n_end[-1] == '\t'))
				n_end--;
			if ((size_t)(n_end - start) == name_len && memcmp(start, name, name_len) == 0) {
				const char *v = eq + 1, *v_end = end;
				while (v < v_end && (*v == ' ' || *v == '\t'))
					v++;
				while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
					v_end--;
				if (v_end - v >= 2 && *v == '"' && v_end[-1] == '"') {
					v++;
					v_end--;
				}
				for (const char *c = v; c < v_end; c++) {
					unsigned char u = (unsigned char)*c;
					if (u < 0x21 || u == 0x7F || u == '"' || u == ',' || u == '\\')
						return NULL;
				}
				return arena_strndup(a, v, (size_t)(v_end - v));
			}
		}
		p = end;
	}
	return NULL;
}
