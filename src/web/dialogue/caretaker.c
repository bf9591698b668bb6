/* Caretakers ("Kümmerer"): the team assigns one per idea; each sees the
 * ideas they take care of and what waits for them. */
#include "web/dialogue/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_status.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void page_idea_caretaker_submit(struct req *req, struct resp *resp)
{
	static const char *const fields[] = { "caretaker", NULL };
	if (!req_known_fields(req, resp, fields))
		return;
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	const char *who = req_arg(req, "caretaker");
	int64_t caretaker = 0;
	if (who && *who) {
		char *end;
		caretaker = strtoll(who, &end, 10);
		if (*end || caretaker <= 0)
			caretaker = -1;
	}
	switch (caretaker_assign(req->db, id, req->session->user.id, caretaker, req->now, &fe)) {
	case STATUS_RC_OK: {
		/* HTML goes back to the idea's page; JSON gets the caretaker as stored */
		json_t *now_caring = NULL;
		if (req->json && caretaker_of(req->db, id, &now_caring) < 0) {
			resp_internal_error(req, resp);
			return;
		}
		json_t *model = json_object();
		jset_int(model, "id", id);
		if (now_caring)
			jset(model, "caretaker", now_caring);
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#idea-caretaker", id), 200, model);
		return;
	}
	case STATUS_RC_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case STATUS_RC_INVALID: {
		int found = idea_status_facts(req->db, id, NULL, NULL, NULL);
		if (found <= 0) {
			if (found < 0)
				resp_internal_error(req, resp);
			else
				page_not_found(req, resp);
			return;
		}
		page_idea_page_error(req, resp, id, 422, "validation",
				N_("Please choose a member of the un:box team as caretaker."), &fe);
		return;
	}
	}
	resp_internal_error(req, resp);
}

void page_caretaker_show(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	const char *before = kv_get(&req->query, "before");
	const char *limit_s = kv_get(&req->query, "limit");
	int64_t bt = 0, bid = 0;
	int limit = CARETAKER_PAGE_DEFAULT;
	if (before && *before && idea_cursor_parse(before, &bt, &bid) < 0)
		field_error(&fe, "before", "invalid");
	if (limit_s && *limit_s) {
		char *end;
		long n = strtol(limit_s, &end, 10);
		if (*end || n < 1 || n > CARETAKER_PAGE_MAX)
			field_error(&fe, "limit", "invalid");
		limit = (int)n;
	}
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL, NULL);
		return;
	}
	int64_t me = req->session->user.id;
	json_t *page = caretaker_ideas(req->db, req->lang, me, bt, bid, limit, req->now);
	json_t *waiting = page ? caretaker_waiting(req->db, req->lang, me, req->now) : NULL;
	if (!waiting) {
		json_decref(page);
		resp_internal_error(req, resp);
		return;
	}
	const char *next = json_string_value(json_object_get(page, "next"));
	json_t *next_url = json_null();
	if (next) {
		struct buf b;
		buf_init(&b, 256);
		buf_puts(&b, req->json ? "/api/v1/caretaker?" : "/caretaker?");
		if (limit != CARETAKER_PAGE_DEFAULT)
			buf_printf(&b, "limit=%d&", limit);
		buf_puts(&b, "before=");
		url_encode(&b, next, strlen(next));
		next_url = json_string(b.data);
		buf_free(&b);
	}
	json_t *model = json_object();
	jset(model, "items", json_incref(json_object_get(page, "items")));
	json_t *paging = json_object();
	jset_int(paging, "limit", limit);
	jset_int(paging, "max_limit", CARETAKER_PAGE_MAX);
	jset(paging, "next", next_url);
	jset(model, "paging", paging);
	jset(model, "waiting", waiting);
	if (!req->json) {
		jset(model, "has_items", json_boolean(json_array_size(json_object_get(page, "items")) > 0));
		jset(model, "has_waiting", json_boolean(json_array_size(json_object_get(waiting, "items")) > 0));
		jset(model, "paged", json_boolean(bt != 0));
	}
	json_decref(page);
	resp_page(resp, 200, "dialogue/caretaker", N_("My ideas"), model);
}
