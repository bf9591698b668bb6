/* The administration's start page, and people: the search, a person's page
 * with what was decided about them, a role changed with a reason
 * (domain/admin/people.c decides). */
#include "web/admin/handlers.h"
#include "core/jsonx.h"
#include "core/utf8.h"
#include "domain/admin/people.h"
#include "domain/user.h"
#include "web/admin/paging.h"
#include "web/handlers.h"
#include <inttypes.h>
#include <string.h>

/* The roles for a select: [{value, label, selected}]. */
static json_t *role_options(struct req *req, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; user_roles[i]; i++) {
		json_t *o = json_pack("{ss ss}", "value", user_roles[i], "label", role_label(req->lang, user_roles[i]));
		if (selected && strcmp(selected, user_roles[i]) == 0)
			jset(o, "selected", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

void page_admin_show(struct req *req, struct resp *resp)
{
	json_t *links = json_pack("[{ss ss ss} {ss ss ss} {ss ss ss} {ss ss ss} {ss ss ss}]",
		"url", "/admin/users", "label", T(req, N_("People and roles")),
		"hint", T(req, N_("Find people by name or e-mail address, change a role with a reason.")),
		"url", "/admin/audit", "label", T(req, N_("Moderation log")),
		"hint", T(req, N_("Every decision about content and people, the newest first.")),
		"url", "/admin/settings", "label", T(req, N_("Settings")),
		"hint", T(req, N_("The city's name and logo, how to reach the team.")),
		"url", "/texts", "label", T(req, N_("Texts of the information pages")),
		"hint", T(req, N_("Legal notice, privacy policy, accessibility statement, contact, the pages explaining un:box.")),
		"url", "/moderation", "label", T(req, N_("Moderation")),
		"hint", T(req, N_("Reported ideas and comments, blocked people.")));
	resp_page(resp, 200, "admin/home", N_("Administration"), json_pack("{so}", "links", links));
}

void page_people_list(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	struct people_filter f = { .q = kv_get(&req->query, "q"), .role = kv_get(&req->query, "role") };
	admin_paging(req, &fe, &f.before, &f.limit, PEOPLE_PAGE_DEFAULT, PEOPLE_PAGE_MAX);
	if (f.q && (!text_valid(f.q, false) || utf8_chars(f.q) > PEOPLE_QUERY_MAX))
		field_error(&fe, "q", "too_long");
	if (f.role && *f.role && !role_valid(f.role))
		field_error(&fe, "role", "invalid");
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL,
			   NULL);
		return;
	}
	char q[PEOPLE_QUERY_MAX * 4 + 1] = "";
	if (f.q)
		text_trim(f.q, q, sizeof q);
	f.q = q;
	json_t *page = people_search(req->db, req->lang, &f);
	if (!page) {
		resp_internal_error(req, resp);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(page, "items"), i, it) {
		jset_str(it, "url", arena_printf(req->arena, "/admin/users/%" JSON_INTEGER_FORMAT,
						 json_integer_value(json_object_get(it, "id"))));
		jset_str(it, "role_label", role_label(req->lang, json_string_value(json_object_get(it, "role"))));
	}
	json_t *next = json_object_get(page, "next");
	if (json_is_integer(next)) {
		struct buf b;
		buf_init(&b, 4096);
		buf_printf(&b, "%s/admin/users?before=%" JSON_INTEGER_FORMAT, req->json ? "/api/v1" : "",
			   json_integer_value(next));
		admin_query_arg(&b, "q", q);
		admin_query_arg(&b, "role", f.role);
		if (f.limit != PEOPLE_PAGE_DEFAULT)
			buf_printf(&b, "&limit=%d", f.limit);
		jset(page, "next", json_string(b.overflow ? "" : b.data));
		buf_free(&b);
	}
	jset_int(page, "max_limit", PEOPLE_PAGE_MAX);
	if (!req->json) {
		jset(page, "has_items", json_boolean(json_array_size(json_object_get(page, "items")) > 0));
		jset(page, "paged", json_boolean(f.before > 0));
		jset(page, "filter", json_pack("{ss}", "q", q));
		jset(page, "roles", role_options(req, f.role));
		jset(page, "filtered", json_boolean(*q || (f.role && *f.role)));
	}
	resp_page(resp, 200, "admin/people", N_("People and roles"), page);
}

