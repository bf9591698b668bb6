/* Comments on any target: the comment section of its page, the list of its
 * threads, all replies of one thread, writing, editing and deleting. The
 * route names the kind of target (req->target); the domain
 * (domain/comment.c) decides; these handlers translate. */
#include "web/handlers.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/jsonx.h"
#include "domain/comment.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const comment_fields[] = { "body", "parent", NULL };

static const struct form_field comment_form[] = {
	{ "body", N_("Your comment"), 1, COMMENT_BODY_MAX, NULL },
	{ "parent", N_("Your reply"), 0, 0, "body" },
	{ NULL, NULL, 0, 0, NULL },
};

json_t *page_comments_input(struct req *req)
{
	return form_input(req, form_input(req, NULL, comment_form), page_moderation_form);
}

static struct comment_viewer viewer(const struct req *req)
{
	struct comment_viewer v = { .now = req->now };
	if (req->session) {
		v.user_id = req->session->user.id;
		v.staff = req_is_team(req);
	}
	return v;
}

static const char *api(const struct req *req)
{
	return req->json ? "/api/v1" : "";
}

/* A limit from the query: def when absent, -1 when not a number in 1..max. */
static int query_limit(const struct req *req, int def, int max)
{
	const char *s = kv_get(&req->query, "limit");
	if (!s || !*s)
		return def;
	char *end;
	long n = strtol(s, &end, 10);
	return *end || n < 1 || n > max ? -1 : (int)n;
}

static void bad_paging(struct req *req, struct resp *resp, const char *field)
{
	struct field_errors fe = { 0 };
	field_error(&fe, field, "invalid");
	resp_error(req, resp, 400, "bad_filter", N_("The list cannot be shown with these filters."), &fe, NULL, NULL);
}

/* Why a target in this state takes no new comments (a msgid), or NULL
 * when it takes them. */
static const char *closed_message(int state)
{
	return state == TARGET_HIDDEN ? N_("This has been hidden by the moderation and takes no new comments.")
		: state == TARGET_CLOSED ? N_("This has been closed and takes no new comments.")
		: state == TARGET_MERGED ? N_("This has been merged into another page. Please continue there.")
		: NULL;
}

/* Adds closed (and closed_text when it is) to a model of the comment
 * section: whether the target takes new comments. 0, or -1 when the
 * database failed. */
static int closed_model(struct req *req, const struct target_kind *kind, int64_t id, json_t *s)
{
	int state = kind->state(req->db, id, false);
	if (state < 0)
		return -1;
	const char *why = closed_message(state);
	json_object_set_new(s, "closed", json_boolean(why != NULL));
	if (why)
		json_object_set_new(s, "closed_text", json_string(T(req, why)));
	return 0;
}

/* The comment section of a target (first page, or after a cursor): threads,
 * paging and, for a logged-in visitor, what the forms need. Anonymous
 * visitors get no CSRF token: target pages are page-cached for them. 1 with
 * *out, 0 (no such target) or -1. */
static int section(struct req *req, const struct target_kind *kind, int64_t id, int64_t before, int limit,
		   json_t **out)
{
	struct comment_viewer v = viewer(req);
	v.page = !req->json;
	json_t *page;
	int found = comment_threads(req->db, req->lang, kind, id, &v, before, limit, &page);
	*out = NULL;
	if (found <= 0)
		return found;
	const char *next = json_string_value(json_object_get(page, "next"));
	json_int_t lim = json_integer_value(json_object_get(page, "limit"));
	const char *base = arena_printf(req->arena, "%s%" PRId64, kind->path, id);   /* the target's page */
	json_t *s = json_object();
	json_object_set_new(s, arena_printf(req->arena, "%s_id", kind->name), json_integer(id));
	json_object_set(s, "count", json_object_get(page, "count"));
	json_object_set(s, "items", json_object_get(page, "items"));
	json_object_set_new(s, "paging", json_pack("{sI sI so}", "limit", lim, "max_limit", (json_int_t)COMMENT_THREADS_MAX,
		"next", next ? json_string(arena_printf(req->arena, "%s%s/comments?%sbefore=%s", api(req), base,
			lim != COMMENT_THREADS_PAGE ? arena_printf(req->arena, "limit=%d&", (int)lim) : "", next))
			     : json_null()));
	json_object_set_new(s, "url", json_string(arena_printf(req->arena, "%s/comments", base)));
	json_object_set_new(s, "post_url", json_string(arena_printf(req->arena, "%s/comments", base)));
	json_object_set_new(s, "first_page", json_boolean(before == 0));
	json_object_set_new(s, "replies_shown", json_integer(COMMENT_REPLIES_SHOWN));
	json_object_set_new(s, "has_items", json_boolean(json_array_size(json_object_get(s, "items")) > 0));
	json_object_set_new(s, "logged_in", json_boolean(req->session != NULL));
	if (!req->session)
		json_object_set_new(s, "login_url", json_string(arena_printf(req->arena, "/login?next=%s%%23comments", base)));
	if (!req->json)   /* the bounds the forms state */
		json_object_set_new(s, "input", page_comments_input(req));
	json_decref(page);
	if (closed_model(req, kind, id, s) < 0) {
		json_decref(s);
		return -1;
	}
	*out = s;
	return 1;
}

