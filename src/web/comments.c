/* Comments on ideas: the section of the idea page, the list of an idea's
 * threads, all replies of one thread, writing, editing and deleting. The
 * domain (domain/comment.c) decides; these handlers translate. */
#include "web/handlers.h"
#include "web/dialogue/handlers.h"   /* until comments and moderation take any target */
#include "core/buf.h"
#include "core/escape.h"
#include "domain/comment.h"
#include "domain/dialogue/idea.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const comment_fields[] = { "body", "parent", NULL };

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

/* The comment section of an idea (first page, or after a cursor): threads,
 * paging and, for a logged-in visitor, what the forms need. Anonymous
 * visitors get no CSRF token: idea pages are page-cached for them. */
static json_t *section(struct req *req, int64_t idea_id, int64_t before, int limit)
{
	struct comment_viewer v = viewer(req);
	v.page = !req->json;
	json_t *page = comment_threads(req->db, req->lang, idea_id, &v, before, limit);
	if (!page)
		return NULL;
	const char *next = json_string_value(json_object_get(page, "next"));
	json_int_t lim = json_integer_value(json_object_get(page, "limit"));
	json_t *s = json_object();
	json_object_set_new(s, "idea_id", json_integer(idea_id));
	json_object_set(s, "count", json_object_get(page, "count"));
	json_object_set(s, "items", json_object_get(page, "items"));
	json_object_set_new(s, "paging", json_pack("{sI sI so}", "limit", lim, "max_limit", (json_int_t)COMMENT_THREADS_MAX,
		"next", next ? json_string(arena_printf(req->arena, "%s/ideas/%" PRId64 "/comments?%sbefore=%s", api(req),
			idea_id, lim != COMMENT_THREADS_PAGE ? arena_printf(req->arena, "limit=%d&", (int)lim) : "", next))
			     : json_null()));
	json_object_set_new(s, "url", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/comments", idea_id)));
	json_object_set_new(s, "first_page", json_boolean(before == 0));
	json_object_set_new(s, "replies_shown", json_integer(COMMENT_REPLIES_SHOWN));
	json_object_set_new(s, "has_items", json_boolean(json_array_size(json_object_get(s, "items")) > 0));
	json_object_set_new(s, "logged_in", json_boolean(req->session != NULL));
	if (!req->session) {
		json_object_set_new(s, "login_url", json_string(arena_printf(req->arena,
			"/login?next=/ideas/%" PRId64 "%%23comments", idea_id)));
	}
	json_decref(page);
	return s;
}

json_t *page_comments_section(struct req *req, int64_t idea_id)
{
	json_t *s = section(req, idea_id, 0, COMMENT_THREADS_PAGE);
	return s ? s : json_null();
}

static json_t *idea_ref(struct req *req, int64_t id)
{
	json_t *idea = idea_get(req->db, req->lang, id);
	if (!idea)
		return NULL;
	json_t *ref = json_pack("{sO sO sO}", "id", json_object_get(idea, "id"), "title", json_object_get(idea, "title"),
				"url", json_object_get(idea, "url"));
	json_decref(idea);
	return ref;
}

/* The list page, also what a failed post shows again with the typed text. */
static void list_page(struct req *req, struct resp *resp, int64_t idea_id, int64_t before, int limit, int status,
		      const struct field_errors *fe)
{
	json_t *idea = idea_ref(req, idea_id);
	json_t *s = idea ? section(req, idea_id, before, limit) : NULL;
	if (!s) {
		json_decref(idea);
		page_not_found(req, resp);
		return;
	}
	json_object_set_new(s, "idea", idea);
	if (fe) {
		json_t *typed = json_object();
		form_model(req, typed, comment_fields);   /* the typed values, under a name no other form uses */
		json_object_set(s, "typed", json_object_get(typed, "form"));
		json_decref(typed);
		json_t *model = json_pack("{so sO}", "comments", s, "idea", idea);
		resp->title = N_("Comments");
		resp_error(req, resp, status, "validation", N_("Please check your comment."), fe, "comment_list", model);
		return;
	}
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, s);
		return;
	}
	json_t *model = json_pack("{so sO}", "comments", s, "idea", idea);
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
	list_page(req, resp, req_param_id(req, 0), id, limit, 200, NULL);
}