/* The person's page: their facts, the role form (with the errors and the
 * typed reason when fe is given), the history. NULL with *found 0 or -1. */
static json_t *person_model(struct req *req, int64_t id, int *found)
{
	json_t *p;
	*found = people_get(req->db, req->lang, id, &p);
	if (*found != 1)
		return NULL;
	const char *role = json_string_value(json_object_get(p, "role"));
	jset_str(p, "role_label", role_label(req->lang, role));
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(p, "history"), i, h)
		jset_str(h, "action_label", page_audit_action_label(req, json_string_value(json_object_get(h, "action"))));
	if (req->json)
		return p;
	json_t *model = json_object();
	static const char *const fields[] = { "reason", NULL };
	form_model(req, model, fields);
	const char *typed_role = kv_get(&req->form, "role");
	jset(model, "roles", role_options(req, typed_role && role_valid(typed_role) ? typed_role : role));
	jset_str(model, "role_url", arena_printf(req->arena, "/admin/users/%" PRId64 "/role", id));
	bool self = id == req->session->user.id;
	jset(model, "self", json_boolean(self));
	if (!self)
		jset_str(model, json_is_true(json_object_get(p, "blocked")) ? "unblock_url" : "block_url",
			 arena_printf(req->arena, "/users/%" PRId64 "/%s", id,
				      json_is_true(json_object_get(p, "blocked")) ? "unblock" : "block"));
	jset_str(model, "back", arena_printf(req->arena, "/admin/users/%" PRId64, id));
	jset(model, "has_history", json_boolean(json_array_size(json_object_get(p, "history")) > 0));
	jset_int(model, "history_max", PEOPLE_HISTORY_MAX);
	jset_int(model, "reason_max", ROLE_REASON_MAX);
	jset(model, "changed", json_boolean(kv_get(&req->query, "changed") != NULL));
	jset(model, "person", p);
	return model;
}

void page_person_show(struct req *req, struct resp *resp)
{
	int found = 0;
	int64_t id = req_param_id(req, 0);
	json_t *model = id ? person_model(req, id, &found) : NULL;
	if (found < 0)
		resp_internal_error(req, resp);
	else if (!found)
		page_not_found(req, resp);
	else
		resp_page(resp, 200, "admin/person", N_("Person"), model);
}

void page_person_role_submit(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	const char *role = req_arg(req, "role");
	int rc = id ? people_set_role(req->db, id, role, req_arg(req, "reason"), req->session->user.id,
				      req->app->base_url, &fe)
		    : PEOPLE_NOT_FOUND;
	resp->title = N_("Person");
	switch (rc) {
	case PEOPLE_OK: {
		/* who gave the administrator role away has no more business here */
		bool self_out = id == req->session->user.id && strcmp(role, "admin") != 0;
		resp_redirect(resp, self_out ? "/" : arena_printf(req->arena, "/admin/users/%" PRId64 "?changed=1", id),
			      200, json_pack("{sI ss}", "id", (json_int_t)id, "role", role));
		return;
	}
	case PEOPLE_INVALID:
	case PEOPLE_LAST_ADMIN: {
		bool last = rc == PEOPLE_LAST_ADMIN;
		int found = 1;
		json_t *model = req->json ? NULL : person_model(req, id, &found);
		if (found != 1) {
			if (found < 0)
				resp_internal_error(req, resp);
			else
				page_not_found(req, resp);
			return;
		}
		resp_error(req, resp, last ? 409 : 422, last ? "last_admin" : "validation",
			   last ? N_("This is the only administrator who can log in. Give another person the administrator role first.")
				: N_("Please check the marked fields."),
			   last ? NULL : &fe, model ? "admin/person" : NULL, model);
		return;
	}
	case PEOPLE_NOT_FOUND:
		page_not_found(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}