json_t *page_comments_section(struct req *req, const struct target_kind *kind, int64_t id)
{
	json_t *s;
	return section(req, kind, id, 0, COMMENT_THREADS_PAGE, &s) == 1 ? s : NULL;
}

/* The model of a page about a target: the target's {kind, id, title, url}
 * as "target", and under its kind's name ("idea") as the JSON always had
 * it. 1, 0 (no such target) or -1. */
static int target_model(struct req *req, const struct target_kind *kind, int64_t id, json_t *model)
{
	json_t *ref;
	int found = kind->ref ? kind->ref(req->db, id, &ref) : 0;
	if (found != 1)
		return found;
	jset_str(ref, "kind", kind->name);
	json_object_set(model, kind->name, ref);
	json_object_set_new(model, "target", ref);
	return 1;
}

/* The list page, also what a failed post shows again with the typed text
 * (status, code and message of the error; fe may be empty). */
static void list_page(struct req *req, struct resp *resp, int64_t id, int64_t before, int limit, int status,
		      const char *code, const char *message, const struct field_errors *fe)
{
	const struct target_kind *kind = req->target->kind;
	json_t *model = json_object(), *s = NULL;
	int found = target_model(req, kind, id, model);
	if (found == 1)
		found = section(req, kind, id, before, limit, &s);
	if (found <= 0) {
		json_decref(model);
		if (found < 0)
			resp_internal_error(req, resp);
		else
			page_not_found(req, resp);
		return;
	}
	json_object_set(s, kind->name, json_object_get(model, kind->name));
	json_object_set(s, "target", json_object_get(model, "target"));
	if (fe) {
		json_t *typed = json_object();
		form_model(req, typed, comment_fields);   /* the typed values, under a name no other form uses */
		json_object_set(s, "typed", json_object_get(typed, "form"));
		json_decref(typed);
		json_object_set_new(model, "comments", s);
		json_object_set_new(model, "input", page_comments_input(req));   /* the summary names the fields */
		resp->title = N_("Comments");
		resp_error(req, resp, status, code, message, fe, "comment_list", model);
		return;
	}
	if (req->json) {
		json_decref(model);
		resp_page(resp, 200, NULL, NULL, s);
		return;
	}
	json_object_set_new(model, "comments", s);
	resp_page(resp, 200, "comment_list", N_("Comments"), model);
}

void page_comments_list(struct req *req, struct resp *resp)
{
	int64_t id = 0;
	const char *before = kv_get(&req->query, "before");
	if (before && *before && comment_cursor_parse(before, &id) < 0) {
		bad_paging(req, resp, "before");
		return;
	}
	int limit = query_limit(req, COMMENT_THREADS_PAGE, COMMENT_THREADS_MAX);
	if (limit < 0) {
		bad_paging(req, resp, "limit");
		return;
	}
	list_page(req, resp, req_param_id(req, 0), id, limit, 200, NULL, NULL, NULL);
}

