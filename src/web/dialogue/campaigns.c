/* Campaigns: the team's list of campaign codes (for QR codes and links to
 * the submission form) and the form that adds one. */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/idea_details.h"
#include <inttypes.h>

static const char *const campaign_fields[] = { "campaign", "name", NULL };

/* The page: the list and the form (with the typed values). NULL when the
 * database failed. */
static json_t *campaigns_model(struct req *req)
{
	json_t *items = campaign_list(req->db, req->lang);
	if (!items)
		return NULL;
	json_t *model = json_object();
	form_model(req, model, campaign_fields);
	jset(model, "has_items", json_boolean(json_array_size(items) > 0));
	jset_int(model, "count", (int64_t)json_array_size(items));
	jset_int(model, "max", CAMPAIGNS_SHOWN);
	jset_int(model, "code_max", IDEA_CAMPAIGN_MAX);
	jset(model, "items", items);
	return model;
}

void page_campaigns_show(struct req *req, struct resp *resp)
{
	json_t *model = campaigns_model(req);
	if (!model) {
		resp_internal_error(req, resp);
		return;
	}
	resp_page(resp, 200, "dialogue/campaigns", N_("Campaigns"), model);
}

void page_campaign_create(struct req *req, struct resp *resp)
{
	if (!req_known_fields(req, resp, campaign_fields))
		return;
	struct field_errors fe = { 0 };
	int64_t id = 0;
	int rc = campaign_add(req->db, req->session->user.id, req_arg(req, "campaign"), req_arg(req, "name"), req->now,
			      &fe, &id);
	if (rc == DB_OK) {
		json_t *model = json_object();
		jset_int(model, "id", id);
		jset_str(model, "code", req_arg(req, "campaign"));
		jset_str(model, "link", arena_printf(req->arena, "/ideas/new?campaign=%s", req_arg(req, "campaign")));
		resp_redirect(resp, "/campaigns", 201, model);
		return;
	}
	json_t *model = rc == DB_CONSTRAINT && !req->json ? campaigns_model(req) : NULL;
	if (rc != DB_CONSTRAINT || (!req->json && !model)) {
		resp_internal_error(req, resp);
		return;
	}
	resp->title = N_("Campaigns");
	resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "dialogue/campaigns", model);
}
