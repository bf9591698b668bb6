/* Assisted submission: a team member records an idea collected on paper, at
 * an event, by the MeinungsMobil or through a campaign, on behalf of a resident. */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/idea_status.h"
#include "domain/place.h"
#include "domain/user.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const assisted_fields[] = { "title", "summary", "description", "field", "stadtteil", "channel",
					       "campaign", "resident_name", "resident_email", "consent", NULL };

/* the form's own fields besides the core ones (page_idea_core_form) */
static const struct form_field assisted_form[] = {
	{ "channel", N_("Channel"), 0, 0, NULL },
	{ "campaign", N_("Campaign code"), 2, IDEA_CAMPAIGN_MAX, NULL },
	{ "resident_name", N_("Name of the resident"), NAME_MIN, NAME_MAX, NULL },
	{ "resident_email", N_("E-mail of the resident"), 0, EMAIL_MAX, NULL },
	{ "consent", N_("Consent to publication"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

static const char *const channel_names[][2] = {
	{ N_("Paper form"), "paper" },
	{ N_("Event"), "event" },
	{ N_("MeinungsMobil"), "meinungsmobil" },
	{ N_("Campaign (QR code)"), "campaign" },
};

static bool consent_given(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0 ||
		     strcmp(v, "yes") == 0);
}

/* The form's model; NULL when the database failed. */
static json_t *assisted_model(struct req *req)
{
	json_t *fields = field_list(req->db, req->lang);
	json_t *bezirke = fields ? place_tree(req->db) : NULL;
	int64_t open = bezirke ? cycle_open_for_submission(req->db, req->now) : -1;
	if (open < 0) {
		json_decref(fields);
		json_decref(bezirke);
		return NULL;
	}
	json_t *model = json_object();
	form_model(req, model, assisted_fields);
	jset(model, "input", form_input(req, form_input(req, NULL, page_idea_core_form), assisted_form));
	mark_selected(fields, "slug", kv_get(&req->form, "field"));
	size_t i;
	json_t *b;
	json_array_foreach(bezirke, i, b)
		mark_selected(json_object_get(b, "stadtteile"), "nr", kv_get(&req->form, "stadtteil"));
	json_t *channels = json_array();
	for (size_t k = 0; k < sizeof channel_names / sizeof channel_names[0]; k++) {
		json_t *o = json_object();
		jset_str(o, "value", channel_names[k][1]);
		jset(o, "label", json_string(T(req, channel_names[k][0])));
		json_array_append_new(channels, o);
	}
	mark_selected(channels, "value", kv_get(&req->form, "channel"));
	jset(model, "fields", fields);
	jset(model, "bezirke", bezirke);
	jset(model, "channels", channels);
	jset(model, "consent_checked", json_boolean(consent_given(kv_get(&req->form, "consent"))));
	jset(model, "open", json_boolean(open != 0));
	return model;
}

void page_assisted_form(struct req *req, struct resp *resp)
{
	json_t *model = assisted_model(req);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "dialogue/idea_assisted", N_("Record an idea for a resident"), model);
}

void page_assisted_create(struct req *req, struct resp *resp)
{
	if (!req_known_fields(req, resp, assisted_fields))
		return;
	struct assisted_input in = {
		.idea = { .title = req_arg(req, "title"), .summary = req_arg(req, "summary"),
			  .description = req_arg(req, "description"), .field = req_arg(req, "field"),
			  .stadtteil = req_arg(req, "stadtteil") },
		.channel = req_arg(req, "channel"), .campaign = req_arg(req, "campaign"),
		.resident_name = req_arg(req, "resident_name"), .resident_email = req_arg(req, "resident_email"),
		.consent = consent_given(req_arg(req, "consent")),
	};
	struct field_errors fe = { 0 };
	int64_t id = 0;
	resp->title = N_("Record an idea for a resident");
	int rc = assisted_submit(req->db, req->session->user.id, &in, req->now, &fe, &id);
	if (rc == IDEA_OK) {
		/* HTML goes on to the idea's page; JSON gets the idea as stored */
		json_t *idea = NULL;
		if (req->json && idea_get(req->db, req->lang, id, &idea) != 1) {
			resp_internal_error(req, resp);
			return;
		}
		if (idea) {
			jset_str(idea, "channel", in.channel);
			jset(idea, "consent", json_true());
		}
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64, id), 201, idea);
		return;
	}
	json_t *form = NULL;
	if ((rc == IDEA_INVALID || rc == IDEA_CLOSED) && !req->json && !(form = assisted_model(req)))
		rc = IDEA_ERROR;
	switch (rc) {
	case IDEA_INVALID:
		resp_error(req, resp, 422, "validation",
			   field_error_for(&fe, "consent")
			   ? N_("The idea can only be recorded when the resident agreed to its publication.")
			   : N_("Please check the marked fields."), &fe, "dialogue/idea_assisted", form);
		return;
	case IDEA_CLOSED:
		resp_error(req, resp, 409, "submission_closed",
			   N_("No cycle is taking ideas right now. Please come back when the next call opens."),
			   NULL, "dialogue/idea_assisted", form);
		return;
	}
	resp_internal_error(req, resp);
}