void page_comment_create(struct req *req, struct resp *resp)
{
	if (!req_known_fields(req, resp, comment_fields))
		return;
	const struct target_kind *kind = req->target->kind;
	int64_t target_id = req_param_id(req, 0);
	const char *parent = req_arg(req, "parent");
	int64_t parent_id = 0;
	struct field_errors fe = { 0 };
	if (parent && *parent) {
		char *end;
		parent_id = strtoll(parent, &end, 10);
		if (*end || parent_id <= 0) {
			field_error(&fe, "parent", "invalid");
			comment_validate(req_arg(req, "body"), &fe);
		}
	}
	struct comment_added added;
	int rc = fe.count ? COMMENT_INVALID
			  : comment_add(req->db, kind, target_id, req->session->user.id, parent_id, req_arg(req, "body"),
					req->now, &fe, &added);
	switch (rc) {
	case COMMENT_OK: {
		struct comment_viewer v = viewer(req);   /* the comment is the answer in JSON; a page goes to it */
		json_t *c = NULL;
		if (req->json && comment_get(req->db, req->lang, added.id, &v, &c) < 0) {
			resp_internal_error(req, resp);
			return;
		}
		resp_redirect(resp, arena_printf(req->arena, "%s%" PRId64 "#comment-%" PRId64, kind->path, target_id,
						 added.id), 201, c);
		return;
	}
	case COMMENT_INVALID:     /* shown again with the typed text (404 when there is no such target) */
		list_page(req, resp, target_id, 0, COMMENT_THREADS_PAGE, 422, "validation", N_("Please check your comment."),
			  &fe);
		return;
	case COMMENT_HIDDEN:      /* the page says why; the typed text is shown to copy */
	case COMMENT_CLOSED:
		list_page(req, resp, target_id, 0, COMMENT_THREADS_PAGE, 409, rc == COMMENT_HIDDEN ? "hidden" : "closed",
			  closed_message(rc == COMMENT_HIDDEN ? TARGET_HIDDEN : TARGET_CLOSED), &fe);
		return;
	case COMMENT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case COMMENT_MERGED:      /* its threads moved to the target it was merged into */
		if (req->target->refuse_merged && req->target->refuse_merged(req, resp, target_id))
			return;
		resp_error(req, resp, 409, "merged", N_("This has been merged into another page. Please continue there."),
			   NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

static void comment_problem(struct req *req, struct resp *resp, int rc)
{
	switch (rc) {
	case COMMENT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case COMMENT_FORBIDDEN:
		resp_error(req, resp, 403, "forbidden", N_("Only the author can change this comment."), NULL, NULL, NULL);
		return;
	case COMMENT_TOO_LATE:
		resp_error(req, resp, 403, "edit_window_closed",
			   N_("Comments can only be edited within 15 minutes of posting. You can still delete it."),
			   NULL, NULL, NULL);
		return;
	case COMMENT_DELETED:
		resp_error(req, resp, 409, "deleted", N_("This comment has been deleted."), NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

void page_comment_replies_show(struct req *req, struct resp *resp)
{
	int64_t id = 0;
	const char *after = kv_get(&req->query, "after");
	if (after && *after && comment_cursor_parse(after, &id) < 0) {
		bad_paging(req, resp, "after");
		return;
	}
	int limit = query_limit(req, COMMENT_REPLIES_PAGE, COMMENT_REPLIES_MAX);
	if (limit < 0) {
		bad_paging(req, resp, "limit");
		return;
	}
	struct comment_viewer v = viewer(req);
	json_t *page;
	int64_t comment_id = req_param_id(req, 0), target_id = 0;
	const struct target_kind *kind = NULL;
	int found = comment_replies(req->db, req->lang, comment_id, &v, id, limit, &page);
	if (found == 1 && (found = comment_target_of(req->db, comment_id, &kind, &target_id)) == 1 && !kind)
		found = -1;   /* a kind this program does not know */
	json_t *model = json_object();
	if (found == 1 && target_model(req, kind, target_id, model) < 0)
		found = -1;
	if (found <= 0) {
		json_decref(page);
		json_decref(model);
		if (found < 0)
			resp_internal_error(req, resp);
		else
			page_not_found(req, resp);
		return;
	}
	json_t *thread = json_object_get(page, "thread");
	json_int_t thread_id = json_integer_value(json_object_get(thread, "id"));
	const char *next = json_string_value(json_object_get(page, "next"));
	json_int_t lim = json_integer_value(json_object_get(page, "limit"));
	if (!json_object_get(model, "target"))
		json_object_set_new(model, kind->name, json_null());
	json_object_set(model, "thread", thread);
	json_object_set(model, "items", json_object_get(page, "items"));
	json_object_set_new(model, "paging", json_pack("{sI sI so}", "limit", lim, "max_limit",
		(json_int_t)COMMENT_REPLIES_MAX, "next", next ? json_string(arena_printf(req->arena,
			"%s/comments/%" JSON_INTEGER_FORMAT "/replies?%safter=%s", api(req), thread_id,
			lim != COMMENT_REPLIES_PAGE ? arena_printf(req->arena, "limit=%d&", (int)lim) : "", next))
			: json_null()));
	json_object_set_new(model, "first_page", json_boolean(id == 0));
	json_object_set_new(model, "has_items", json_boolean(json_array_size(json_object_get(model, "items")) > 0));
	json_object_set_new(model, "url", json_string(arena_printf(req->arena, "/comments/%" JSON_INTEGER_FORMAT
								      "/replies", thread_id)));
	json_decref(page);
	if (closed_model(req, kind, target_id, model) < 0) {
		json_decref(model);
		resp_internal_error(req, resp);
		return;
	}
	if (!req->json) {
		json_object_set_new(model, "post_url", json_string(arena_printf(req->arena, "%s%" PRId64 "/comments",
										 kind->path, target_id)));
		json_object_set_new(model, "logged_in", json_boolean(req->session != NULL));
		if (!req->session)
			json_object_set_new(model, "login_url", json_string(arena_printf(req->arena,
				"/login?next=/comments/%" JSON_INTEGER_FORMAT "/replies", thread_id)));
		json_object_set_new(model, "input", page_comments_input(req));
	}
	resp_page(resp, 200, "comment_replies", N_("Replies"), model);
}

/* After a change: the comment in JSON, a page goes to it. */
static void comment_answer(struct req *req, struct resp *resp, int64_t id, const struct comment_viewer *v)
{
	json_t *c;
	int found = comment_get(req->db, req->lang, id, v, &c);
	const char *url = found == 1 ? json_string_value(json_object_get(c, "url")) : NULL;
	if (!url) {
		json_decref(c);
		resp_internal_error(req, resp);
		return;
	}
	resp_redirect(resp, arena_strdup(req->arena, url), 200, c);
}

static json_t *edit_model(struct req *req, int64_t id)
{
	struct comment_viewer v = viewer(req);
	json_t *c = NULL;
	if (comment_get(req->db, req->lang, id, &v, &c) < 0)
		return NULL;
	json_t *model = json_object();
	form_model(req, model, comment_fields);
	if (!json_object_get(json_object_get(model, "form"), "body") && c)
		json_object_set(json_object_get(model, "form"), "body", json_object_get(c, "body"));
	json_object_set_new(model, "comment", c ? c : json_null());
	json_object_set_new(model, "edit_minutes", json_integer(COMMENT_EDIT_SECONDS / 60));
	json_object_set_new(model, "body_max", json_integer(COMMENT_BODY_MAX));
	json_object_set_new(model, "input", form_input(req, NULL, comment_form));
	return model;
}

void page_comment_edit_form(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int rc = comment_may_edit(req->db, id, req->session->user.id, req->now);
	if (rc != COMMENT_OK) {
		comment_problem(req, resp, rc);
		return;
	}
	json_t *model = edit_model(req, id);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "comment_edit", N_("Edit comment"), model);
}

void page_comment_edit_submit(struct req *req, struct resp *resp)
{
	static const char *const fields[] = { "body", NULL };
	if (!req_known_fields(req, resp, fields))
		return;
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	int rc = comment_edit(req->db, id, req->session->user.id, req_arg(req, "body"), req->now, &fe);
	if (rc == COMMENT_INVALID) {
		json_t *model = edit_model(req, id);
		if (!model) {
			resp_internal_error(req, resp);
			return;
		}
		resp->title = N_("Edit comment");
		resp_error(req, resp, 422, "validation", N_("Please check your comment."), &fe, "comment_edit", model);
		return;
	}
	if (rc != COMMENT_OK) {
		comment_problem(req, resp, rc);
		return;
	}
	struct comment_viewer v = viewer(req);
	comment_answer(req, resp, id, &v);
}

/* The page of the team's removal form on its own, with the comment, the
 * error next to the reason and the reason as typed (or the error in JSON). */
static void delete_page_error(struct req *req, struct resp *resp, int64_t id, const struct field_errors *fe)
{
	json_t *model = NULL;
	if (!req->json) {
		struct comment_viewer v = viewer(req);
		json_t *c = NULL;
		if (comment_get(req->db, req->lang, id, &v, &c) != 1) {
			resp_internal_error(req, resp);
			return;
		}
		static const char *const fields[] = { "reason", NULL };
		model = json_object();
		form_model(req, model, fields);
		json_object_set_new(model, "comment", c);
		resp->title = N_("Remove a comment");
	}
	resp_error(req, resp, 422, "validation", N_("Please give a public reason of 10 to 1000 characters."), fe,
		   model ? "comment_delete" : NULL, model);
}

void page_comment_delete_submit(struct req *req, struct resp *resp)
{
	static const char *const fields[] = { "reason", NULL };
	if (!req_known_fields(req, resp, fields))
		return;
	int64_t id = req_param_id(req, 0);
	struct comment_viewer v = viewer(req);
	struct field_errors fe = { 0 };
	int rc = comment_delete(req->db, id, v.user_id, v.staff, req_arg(req, "reason"), req->now, &fe);
	if (rc == COMMENT_INVALID) {
		delete_page_error(req, resp, id, &fe);
		return;
	}
	if (rc == COMMENT_FORBIDDEN) {
		resp_error(req, resp, 403, "forbidden",
			   N_("Only the author or the un:box team can delete this comment."), NULL, NULL, NULL);
		return;
	}
	if (rc != COMMENT_OK) {
		comment_problem(req, resp, rc);
		return;
	}
	comment_answer(req, resp, id, &v);
}
