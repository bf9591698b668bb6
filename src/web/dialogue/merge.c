/* Duplicates on the web: similar ideas while writing one (GET /ideas/similar,
 * and the "check for similar ideas" button of the submission form, which
 * works without JavaScript and stores nothing), and the team's merging of a
 * duplicate into another idea (POST /ideas/{id}/merge).
 *
 * A merged idea's page answers HTML with 301 Moved Permanently to the idea
 * it was merged into; JSON with 200 and {id, merged_into, url} (url: the
 * target's page), so API clients see the merge instead of being led on.
 * Writes to a merged idea (support, follow, comment, report) are refused
 * with 409, naming and linking the target: they would land on an idea that
 * nobody sees any more. */
#include "web/dialogue/handlers.h"
#include "core/utf8.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/merge.h"
#include "domain/dialogue/targets.h"
#include <inttypes.h>
#include <string.h>

/* ---- similar ideas ---- */

void page_ideas_similar(struct req *req, struct resp *resp)
{
	const char *title = kv_get(&req->query, "title");
	const char *summary = kv_get(&req->query, "summary");
	const char *exclude = kv_get(&req->query, "exclude");
	int64_t not_this = exclude && *exclude ? merge_target_parse(exclude) : 0;
	struct field_errors fe = { 0 };
	/* the bounds of the idea form, in characters as the page states them (broken UTF-8: in bytes) */
	long title_n = !title ? 0 : utf8_valid(title, strlen(title)) ? (long)utf8_chars(title) : (long)strlen(title);
	long summary_n = !summary ? 0 : utf8_valid(summary, strlen(summary)) ? (long)utf8_chars(summary) : (long)strlen(summary);
	if (title_n > IDEA_TITLE_MAX)
		field_error_limit(&fe, "title", "too_long", IDEA_TITLE_MAX, title_n);
	if (summary_n > IDEA_SUMMARY_MAX)
		field_error_limit(&fe, "summary", "too_long", IDEA_SUMMARY_MAX, summary_n);
	if (exclude && *exclude && !not_this)
		field_error(&fe, "exclude", "invalid");
	if (!fe.count && !similar_text_valid(title, summary))
		field_error(&fe, "title", "invalid");
	json_t *found = fe.count ? NULL : similar_ideas(req->db, req->lang, title, summary, not_this, SIMILAR_MAX);
	if (!found && !fe.count) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_pack("{s{ss ss}}", "query", "title", title ? title : "", "summary", summary ? summary : "");
	static const struct form_field similar_form[] = {
		{ "title", N_("Title"), 0, IDEA_TITLE_MAX, NULL },
		{ "summary", N_("Summary"), 0, IDEA_SUMMARY_MAX, NULL },
		{ "exclude", N_("Title"), 0, 0, "title" },
		{ NULL, NULL, 0, 0, NULL },
	};
	if (!req->json)
		jset(model, "input", form_input(req, NULL, similar_form));
	resp->title = N_("Similar ideas");
	if (fe.count) {
		resp_error(req, resp, 400, "bad_query", N_("The similar ideas cannot be looked up with this text."), &fe,
			   "dialogue/ideas_similar", model);
		return;
	}
	bool asked = (title && *title) || (summary && *summary);
	jset(model, "items", json_incref(json_object_get(found, "items")));
	jset(model, "paging", json_pack("{sO sO}", "limit", json_object_get(found, "limit"),
					"max_limit", json_object_get(found, "max_limit")));
	json_decref(found);
	if (!req->json)
		jset(model, "asked", json_boolean(asked));
	resp_page(resp, 200, "dialogue/ideas_similar", N_("Similar ideas"), model);
}

