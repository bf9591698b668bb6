/* The paging of the administration's lists: ?before=ID (the cursor, ids
 * below it) and ?limit=N (1..max). */
#ifndef UNBOX_WEB_ADMIN_PAGING_H
#define UNBOX_WEB_ADMIN_PAGING_H
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/escape.h"
#include "web/req.h"

/* Reads before and limit from the query into *before (0 when absent) and
 * *limit (def when absent); field errors "before", "limit" when malformed. */
static inline void admin_paging(const struct req *req, struct field_errors *fe, int64_t *before, int *limit, int def,
				int max)
{
	const char *b = kv_get(&req->query, "before"), *l = kv_get(&req->query, "limit");
	char *end;
	*before = 0;
	*limit = def;
	if (b && *b) {
		*before = strtoll(b, &end, 10);
		if (*end || *before < 1 || strlen(b) > 18)
			field_error(fe, "before", "invalid");
	}
	if (l && *l) {
		long n = strtol(l, &end, 10);
		if (*end || n < 1 || n > max)
			field_error(fe, "limit", "invalid");
		else
			*limit = (int)n;
	}
}

/* Appends "&name=value" (the value URL-encoded) when value is not empty. */
static inline void admin_query_arg(struct buf *b, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_printf(b, "&%s=", name);
	url_encode(b, value, strlen(value));
}

#endif
