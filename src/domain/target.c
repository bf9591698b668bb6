#include "domain/target.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct target_kind *const *known;

void target_kinds_init(const struct target_kind *const *kinds)
{
	known = kinds;
}

const struct target_kind *target_kind_find(const char *name)
{
	for (size_t i = 0; name && known && known[i] && i < TARGET_KINDS_MAX; i++)
		if (strcmp(known[i]->name, name) == 0)
			return known[i];
	return NULL;
}

void target_subject(const struct target_kind *kind, int64_t id, char *out, size_t cap)
{
	snprintf(out, cap, "%s:%" PRId64, kind->name, id);
}

bool target_parse_subject(const char *subject, const struct target_kind **kind, int64_t *id)
{
	const char *colon = subject ? strchr(subject, ':') : NULL;
	if (!colon || colon == subject || colon - subject >= 32)
		return false;
	char name[32];
	memcpy(name, subject, (size_t)(colon - subject));
	name[colon - subject] = '\0';
	const char *p = colon + 1;
	if (!*p || strlen(p) > 18)
		return false;
	int64_t v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	*kind = target_kind_find(name);
	*id = v;
	return *kind && v > 0;
}

int target_page(struct db *db, const struct target_kind *kind, int64_t id, const struct target_kind **page_kind,
		int64_t *page_id)
{
	*page_kind = kind;
	*page_id = id;
	if (!kind->page)
		return 1;
	int found = kind->page(db, id, page_kind, page_id);
	return found == 1 && !*page_kind ? -1 : found;   /* a kind this program does not know */
}

const char *target_routes(const struct target_kind *kind)
{
	return kind->routes ? kind->routes : kind->path;
}