void page_idea_check_similar(struct req *req, struct resp *resp, json_t *form)
{
	const char *title = req_arg(req, "title"), *summary = req_arg(req, "summary");
	struct field_errors fe = { 0 };
	if (!similar_text_valid(title, NULL))
		field_error(&fe, "title", "invalid");
	if (!similar_text_valid(NULL, summary))
		field_error(&fe, "summary", "invalid");
	if (fe.count) {    /* text that cannot be looked up: what the submission would say of it */
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/idea_new", form);
		return;
	}
	json_t *found = similar_ideas(req->db, req->lang, title, summary, 0, SIMILAR_MAX);
	if (!found) {
		json_decref(form);
		resp_internal_error(req, resp);
		return;
	}
	if (req->json) {   /* the same answer as GET /ideas/similar */
		json_decref(form);
		resp_page(resp, 200, NULL, NULL, json_pack("{sO s{sO sO}}", "items", json_object_get(found, "items"),
			"paging", "limit", json_object_get(found, "limit"), "max_limit", json_object_get(found, "max_limit")));
		json_decref(found);
		return;
	}
	json_t *items = json_object_get(found, "items");
	jset(form, "similar", json_pack("{sO sb}", "items", items, "found", json_array_size(items) > 0));
	json_decref(found);
	resp_page(resp, 200, "dialogue/idea_new", N_("Submit an idea"), form);
}

/* ---- merging ---- */

bool page_merge_redirect(struct req *req, struct resp *resp, int64_t id)
{
	int64_t into = id ? merge_target_of(req->db, id) : 0;
	if (into < 0)
		resp_internal_error(req, resp);
	if (into <= 0)
		return into < 0;
	const char *url = arena_printf(req->arena, "/ideas/%" PRId64, into);
	if (req->json) {
		resp_page(resp, 200, NULL, NULL, json_pack("{sI sI ss}", "id", (json_int_t)id,
			"merged_into", (json_int_t)into, "url", url));
		return true;
	}
	resp_redirect(resp, url, 301, NULL);
	return true;
}

bool page_merge_refuse_write(struct req *req, struct resp *resp, int64_t id)
{
	int64_t into = id ? merge_target_of(req->db, id) : 0;
	if (into < 0)
		resp_internal_error(req, resp);
	if (into <= 0)
		return into < 0;
	static const char *const message =
		N_("This idea has been merged into another idea, which now holds its supports, followers and comments. Please continue there.");
	const char *url = arena_printf(req->arena, "/ideas/%" PRId64, into);
	if (req->json) {   /* the error envelope, with the target as page_merge_redirect names it */
		resp_page(resp, 409, NULL, NULL, json_pack("{s{ss ss s{} sI sI ss}}", "error", "code", "merged",
			"message", T(req, message), "fields", "id", (json_int_t)id, "merged_into", (json_int_t)into,
			"url", url));
		return true;
	}
	json_t *target = NULL;
	if (idea_get(req->db, req->lang, into, &target) < 0) {
		resp_internal_error(req, resp);
		return true;
	}
	json_t *model = json_pack("{s{sI ss ss}}", "merged_into", "id", (json_int_t)into, "url", url,
				  "title", target ? json_string_value(json_object_get(target, "title")) : "");
	json_decref(target);
	resp->title = N_("This idea has been merged");
	resp_error(req, resp, 409, "merged", message, NULL, "dialogue/idea_merged_into", model);
	return true;
}

