/* Authors change their idea while it is submitted or in dialogue (the form
 * of the submission, without what cannot change: co-authors, campaign,
 * consent); every change is a version the caretaker and the team can read,
 * with what changed against the one before. */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_versions.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const edit_fields[] = { "title", "summary", "description", "field", "stadtteil", "lat", "lon",
	"zielbilder", "needs", "applicant_type", "pick.x", "pick.y", "pick_w", NULL };

/* Answers a refusal of idea_may_edit / idea_edit (not OK, UNCHANGED or INVALID). */
static void refusal(struct req *req, struct resp *resp, int rc)
{
	switch (rc) {
	case IDEA_EDIT_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case IDEA_EDIT_FORBIDDEN:
		resp_error(req, resp, 403, "forbidden", N_("Only the authors of an idea can change it."), NULL, NULL, NULL);
		return;
	case IDEA_EDIT_NOT_NOW:
		resp_error(req, resp, 409, "not_editable",
			   N_("This idea can no longer be changed: ideas can be changed while they are submitted or in the dialogue. You can still add a comment."),
			   NULL, NULL, NULL);
		return;
	}
	resp_internal_error(req, resp);
}

/* The form's model with the idea as it is (GET: its values stand in for
 * typed ones) or as typed (a refused POST). NULL when the database failed. */
static json_t *edit_model(struct req *req, int64_t id, json_t *idea)
{
	if (!req->form.count) {
		static const char *const texts[] = { "title", "summary", "description", NULL };
		for (int i = 0; texts[i]; i++)
			kv_add(req->arena, &req->form, texts[i],
			       arena_strdup(req->arena, json_string_value(json_object_get(idea, texts[i]))));
		kv_add(req->arena, &req->form, "field",
		       arena_strdup(req->arena, json_string_value(json_object_get(json_object_get(idea, "field"), "slug"))));
		kv_add(req->arena, &req->form, "stadtteil", arena_printf(req->arena, "%" JSON_INTEGER_FORMAT,
			json_integer_value(json_object_get(json_object_get(idea, "stadtteil"), "nr"))));
		json_t *loc = json_object_get(idea, "location");
		if (json_is_object(loc)) {
			kv_add(req->arena, &req->form, "lat", arena_strdup(req->arena, json_string_value(json_object_get(loc, "lat_text"))));
			kv_add(req->arena, &req->form, "lon", arena_strdup(req->arena, json_string_value(json_object_get(loc, "lon_text"))));
		}
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(idea, "zielbilder"), i, it)
			kv_add(req->arena, &req->form, "zielbilder", arena_strdup(req->arena, json_string_value(json_object_get(it, "slug"))));
		json_array_foreach(json_object_get(idea, "needs"), i, it)
			kv_add(req->arena, &req->form, "needs", arena_strdup(req->arena, json_string_value(json_object_get(it, "key"))));
		json_t *at = json_object_get(idea, "applicant_type");
		if (json_is_object(at))
			kv_add(req->arena, &req->form, "applicant_type", arena_strdup(req->arena, json_string_value(json_object_get(at, "key"))));
	}
	json_t *model = page_idea_form_model(req);
	if (!model)
		return NULL;
	json_object_set_new(model, "idea", json_pack("{sI sO sO}", "id", (json_int_t)id, "title", json_object_get(idea, "title"),
						      "url", json_object_get(idea, "url")));
	json_object_set_new(model, "action", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/edit", id)));
	return model;
}

void page_idea_edit_form(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int rc = idea_may_edit(req->db, id, req->session->user.id, req->session->user.email);
	if (rc != IDEA_EDIT_OK) {
		refusal(req, resp, rc);
		return;
	}
	json_t *idea = NULL;
	int found = idea_get(req->db, req->lang, id, &idea);
	json_t *model = found == 1 ? edit_model(req, id, idea) : NULL;
	json_decref(idea);
	if (!model) {
		if (found == 0)
			page_not_found(req, resp);
		else
			resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "dialogue/idea_edit", N_("Change your idea"), model);
}

void page_idea_edit_submit(struct req *req, struct resp *resp)
{
	if (!req_known_fields(req, resp, edit_fields))
		return;
	int64_t id = req_param_id(req, 0), version = 0;
	struct field_errors pick_fe = { 0 };
	json_t *picked = NULL;
	int pick = page_idea_pick_place(req, &picked, &pick_fe);
	if (pick != 0) {   /* a click on the map: the form again with the place, nothing changed yet */
		int may = pick > 0 ? idea_may_edit(req->db, id, req->session->user.id, req->session->user.email) : IDEA_EDIT_ERROR;
		json_t *idea = NULL, *form = NULL;
		if (may == IDEA_EDIT_OK && idea_get(req->db, req->lang, id, &idea) == 1)
			form = edit_model(req, id, idea);
		json_decref(idea);
		if (!form) {
			json_decref(picked);
			if (may != IDEA_EDIT_OK)
				refusal(req, resp, may);
			else
				resp_internal_error(req, resp);
			return;
		}
		resp->title = N_("Change your idea");
		page_idea_picked_answer(req, resp, picked, &pick_fe, "dialogue/idea_edit", form);
		return;
	}
	struct idea_input in;
	page_idea_input(req, &in);
	struct field_errors fe = { 0 };
	int rc = idea_edit(req->db, id, req->session->user.id, req->session->user.email, &in, req->now, &fe, &version);
	if (rc == IDEA_EDIT_OK || rc == IDEA_EDIT_UNCHANGED) {
		json_t *idea = NULL;
		if (req->json && idea_get(req->db, req->lang, id, &idea) != 1) {
			resp_internal_error(req, resp);
			return;
		}
		if (idea) {
			jset(idea, "changed", json_boolean(rc == IDEA_EDIT_OK));
			jset_int(idea, "version", version);
		}
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "?edited=%" PRId64 "#idea-notice", id,
						 rc == IDEA_EDIT_OK ? version : 0), 200, idea);
		return;
	}
	if (rc != IDEA_EDIT_INVALID) {
		refusal(req, resp, rc);
		return;
	}
	json_t *model = NULL;
	if (!req->json) {
		json_t *idea = NULL;
		if (idea_get(req->db, req->lang, id, &idea) != 1 || !(model = edit_model(req, id, idea))) {
			json_decref(idea);
			resp_internal_error(req, resp);
			return;
		}
		json_decref(idea);
	}
	resp->title = N_("Change your idea");
	resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/idea_edit", model);
}

void page_idea_versions_show(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int author = req_is_team(req) ? 1 : idea_is_author(req->db, id, req->session->user.id, req->session->user.email);
	json_t *idea = NULL, *versions = NULL;
	int found = author < 0 ? -1 : idea_get(req->db, req->lang, id, &idea);
	if (found == 1 && author)
		found = idea_versions(req->db, req->lang, id, &versions);
	if (found <= 0) {
		json_decref(idea);
		if (found < 0)
			resp_internal_error(req, resp);
		else
			page_not_found(req, resp);
		return;
	}
	if (!author) {
		json_decref(idea);
		resp_error(req, resp, 403, "forbidden", N_("Only the authors of an idea and the un:box team see its earlier versions."),
			   NULL, NULL, NULL);
		return;
	}
	json_object_set_new(versions, "idea", json_pack("{sI sO sO}", "id", (json_int_t)id, "title",
							 json_object_get(idea, "title"), "url", json_object_get(idea, "url")));
	json_decref(idea);
	resp_page(resp, 200, "dialogue/idea_versions", N_("Versions of the idea"), versions);
}
