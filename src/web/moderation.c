/* Moderation: reporting any target (an idea, a comment …; the route names
 * its kind), the team's queue, hiding and unhiding with a public reason,
 * "no violation", blocking people. The domain (domain/moderation.c) decides;
 * these handlers translate. HTML gets 303 back to where the form was, JSON
 * the new state. */
#include "web/handlers.h"
#include "core/jsonx.h"
#include "domain/comment.h"
#include "domain/moderation.h"
#include "domain/user.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const struct page_target page_comment = { .kind = &comment_target };

const struct form_field page_moderation_form[] = {
	{ "reason", N_("Reason"), MODERATION_REASON_MIN, MODERATION_REASON_MAX, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

static bool is_admin(const struct req *req)
{
	return req->session && strcmp(req->session->user.role, "admin") == 0;
}

/* Where the target shows (its kind's ref: an idea's page, a comment's place
 * on it); "/" when it has none, NULL when the database failed. */
static const char *item_url(struct req *req, const struct target_kind *kind, int64_t id)
{
	json_t *ref;
	int found = kind->ref ? kind->ref(req->db, id, &ref) : 0;
	if (found < 0)
		return NULL;
	const char *url = found ? json_string_value(json_object_get(ref, "url")) : NULL;
	url = arena_strdup(req->arena, url ? url : "/");
	json_decref(found ? ref : NULL);
	return url;
}

/* ---- the page of a target ---- */

bool page_moderation_view(struct req *req, const struct page_target *t, json_t **itemp, bool *failed)
{
	json_t *item = *itemp;
	*failed = false;
	int64_t id = json_integer_value(json_object_get(item, "id"));
	bool hidden = json_is_true(json_object_get(item, "hidden"));   /* read with the target */
	if (hidden && !req_is_team(req)) {   /* the title and the public reason only */
		json_t *o = json_object();
		static const char *const kept[] = { "id", "url", "title", "hidden", "hidden_reason", "hidden_text" };
		for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
			jset(o, kept[i], json_incref(json_object_get(item, kept[i])));
		jset(o, "content_hidden", json_true());
		json_decref(item);
		*itemp = o;
		return true;
	}
	if (!req->session) {   /* anonymous pages are cached: no forms on them */
		jset(item, "moderation", json_null());
		return false;
	}
	json_t *m = json_object();
	jset_str(m, "key", arena_printf(req->arena, "%s-%" PRId64, t->kind->name, id));
	if (!hidden) {
		int reported = moderation_reported(req->db, t->kind, id, req->session->user.id);
		if (reported < 0)
			*failed = true;
		else if (reported)
			jset(m, "reported", json_true());
		else
			jset_str(m, "report_url", arena_printf(req->arena, "%s%" PRId64 "/report", target_routes(t->kind), id));
	}
	if (req_is_team(req))
		jset_str(m, hidden ? "unhide_url" : "hide_url", arena_printf(req->arena, "%s%" PRId64 "/%s", target_routes(t->kind), id,
									    hidden ? "unhide" : "hide"));
	jset(m, "input", form_input(req, NULL, page_moderation_form));   /* the bounds its forms state */
	jset(item, "moderation", m);
	return false;
}

/* The form again on its own page (HTML), with the errors and the typed
 * reason, or the error (JSON). */
static void form_page_error(struct req *req, struct resp *resp, int64_t id, bool hide, const struct field_errors *fe)
{
	const struct page_target *t = req->target;
	json_t *model = NULL;
	if (!req->json) {
		const char *back = item_url(req, t->kind, id);
		if (!back) {
			resp_internal_error(req, resp);
			return;
		}
		json_t *m = json_object();
		jset_str(m, "key", arena_printf(req->arena, "%s-%" PRId64, t->kind->name, id));
		jset_str(m, hide ? "hide_url" : "report_url",
			 arena_printf(req->arena, "%s%" PRId64 "/%s", target_routes(t->kind), id, hide ? "hide" : "report"));
		jset(m, "report_page", json_true());
		jset_str(m, "heading", T(req, hide ? N_("Hide with a public reason") : N_("Report content")));
		jset_str(m, "item_url", back);
		const char *typed = req_arg(req, "reason");
		jset_str(m, "typed_reason", typed ? typed : "");
		/* the summary of errors links to this form's own field */
		json_t *input = form_input(req, NULL, page_moderation_form);
		jset_str(json_object_get(input, "reason"), "id",
			 arena_printf(req->arena, "%s-%s-%" PRId64, hide ? "hide" : "report", t->kind->name, id));
		const char *next = req_local_path(req_arg(req, "next"), NULL);
		if (next)
			jset_str(m, "next", next);
		model = json_object();
		jset(model, "moderation", m);
		jset(model, "input", input);
		resp->title = hide ? N_("Hide with a public reason") : N_("Report content");
	}
	resp_error(req, resp, 422, "validation", N_("Please check the reason."), fe, model ? "report_form" : NULL, model);
}

/* ---- reports ---- */

void page_report_submit(struct req *req, struct resp *resp)
{
	const struct page_target *t = req->target;
	int64_t id = req_param_id(req, 0), report_id = 0;
	struct field_errors fe = { 0 };
	int rc = id ? moderation_report(req->db, t->kind, id, req->session->user.id, req_arg(req, "reason"), req->now,
					&fe, &report_id)
		    : MOD_NOT_FOUND;
	switch (rc) {
	case MOD_OK: {
		const char *back = item_url(req, t->kind, id);
		if (!back)
			break;
		json_t *model = json_object();
		jset_int(model, "id", report_id);
		jset_str(model, "status", "open");
		jset_str(model, "message", T(req, N_("Thank you. The un:box team will look at your report.")));
		/* the page thanks the reporter where the content is and says what
		 * happens next (?reported=<kind>-<id>, before the fragment) */
		const char *hash = strchr(back, '#');
		const char *key = arena_printf(req->arena, "reported=%s-%" PRId64, t->kind->name, id);
		resp_redirect(resp, hash ? arena_printf(req->arena, "%.*s?%s%s", (int)(hash - back), back, key, hash)
					 : arena_printf(req->arena, "%s?%s", back, key), 201, model);
		return;
	}
	case MOD_INVALID:
		form_page_error(req, resp, id, false, &fe);
		return;
	case MOD_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case MOD_DUPLICATE:
		resp_error(req, resp, 409, "already_reported",
			   N_("You have reported this already. The un:box team will look at it."), NULL, NULL, NULL);
		return;
	case MOD_HIDDEN:
		resp_error(req, resp, 409, "already_hidden", N_("This has been hidden by the moderation already."),
			   NULL, NULL, NULL);
		return;
	case MOD_MERGED:         /* nobody sees a merged target any more */
		if (t->refuse_merged && t->refuse_merged(req, resp, id))
			return;
		resp_error(req, resp, 409, "merged", N_("This has been merged into another page. Please continue there."),
			   NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

/* ---- hiding ---- */

static void hide(struct req *req, struct resp *resp, bool on)
{
	const struct page_target *t = req->target;
	int64_t id = req_param_id(req, 0), page_id = 0;
	const struct target_kind *page_kind = NULL;
	struct field_errors fe = { 0 };
	const char *reason = req_arg(req, "reason");
	int rc = !id ? MOD_NOT_FOUND
		 : on ? moderation_hide(req->db, t->kind, id, req->session->user.id, reason, req->now, &fe, &page_kind,
					&page_id)
		      : moderation_unhide(req->db, t->kind, id, req->session->user.id, req->now, &page_kind, &page_id);
	switch (rc) {
	case MOD_OK: {
		const char *back = item_url(req, t->kind, id);
		if (!back)
			break;
		json_t *model = json_object();
		jset_int(model, "id", id);
		jset(model, "hidden", json_boolean(on));
		if (on) {
			jset_str(model, "hidden_reason", reason);
			char *text = moderation_hidden_text(req->lang, reason);
			jset(model, "hidden_text", json_string(text ? text : ""));
			free(text);
		}
		resp_redirect(resp, req_local_path(req_arg(req, "next"), back), 200, model);
		return;
	}
	case MOD_INVALID:
		form_page_error(req, resp, id, true, &fe);
		return;
	case MOD_NOT_FOUND:
		page_not_found(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}

void page_hide_submit(struct req *req, struct resp *resp) { hide(req, resp, true); }
void page_unhide_submit(struct req *req, struct resp *resp) { hide(req, resp, false); }

/* ---- the queue ---- */

void page_report_resolve(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int rc = id ? moderation_resolve(req->db, id, req->session->user.id, req->now) : MOD_NOT_FOUND;
	if (rc == MOD_NOT_FOUND) {
		page_not_found(req, resp);
		return;
	}
	if (rc != MOD_OK) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_object();
	jset_int(model, "id", id);
	jset_str(model, "outcome", "kept");
	resp_redirect(resp, "/moderation", 200, model);
}

void page_moderation_show(struct req *req, struct resp *resp)
{
	int64_t after = 0;
	int limit = MODERATION_PAGE_DEFAULT;
	const char *a = kv_get(&req->query, "after"), *l = kv_get(&req->query, "limit");
	struct field_errors fe = { 0 };
	if (a && *a) {
		char *end;
		after = strtoll(a, &end, 10);
		if (*end || after < 1)
			field_error(&fe, "after", "invalid");
	}
	if (l && *l) {
		char *end;
		long n = strtol(l, &end, 10);
		if (*end || n < 1 || n > MODERATION_PAGE_MAX)
			field_error(&fe, "limit", "invalid");
		limit = (int)n;
	}
	if (fe.count) {
		resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL,
			   NULL);
		return;
	}
	json_t *page = moderation_queue(req->db, req->lang, after, limit);
	json_t *blocked = page ? moderation_blocked_list(req->db, req->lang) : NULL;
	if (!blocked) {
		json_decref(page);
		resp_internal_error(req, resp);
		return;
	}
	const char *next = json_string_value(json_object_get(page, "next"));
	json_t *model = json_object();
	json_t *items = json_incref(json_object_get(page, "items"));
	bool admin = is_admin(req);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {   /* the forms' targets */
		int64_t rid = json_integer_value(json_object_get(it, "report_id"));
		const char *kind = json_string_value(json_object_get(it, "kind"));
		json_int_t target = json_integer_value(json_object_get(json_object_get(it, "target"), "id"));
		bool comment = strcmp(kind, "comment") == 0;
		jset(it, "is_comment", json_boolean(comment));
		jset_str(it, "resolve_url", arena_printf(req->arena, "/moderation/reports/%" PRId64 "/resolve", rid));
		const struct target_kind *k = target_kind_find(kind);
		const char *base = k ? target_routes(k) : NULL;
		if (base && !json_is_true(json_object_get(it, "hidden")))
			jset_str(it, "hide_url", arena_printf(req->arena, "%s%" JSON_INTEGER_FORMAT "/hide", base, target));
		jset_str(it, "key", arena_printf(req->arena, "q%" PRId64, rid));
		json_t *author = json_object_get(it, "author");
		if (json_is_object(author)) {
			const char *role = json_string_value(json_object_get(author, "role"));
			int64_t uid = json_integer_value(json_object_get(author, "id"));
			bool staff = role_is_team(role);
			if (uid != req->session->user.id && (!staff || admin) &&
			    !json_is_true(json_object_get(author, "blocked")))
				jset_str(author, "block_url", arena_printf(req->arena, "/users/%" PRId64 "/block", uid));
			const char *name = json_string_value(json_object_get(author, "name"));
			if (uid && name && *name)   /* a deleted account has no page */
				jset_str(author, "url", arena_printf(req->arena, "/users/%" PRId64, uid));
		}
	}
	jset(model, "items", items);
	jset(model, "has_items", json_boolean(json_array_size(items) > 0));
	jset(model, "paging", json_pack("{si si so}", "limit", limit, "max_limit", MODERATION_PAGE_MAX, "next",
					next ? json_string(arena_printf(req->arena, "%s/moderation?%safter=%s",
									req->json ? "/api/v1" : "",
									limit != MODERATION_PAGE_DEFAULT
										? arena_printf(req->arena, "limit=%d&", limit)
										: "", next))
					     : json_null()));
	jset(model, "paged", json_boolean(after != 0));
	json_decref(page);
	json_array_foreach(blocked, i, it) {
		int64_t uid = (int64_t)json_integer_value(json_object_get(it, "id"));
		jset_str(it, "unblock_url", arena_printf(req->arena, "/users/%" PRId64 "/unblock", uid));
		jset_str(it, "url", arena_printf(req->arena, "/users/%" PRId64, uid));
	}
	jset(model, "has_blocked", json_boolean(json_array_size(blocked) > 0));
	jset(model, "blocked", blocked);
	jset_int(model, "blocked_max", MODERATION_BLOCKED_MAX);
	if (!req->json)
		jset(model, "input", form_input(req, NULL, page_moderation_form));
	resp_page(resp, 200, "moderation", N_("Moderation"), model);
}

/* ---- blocking ---- */

static void block(struct req *req, struct resp *resp, bool on)
{
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	const char *reason = req_arg(req, "reason");
	int rc = id ? moderation_block(req->db, id, req->session->user.id, is_admin(req), on, reason, req->now, &fe)
		    : MOD_NOT_FOUND;
	switch (rc) {
	case MOD_OK: {
		json_t *model = json_object();
		jset_int(model, "id", id);
		jset(model, "blocked", json_boolean(on));
		jset_str(model, "reason", reason);
		resp_redirect(resp, req_local_path(req_arg(req, "next"), arena_printf(req->arena, "/users/%" PRId64, id)),
			      200, model);
		return;
	}
	case MOD_INVALID:   /* the person's page with the form, the error and what was typed */
		page_user_error(req, resp, id, 422, "validation",
				on ? N_("Please say why you block this person: 10 to 1000 characters. The reason goes into the audit log, and the person is told it when they try to log in.")
				   : N_("Please say why you unblock this person: 10 to 1000 characters. The reason goes into the audit log."), &fe);
		return;
	case MOD_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case MOD_FORBIDDEN:
		resp_error(req, resp, 403, "forbidden",
			   id == req->session->user.id ? N_("You cannot block yourself.")
						       : N_("Only an administrator can block members of the team."),
			   NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

void page_user_block(struct req *req, struct resp *resp) { block(req, resp, true); }
void page_user_unblock(struct req *req, struct resp *resp) { block(req, resp, false); }