void page_comment_create(struct req *req, struct resp *resp)
{
	int64_t idea_id = req_param_id(req, 0);
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
			  : comment_add(req->db, idea_id, req->session->user.id, parent_id, req_arg(req, "body"),
					req->now, &fe, &added);
	switch (rc) {
	case COMMENT_OK: {
		struct comment_viewer v = viewer(req);   /* the comment is the answer in JSON; a page goes to it */
		json_t *c = req->json ? comment_get(req->db, req->lang, added.id, &v) : NULL;
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#comment-%" PRId64, idea_id, added.id),
			      201, c);
		return;
	}
	case COMMENT_INVALID:     /* shown again with the typed text (404 when there is no such idea) */
		list_page(req, resp, idea_id, 0, COMMENT_THREADS_PAGE, 422, &fe);
		return;
	case COMMENT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case COMMENT_MERGED:      /* its threads moved to the idea it was merged into */
		if (page_merge_refuse_write(req, resp, idea_id))
			return;
		break;
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
	json_t *page = comment_replies(req->db, req->lang, req_param_id(req, 0), &v, id, limit);
	if (!page) {
		page_not_found(req, resp);
		return;
	}
	json_t *thread = json_object_get(page, "thread");
	json_int_t thread_id = json_integer_value(json_object_get(thread, "id"));
	json_t *idea = idea_ref(req, json_integer_value(json_object_get(thread, "idea_id")));
	const char *next = json_string_value(json_object_get(page, "next"));
	json_int_t lim = json_integer_value(json_object_get(page, "limit"));
	json_t *model = json_object();
	json_object_set_new(model, "idea", idea ? idea : json_null());
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
	if (!req->json) {
		json_object_set_new(model, "logged_in", json_boolean(req->session != NULL));
		if (!req->session)
			json_object_set_new(model, "login_url", json_string(arena_printf(req->arena,
				"/login?next=/comments/%" JSON_INTEGER_FORMAT "/replies", thread_id)));
	}
	resp_page(resp, 200, "comment_replies", N_("Replies"), model);
}

static json_t *edit_model(struct req *req, int64_t id)
{
	struct comment_viewer v = viewer(req);
	json_t *c = comment_get(req->db, req->lang, id, &v);
	json_t *model = json_object();
	form_model(req, model, comment_fields);
	if (!json_object_get(json_object_get(model, "form"), "body") && c)
		json_object_set(json_object_get(model, "form"), "body", json_object_get(c, "body"));
	json_object_set_new(model, "comment", c ? c : json_null());
	json_object_set_new(model, "edit_minutes", json_integer(COMMENT_EDIT_SECONDS / 60));
	json_object_set_new(model, "body_max", json_integer(COMMENT_BODY_MAX));
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
	resp_page(resp, 200, "comment_edit", N_("Edit comment"), edit_model(req, id));
}

void page_comment_edit_submit(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	int rc = comment_edit(req->db, id, req->session->user.id, req_arg(req, "body"), req->now, &fe);
	if (rc == COMMENT_INVALID) {
		resp->title = N_("Edit comment");
		resp_error(req, resp, 422, "validation", N_("Please check your comment."), &fe, "comment_edit",
			   edit_model(req, id));
		return;
	}
	if (rc != COMMENT_OK) {
		comment_problem(req, resp, rc);
		return;
	}
	struct comment_viewer v = viewer(req);
	json_t *c = comment_get(req->db, req->lang, id, &v);
	const char *url = arena_strdup(req->arena, json_string_value(json_object_get(c, "url")));
	resp_redirect(resp, url, 200, c);
}

void page_comment_delete_submit(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	struct comment_viewer v = viewer(req);
	int rc = comment_delete(req->db, id, v.user_id, v.staff, req->now);
	if (rc == COMMENT_FORBIDDEN) {
		resp_error(req, resp, 403, "forbidden",
			   N_("Only the author or the un:box team can delete this comment."), NULL, NULL, NULL);
		return;
	}
	if (rc != COMMENT_OK) {
		comment_problem(req, resp, rc);
		return;
	}
	json_t *c = comment_get(req->db, req->lang, id, &v);
	const char *url = arena_strdup(req->arena, json_string_value(json_object_get(c, "url")));
	resp_redirect(resp, url, 200, c);
}
