/* The page behind the link in a co-author invitation: accept (with the name
 * to be shown on the idea page) or decline. */
#include "web/dialogue/handlers.h"
#include "domain/dialogue/coauthor.h"
#include "domain/user.h"
#include <string.h>

static const char *const coauthor_fields[] = { "name", NULL };
static const struct form_field coauthor_form[] = {
	{ "name", N_("Your name on the idea page"), NAME_MIN, NAME_MAX, NULL },
	{ "answer", N_("Your answer"), 0, 0, "name" },
	{ NULL, NULL, 0, 0, NULL },
};

static json_t *page_model(struct req *req, json_t *inv, const char *token)
{
	json_t *model = json_object();
	form_model(req, model, coauthor_fields);
	json_object_set_new(model, "input", form_input(req, NULL, coauthor_form));
	json_t *form = json_object_get(model, "form");
	if (!json_object_get(form, "name") && req->session)
		json_object_set_new(form, "name", json_string(req->session->user.name));
	json_object_set_new(model, "token", json_string(token));
	const char *status = json_string_value(json_object_get(inv, "status"));
	json_object_set_new(model, "open", json_boolean(status && strcmp(status, "invited") == 0));
	json_object_set_new(model, "accepted", json_boolean(status && strcmp(status, "accepted") == 0));
	json_object_set_new(model, "declined", json_boolean(status && strcmp(status, "declined") == 0));
	json_object_set(model, "idea", json_object_get(inv, "idea"));
	json_object_set(model, "status", json_object_get(inv, "status"));
	json_decref(inv);
	return model;
}

static void invalid_link(struct req *req, struct resp *resp)
{
	resp_error(req, resp, 404, "invalid_token", N_("This invitation link is not valid."), NULL, NULL, NULL);
}

/* The invitation behind the token; false after answering that there is none (404) or the failure (500). */
static bool lookup(struct req *req, struct resp *resp, const char *token, json_t **inv)
{
	int found = coauthor_lookup(req->db, token, inv);
	if (found < 0)
		resp_internal_error(req, resp);
	else if (!found)
		invalid_link(req, resp);
	return found > 0;
}

void page_coauthor_form(struct req *req, struct resp *resp)
{
	const char *token = req_arg(req, "token");
	json_t *inv;
	if (!lookup(req, resp, token, &inv))
		return;
	json_t *model = page_model(req, inv, token);
	if (req->json) {
		json_object_del(model, "csrf");
		json_object_del(model, "form");
	}
	resp_page(resp, 200, "dialogue/coauthor", N_("Co-author invitation"), model);
}

void page_coauthor_submit(struct req *req, struct resp *resp)
{
	const char *token = req_arg(req, "token");
	const char *answer = req_arg(req, "answer");
	struct field_errors fe = { 0 };
	resp->title = N_("Co-author invitation");
	bool accept = answer && strcmp(answer, "accept") == 0;
	if (!answer || (!accept && strcmp(answer, "decline") != 0)) {
		field_error(&fe, "answer", "required");
		json_t *inv;
		if (!lookup(req, resp, token, &inv))
			return;
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/coauthor",
			   page_model(req, inv, token));
		return;
	}
	int rc = coauthor_answer(req->db, token, accept, req_arg(req, "name"),
				 req->session ? req->session->user.id : 0, req->now, &fe);
	json_t *inv = NULL;
	switch (rc) {
	case COAUTHOR_OK: {
		/* an acceptance leads to the idea's page, so its address is read */
		if (accept && !lookup(req, resp, token, &inv))
			return;
		const char *url = json_string_value(json_object_get(json_object_get(inv, "idea"), "url"));
		resp_redirect(resp, accept ? arena_strdup(req->arena, url ? url : "/")
					   : arena_printf(req->arena, "/coauthor?token=%s", token),
			      200, json_pack("{ss}", "status", accept ? "accepted" : "declined"));
		json_decref(inv);
		return;
	}
	case COAUTHOR_INVALID:
		if (coauthor_lookup(req->db, token, &inv) < 0)
			break;
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/coauthor",
			   page_model(req, inv, token));
		return;
	case COAUTHOR_ANSWERED:
		resp_error(req, resp, 409, "already_answered", N_("This invitation has already been answered."),
			   NULL, NULL, NULL);
		return;
	case COAUTHOR_NOT_FOUND:
		invalid_link(req, resp);
		return;
	}
	resp_internal_error(req, resp);
}
