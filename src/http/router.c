#include "http/router.h"
#include "domain/user.h"
#include <string.h>

/* Matches one pattern against a path; captures {..} segments. */
static bool match_pattern(struct arena *a, const char *pat, const char *path, const char *params[4])
{
	int np = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (!close || n == 0 || n > 18 || np == 4)
				return false;
			for (size_t i = 0; i < n; i++)
				if (path[i] < '0' || path[i] > '9')
					return false;
			params[np++] = arena_strndup(a, path, n);
			pat = close + 1;
			path += n;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

enum match router_match(struct arena *a, const char *method, const char *path,
			const struct route **out, const char *params[4])
{
	enum match result = MATCH_NONE;
	for (size_t i = 0; i < routes_count; i++) {
		const char *tmp[4] = { 0 };
		if (!match_pattern(a, routes[i].pattern, path, tmp))
			continue;
		bool same = strcmp(routes[i].method, method) == 0 ||
			    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0);
		if (!same) {
			result = MATCH_METHOD;
			continue;
		}
		memcpy(params, tmp, sizeof tmp);
		*out = &routes[i];
		return MATCH_OK;
	}
	return result;
}

bool router_allows(const struct route *r, const char *role)
{
	if (r->roles == 0)
		return true;
	for (int i = 0; role && user_roles[i]; i++)
		if (strcmp(user_roles[i], role) == 0)
			return (r->roles & ROLE_BIT(i)) != 0;
	return false;
}