static const struct form_field merge_form[] = {
	{ "target", N_("Number of the idea to merge into"), 0, 0, NULL },
	{ "merge_reason", N_("Reason for merging"), MERGE_REASON_MIN, MERGE_REASON_MAX, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

int page_merge_idea_model(struct req *req, json_t *idea, int64_t id)
{
	json_t *sources = json_is_true(json_object_get(idea, "has_merged_from"))   /* idea_get knows */
		? merge_sources(req->db, id) : json_array();
	if (!sources)
		return -1;
	jset(idea, "has_merged_from", json_boolean(json_array_size(sources) > 0));
	jset(idea, "merged_from", sources);
	if (!req_is_team(req))
		return 0;   /* the page anonymous visitors see (and the cache keeps) ends here */
	json_t *form = json_object();
	jset(form, "action", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/merge", id)));
	jset(form, "csrf", json_string(req->csrf ? req->csrf : ""));
	jset(form, "input", form_input(req, NULL, merge_form));
	json_t *similar = similar_ideas(req->db, req->lang, json_string_value(json_object_get(idea, "title")),
					json_string_value(json_object_get(idea, "summary")), id, SIMILAR_MAX);
	if (!similar) {    /* a stored idea's texts are valid: the database failed */
		json_decref(form);
		return -1;
	}
	json_t *items = json_incref(json_object_get(similar, "items"));
	json_decref(similar);
	jset(form, "has_candidates", json_boolean(json_array_size(items) > 0));
	jset(form, "candidates", items);
	jset(idea, "merge_form", form);
	return 0;
}

/* The idea page again with the merge form's errors and typed values (HTML), or the error (JSON). */
static void merge_error(struct req *req, struct resp *resp, int64_t id, const char *code, const char *message,
			struct field_errors *fe)
{
	static const char *const fields[] = { "target", "merge_reason", NULL };
	json_t *model = NULL;
	if (!req->json) {
		for (size_t i = 0; fe && i < fe->count; i++)   /* the form's name: the status form has a "reason" too */
			if (strcmp(fe->items[i].field, "reason") == 0)
				fe->items[i].field = "merge_reason";
		json_t *idea = NULL;
		int found = idea_get(req->db, req->lang, id, &idea);
		if (found > 0) {
			int rc = page_idea_workflow_model(req, idea, id);
			if (rc >= 0)
				rc = page_idea_actions_model(req, idea);
			if (rc < 0 || page_merge_idea_model(req, idea, id) < 0)
				found = -1;
		}
		if (found < 0) {
			json_decref(idea);
			resp_internal_error(req, resp);
			return;
		}
		if (found) {
			resp->title = arena_strdup(req->arena, json_string_value(json_object_get(idea, "title")));
			model = json_object();
			jset(model, "idea", idea);
			form_model(req, model, fields);
			jset(model, "input", form_input(req, NULL, merge_form));
		}
	}
	resp_error(req, resp, 422, code, message, fe, model ? "dialogue/idea" : NULL, model);
}

void page_idea_merge_submit(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *target_text = req_arg(req, "target");
	const char *reason = req_arg(req, "reason");
	if (!reason)
		reason = req_arg(req, "merge_reason");
	int64_t target = merge_target_parse(target_text);
	struct field_errors fe = { 0 };
	if (!target && target_text && *target_text)
		field_error(&fe, "target", "invalid");
	int rc = fe.count ? MERGE_INVALID
		: idea_merge(req->db, id, target, req->session->user.id, req->session->user.role, reason, req->now, &fe);
	switch (rc) {
	case MERGE_OK: {
		json_t *model = json_pack("{sI sI ss}", "id", (json_int_t)id, "merged_into", (json_int_t)target,
					  "url", arena_printf(req->arena, "/ideas/%" PRId64, target));
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64, target), 200, model);
		return;
	}
	case MERGE_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case MERGE_ALREADY:
		merge_error(req, resp, id, "already_merged",
			    N_("This idea has been merged into another idea already."), NULL);
		return;
	case MERGE_INVALID: {
		const char *code = field_error_for(&fe, "target");
		if (code && strcmp(code, "self") == 0)
			merge_error(req, resp, id, "merge_into_itself", N_("An idea cannot be merged into itself."), &fe);
		else if (code && strcmp(code, "merged") == 0)
			merge_error(req, resp, id, "target_merged",
				    N_("That idea has itself been merged into another idea. Please merge into that one."), &fe);
		else if (code && strcmp(code, "not_found") == 0)
			merge_error(req, resp, id, "target_not_found", N_("There is no idea with this number."), &fe);
		else
			merge_error(req, resp, id, "validation",
				    N_("Please give the number of the idea to merge into and a reason (10 to 1000 characters)."), &fe);
		return;
	}
	}
	resp_internal_error(req, resp);
}

/* Ideas and cycles as the routes of the shared services (comments, follows,
 * moderation) name them: a write to a merged idea is sent on to the idea it
 * went into. */
const struct page_target page_idea = { .kind = &idea_target, .refuse_merged = page_merge_refuse_write };
const struct page_target page_cycle = { .kind = &cycle_target, .back = "/ideas" };   /* its button is on the idea list */
