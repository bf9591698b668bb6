/* The feedback form of the Erklärung zur Barrierefreiheit: anyone tells the
 * team about a barrier; domain/portal/feedback.c sends it on. */
#include "web/portal/handlers.h"
#include "core/jsonx.h"
#include "domain/portal/feedback.h"
#include "web/handlers.h"

static const char *const feedback_fields[] = { "message", "where", "name", "email", NULL };

static json_t *form(struct req *req)
{
	json_t *model = json_object();
	form_model(req, model, feedback_fields);
	json_t *typed = json_object_get(model, "form");
	if (!req->json && !json_object_get(typed, "where") && req_local_path(kv_get(&req->query, "from"), NULL))
		jset(typed, "where", json_string(kv_get(&req->query, "from")));   /* the page the visitor came from */
	jset_int(model, "message_max", FEEDBACK_MESSAGE_MAX);
	jset_int(model, "where_max", FEEDBACK_WHERE_MAX);
	return model;
}

void page_feedback_form(struct req *req, struct resp *resp)
{
	json_t *model = form(req);
	jset(model, "sent", json_boolean(kv_get(&req->query, "sent") != NULL));
	resp_page(resp, 200, "portal/feedback", N_("Report a barrier"), model);
}

void page_feedback_submit(struct req *req, struct resp *resp)
{
	struct field_errors fe = { 0 };
	struct feedback_input in = {
		.message = req_arg(req, "message"), .where = req_arg(req, "where"), .name = req_arg(req, "name"),
		.email = req_arg(req, "email"), .ip = req->ip, .user_id = req->session ? req->session->user.id : 0,
	};
	int retry = 0;
	resp->title = N_("Report a barrier");
	switch (feedback_send(req->db, &in, req->app->base_url, req->now, &fe, &retry)) {
	case FEEDBACK_OK:
		resp_redirect(resp, "/barrierefreiheit/feedback?sent=1", 202, json_pack("{ss}", "status", "sent"));
		return;
	case FEEDBACK_INVALID:
		resp_error(req, resp, 422, "validation", N_("Please check the marked fields."), &fe, "portal/feedback",
			   form(req));
		return;
	case FEEDBACK_THROTTLED:
		resp->retry_after = retry;
		resp_error(req, resp, 429, "too_many",
			   N_("You have sent several messages in a short time. Please wait an hour, or write to us by e-mail or telephone (see Contact)."),
			   NULL, "portal/feedback", form(req));
		return;
	}
	resp_internal_error(req, resp);
}
