/* Search: GET /search?q=...[&limit=N][&offset=N], a form and the matching
 * ideas in the order of src/domain/search.h. */
#include "web/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "domain/search.h"
#include <stdlib.h>
#include <string.h>

/* A number in min..max from the query string; def when absent, -1 when bad. */
static long number_arg(struct req *req, const char *name, long def, long min, long max)
{
	const char *s = kv_get(&req->query, name);
	if (!s || !*s)
		return def;
	char *end;
	long n = strtol(s, &end, 10);
	return *end || n < min || n > max || strlen(s) > 9 ? -1 : n;
}

static json_t *page_url(struct req *req, const char *q, long limit, long offset)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, req->json ? "/api/v1/search?q=" : "/search?q=");
	url_encode(&b, q, strlen(q));
	if (limit != SEARCH_PAGE_DEFAULT)
		buf_printf(&b, "&limit=%ld", limit);
	if (offset)
		buf_printf(&b, "&offset=%ld", offset);
	json_t *url = b.overflow ? json_null() : json_string(b.data);
	buf_free(&b);
	return url;
}

void search_show(struct req *req, struct resp *resp)
{
	const char *q = kv_get(&req->query, "q");
	struct field_errors fe = { 0 };
	const char *problem = q ? search_query_problem(q) : NULL;
	long limit = number_arg(req, "limit", SEARCH_PAGE_DEFAULT, 1, SEARCH_PAGE_MAX);
	long offset = number_arg(req, "offset", 0, 0, SEARCH_OFFSET_MAX);
	if (problem)
		field_error(&fe, "q", problem);
	if (limit < 0)
		field_error(&fe, "limit", "invalid");
	if (offset < 0)
		field_error(&fe, "offset", "invalid");
	json_t *model = json_pack("{ss}", "query", !q || (problem && strcmp(problem, "invalid") == 0) ? "" : q);
	if (fe.count) {
		resp->title = N_("Search ideas");
		resp_error(req, resp, 400, "bad_query", N_("The search cannot be run with this query."), &fe,
			   "search", model);
		return;
	}
	bool asked = q && q[strspn(q, " \t\r\n")];
	json_t *page = asked ? search_ideas(req->db, req->lang, q, (int)limit, (int)offset)
			     : json_pack("{s[] sn}", "items", "next");
	if (!page) {
		json_decref(model);
		resp_error(req, resp, 500, "internal", N_("Something went wrong on our side. Please try again."),
			   NULL, NULL, NULL);
		return;
	}
	json_t *next = json_object_get(page, "next");
	json_object_set(model, "items", json_object_get(page, "items"));
	json_object_set_new(model, "paging", json_pack("{sI sI sI so}", "limit", (json_int_t)limit,
		"max_limit", (json_int_t)SEARCH_PAGE_MAX, "offset", (json_int_t)offset,
		"next", json_is_integer(next) ? page_url(req, q, limit, json_integer_value(next)) : json_null()));
	if (!req->json) {
		json_object_set_new(model, "asked", json_boolean(asked));
		bool paged = asked && offset > 0;
		json_object_set_new(model, "pager", json_boolean(paged || json_array_size(json_object_get(page, "items"))));
		json_object_set_new(model, "paged", json_boolean(paged));
		if (paged)
			json_object_set_new(model, "first", page_url(req, q, limit, 0));
	}
	json_decref(page);
	resp_page(resp, 200, "search", N_("Search ideas"), model);
}
