/* Search: GET /search?q=...[&scope=ideas|comments][&limit=N][&after=G-ID]
 * with the filters of the idea list (field, bezirk, zielbild, need, status,
 * cycle, phase): a form and the matching ideas or comments in the order of
 * src/domain/search.h. */
#include "web/dialogue/handlers.h"
#include "core/utf8.h"
#include "core/buf.h"
#include "core/escape.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/search.h"
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

static const char *const scopes[] = { "ideas", "comments" };

static json_t *page_url(struct req *req, const char *q, int scope, const struct idea_filter *f, long limit,
			const char *after)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, req->json ? "/api/v1/search?q=" : "/search?q=");
	url_encode(&b, q, strlen(q));
	if (scope != SEARCH_IDEAS)
		buf_printf(&b, "&scope=%s", scopes[scope]);
	page_ideas_filter_query(req, f, &b);
	if (limit != SEARCH_PAGE_DEFAULT)
		buf_printf(&b, "&limit=%ld", limit);
	if (after)
		buf_printf(&b, "&after=%s", after);     /* digits and '-' only */
	json_t *url = b.overflow ? json_null() : json_string(b.data);
	buf_free(&b);
	return url;
}

/* The form's fields as the page shows them: the filters are the shared selects (dialogue/idea_filter_fields) */
static const struct form_field search_form[] = {
	{ "q", N_("Search words"), 0, SEARCH_QUERY_MAX, NULL },
	{ "scope", N_("Search in"), 0, 0, "search-scope" },
	{ "field", N_("Innovation field"), 0, 0, "filter-field" },
	{ "bezirk", N_("City district"), 0, 0, "filter-bezirk" },
	{ "zielbild", N_("Zielbild"), 0, 0, "filter-zielbild" },
	{ "need", N_("Needs"), 0, 0, "filter-need" },
	{ "status", N_("Status"), 0, 0, "filter-status" },
	{ "cycle", N_("Cycle"), 0, 0, "filter-cycle" },
	{ "phase", N_("Current phase of the cycle"), 0, 0, "filter-phase" },
	{ "limit", N_("Results per page"), 0, 0, "q" },
	{ "after", N_("Page"), 0, 0, "q" },
	{ NULL, NULL, 0, 0, NULL },
};

void page_search_show(struct req *req, struct resp *resp)
{
	const char *q = kv_get(&req->query, "q");
	const char *scope_arg = kv_get(&req->query, "scope");
	struct field_errors fe = { 0 };
	struct idea_filter f = { 0 };
	const char *problem = q ? search_query_problem(q) : NULL;
	long limit = number_arg(req, "limit", SEARCH_PAGE_DEFAULT, 1, SEARCH_PAGE_MAX);
	const char *after_arg = kv_get(&req->query, "after");
	struct search_cursor after;
	bool paged = after_arg && *after_arg;
	int scope = SEARCH_IDEAS;
	if (problem)
		field_error_limit(&fe, "q", problem, strcmp(problem, "too_long") == 0 ? SEARCH_QUERY_MAX : 0,
				  strcmp(problem, "too_long") == 0 ? (long)utf8_chars(q) : 0);
	if (scope_arg && *scope_arg) {
		scope = strcmp(scope_arg, "comments") == 0 ? SEARCH_COMMENTS : strcmp(scope_arg, "ideas") == 0 ? SEARCH_IDEAS : -1;
		if (scope < 0) {
			field_error(&fe, "scope", "invalid");
			scope = SEARCH_IDEAS;
		}
	}
	if (page_ideas_filter_parse(req, &f, &fe) < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (limit < 0)
		field_error(&fe, "limit", "invalid");
	if (paged && search_cursor_parse(after_arg, &after) != 0)
		field_error(&fe, "after", "invalid");
	json_t *model = json_pack("{ss}", "query", !q || (problem && strcmp(problem, "invalid") == 0) ? "" : q);
	if (scope != SEARCH_IDEAS)
		json_object_set_new(model, "scope", json_string(scopes[scope]));
	if (!req->json) {
		if (page_ideas_filter_model(req, &f, model) < 0) {
			json_decref(model);
			resp_internal_error(req, resp);
			return;
		}
		json_object_set_new(model, scope == SEARCH_COMMENTS ? "scope_comments" : "scope_ideas", json_true());
		json_object_set_new(model, "input", form_input(req, NULL, search_form));
	}
	if (fe.count) {
		resp->title = N_("Search ideas");
		resp_error(req, resp, 400, "bad_query", N_("The search cannot be run with this query."), &fe,
			   "dialogue/search", model);
		return;
	}
	bool asked = q && q[strspn(q, " \t\r\n")];
	struct idea_where w;
	json_t *page = NULL;
	if (!asked)
		page = json_pack("{s[] sn}", "items", "next");
	else if (idea_where_resolve(req->db, &f, &w) == 0)
		page = search_run(req->db, req->lang, scope, q, &w, (int)limit, paged ? &after : NULL);
	int64_t total = !page ? -1 : asked ? search_count(req->db, scope, q, &w, IDEA_COUNT_CAP) : 0;   /* bounded */
	if (total < 0) {
		json_decref(page);
		page = NULL;
	}
	if (!page) {
		json_decref(model);
		resp_internal_error(req, resp);
		return;
	}
	json_object_set_new(model, "total", page_count_model(req, total, IDEA_COUNT_CAP));
	json_t *next = json_object_get(page, "next");
	json_object_set(model, "items", json_object_get(page, "items"));
	json_object_set_new(model, "paging", json_pack("{sI sI so}", "limit", (json_int_t)limit,
		"max_limit", (json_int_t)SEARCH_PAGE_MAX,
		"next", json_is_string(next) ? page_url(req, q, scope, &f, limit, json_string_value(next)) : json_null()));
	if (!req->json) {
		json_object_set_new(model, "asked", json_boolean(asked));
		paged = paged && asked;
		json_object_set_new(model, "pager", json_boolean(paged || json_array_size(json_object_get(page, "items"))));
		json_object_set_new(model, "paged", json_boolean(paged));
		if (paged)
			json_object_set_new(model, "first", page_url(req, q, scope, &f, limit, NULL));
		if (scope == SEARCH_COMMENTS)
			json_object_set(model, "comments", json_object_get(page, "items"));
	}
	json_decref(page);
	resp_page(resp, 200, "dialogue/search", N_("Search ideas"), model);
}
