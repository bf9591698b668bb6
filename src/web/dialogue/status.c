/* The status workflow on the idea page: the public timeline, the form for
 * those who may move the idea on, and POST /ideas/{id}/status. */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/idea_status.h"
#include <inttypes.h>
#include <string.h>

static const char *const channel_labels[][3] = {
	{ "paper", "Papierformular", "paper form" },
	{ "event", "Veranstaltung", "event" },
	{ "meinungsmobil", "MeinungsMobil", "MeinungsMobil" },
	{ "campaign", "Kampagne", "campaign" },
};

static const struct form_field status_form[] = {
	{ "status", N_("New status"), 0, 0, NULL },
	{ "reason", N_("Reason"), STATUS_REASON_MIN, STATUS_REASON_MAX, NULL },
	{ "caretaker", N_("Caretaker"), 0, 0, NULL },
	{ NULL, NULL, 0, 0, NULL },
};

/* An archived or withdrawn idea says why it takes nothing new:
 * closed_notice {status, archived or withdrawn: true, at, date, reason} from
 * the change that closed it (the newest of the timeline to its state). */
static void closed_notice(json_t *idea, json_t *timeline)
{
	const char *status = json_string_value(json_object_get(idea, "status"));
	if (!idea_status_closed(status))
		return;
	json_t *notice = json_object();
	jset_str(notice, "status", status);
	jset(notice, status, json_true());
	for (size_t i = json_array_size(timeline); i-- > 0;) {
		json_t *e = json_array_get(timeline, i);
		if (strcmp(json_string_value(json_object_get(e, "to")), status) != 0)
			continue;
		jset(notice, "at", json_incref(json_object_get(e, "at")));
		jset(notice, "date", json_incref(json_object_get(e, "date")));
		jset(notice, "reason", json_incref(json_object_get(e, "reason")));
		break;
	}
	jset(idea, "closed_notice", notice);
}

int page_idea_workflow_model(struct req *req, json_t *idea, int64_t id)
{
	bool en = req->lang && strcmp(req->lang, "en") == 0;
	json_t *timeline = idea_status_timeline(req->db, req->lang, id);
	if (!timeline)
		return -1;
	jset(idea, "timeline", timeline);
	closed_notice(idea, timeline);
	if (!json_object_get(idea, "caretaker")) {   /* idea_get reads it with the idea */
		json_t *caretaker;
		if (caretaker_of(req->db, id, &caretaker) < 0)
			return -1;
		jset(idea, "caretaker", caretaker);
	}
	/* the intake channel, as idea_get read it (idea_details_row) */
	const char *intake = json_string_value(json_object_get(json_object_get(idea, "channel"), "key"));
	const char *channel = NULL;
	for (size_t i = 0; intake && i < sizeof channel_labels / sizeof channel_labels[0]; i++)
		if (strcmp(intake, channel_labels[i][0]) == 0)
			channel = channel_labels[i][en ? 2 : 1];
	if (channel)
		jset(idea, "recorded_channel", json_string(channel));
	if (!req->session)
		return 0;    /* the page anonymous visitors see (and the cache keeps) ends here */
	int64_t author = 0;
	char status[24];
	int found = idea_status_facts(req->db, id, &author, status, NULL);
	if (found <= 0)
		return found;    /* gone meanwhile: no forms */
	json_t *options = idea_status_options(status, req->session->user.role,
					      author && author == req->session->user.id, req->lang);
	const char *typed = kv_get(&req->form, "status");
	size_t i;
	json_t *o;
	json_array_foreach(options, i, o)
		if (typed && strcmp(typed, json_string_value(json_object_get(o, "value"))) == 0)
			jset(o, "selected", json_true());
	if (json_array_size(options)) {
		json_t *form = json_object();
		jset(form, "action", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/status", id)));
		jset(form, "csrf", json_string(req->csrf ? req->csrf : ""));
		jset(form, "options", options);
		jset(form, "input", form_input(req, NULL, status_form));
		jset(idea, "status_form", form);
	} else {
		json_decref(options);
	}
	if (req_is_team(req) && strcmp(status, "archived") == 0) {   /* the way back */
		char back[24];
		if (idea_status_reopen_to(req->db, id, back) < 0)
			return -1;
		json_t *form = json_object();
		jset(form, "action", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/reopen", id)));
		jset(form, "csrf", json_string(req->csrf ? req->csrf : ""));
		jset_str(form, "back_to", back);
		jset_str(form, "back_to_label", idea_status_label(back, en));
		jset(idea, "reopen_form", form);
	}
	if (req_is_team(req)) {
		json_t *people = caretaker_candidates(req->db);
		if (!people)
			return -1;
		int64_t current = json_integer_value(json_object_get(json_object_get(idea, "caretaker"), "id"));
		json_array_foreach(people, i, o)
			if (json_integer_value(json_object_get(o, "id")) == current)
				jset(o, "selected", json_true());
		json_t *form = json_object();
		jset(form, "action", json_string(arena_printf(req->arena, "/ideas/%" PRId64 "/caretaker", id)));
		jset(form, "csrf", json_string(req->csrf ? req->csrf : ""));
		jset(form, "people", people);
		jset(idea, "caretaker_form", form);
	}
	return 0;
}

/* The idea page again, with the form's errors and typed values (HTML), or the error (JSON). */
void page_idea_page_error(struct req *req, struct resp *resp, int64_t id, int status, const char *code,
		     const char *message, const struct field_errors *fe)
{
	static const char *const fields[] = { "status", "reason", "caretaker", NULL };
	json_t *model = NULL;
	if (!req->json) {
		json_t *idea = NULL;
		int found = idea_get(req->db, req->lang, id, &idea);
		if (found > 0 && page_idea_workflow_model(req, idea, id) < 0)
			found = -1;
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
			jset(model, "input", form_input(req, NULL, status_form));
		}
	}
	resp_error(req, resp, status, code, message, fe, model ? "dialogue/idea" : NULL, model);
}

/* The page that asks before a change that closes a door (a form post
 * without confirm): what follows, the public reason, and the same form
 * once more with confirm=1. */
static void confirm_page(struct req *req, struct resp *resp, int64_t id, const char *to, const char *reason)
{
	json_t *idea = NULL;
	int found = idea_get(req->db, req->lang, id, &idea);
	if (found <= 0) {
		if (found < 0)
			resp_internal_error(req, resp);
		else
			page_not_found(req, resp);
		return;
	}
	const char *title = strcmp(to, "archived") == 0 ? N_("Archive this idea?")
		: strcmp(to, "withdrawn") == 0 ? N_("Withdraw your idea?") : N_("Mark this idea as not eligible?");
	json_t *model = json_object();
	jset(model, "idea", idea);
	jset_str(model, "status", to);
	jset(model, to, json_true());
	jset_str(model, "status_label", idea_status_label(to, strcmp(req->lang, "en") == 0));
	jset_str(model, "reason", reason ? reason : "");
	jset_str(model, "heading", T(req, title));
	jset_str(model, "action", arena_printf(req->arena, "/ideas/%" PRId64 "/status", id));
	jset_str(model, "csrf", req->csrf ? req->csrf : "");
	resp_page(resp, 200, "dialogue/idea_status_confirm", title, model);
}

void page_idea_status_submit(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	const char *to = req_arg(req, "status");
	const char *reason = req_arg(req, "reason");
	static const char *const fields[] = { "status", "reason", "confirm", NULL };
	if (!req_known_fields(req, resp, fields))
		return;
	const char *confirmed = req_arg(req, "confirm");
	/* a form that closes a door asks first; an API client says what it wants at once */
	bool ask = !req->json && idea_status_needs_reason(to) && !(confirmed && strcmp(confirmed, "1") == 0);
	int rc = ask ? idea_status_may_change(req->db, id, req->session->user.id, req->session->user.role, to, reason,
					      &fe)
		     : idea_status_change(req->db, id, req->session->user.id, req->session->user.role, to, reason,
					  req->now, &fe);
	if (ask && rc == STATUS_RC_OK) {
		confirm_page(req, resp, id, to, reason);
		return;
	}
	switch (rc) {
	case STATUS_RC_OK: {
		/* HTML goes back to the idea's page; JSON gets the idea with its timeline */
		json_t *idea = NULL;
		if (req->json && (idea_get(req->db, req->lang, id, &idea) != 1 ||
				  page_idea_workflow_model(req, idea, id) < 0)) {
			json_decref(idea);
			resp_internal_error(req, resp);
			return;
		}
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#idea-status", id), 200, idea);
		return;
	}
	case STATUS_RC_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case STATUS_RC_FORBIDDEN:
		resp_error(req, resp, 403, "forbidden",
			   N_("You may not give an idea this status."), NULL, NULL, NULL);
		return;
	case STATUS_RC_INVALID: {
		const char *code = field_error_for(&fe, "status");
		const char *msg = !code ? N_("This change closes a door for the idea: please give a reason.")
			: strcmp(code, "not_now") == 0 ? N_("This change of status is not possible from the idea's current status.")
			: N_("Please choose the new status.");
		page_idea_page_error(req, resp, id, 422, code && strcmp(code, "not_now") == 0 ? "transition_not_allowed" : "validation",
				msg, &fe);
		return;
	}
	}
	resp_internal_error(req, resp);
}

void page_idea_reopen_submit(struct req *req, struct resp *resp)
{
	static const char *const fields[] = { "reason", NULL };
	if (!req_known_fields(req, resp, fields))
		return;
	int64_t id = req_param_id(req, 0);
	struct field_errors fe = { 0 };
	char to[24];
	switch (idea_status_reopen(req->db, id, req->session->user.id, req->session->user.role, req_arg(req, "reason"),
				   req->now, &fe, to)) {
	case STATUS_RC_OK: {
		json_t *idea = NULL;
		if (req->json && (idea_get(req->db, req->lang, id, &idea) != 1 ||
				  page_idea_workflow_model(req, idea, id) < 0)) {
			json_decref(idea);
			resp_internal_error(req, resp);
			return;
		}
		resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64 "#idea-status", id), 200, idea);
		return;
	}
	case STATUS_RC_NOT_FOUND:
		page_not_found(req, resp);
		return;
	case STATUS_RC_FORBIDDEN:
		resp_error(req, resp, 403, "forbidden", N_("Only the un:box team can reopen an idea."), NULL, NULL, NULL);
		return;
	case STATUS_RC_INVALID: {
		bool not_now = field_error_for(&fe, "status") != NULL;
		page_idea_page_error(req, resp, id, 422, not_now ? "transition_not_allowed" : "validation",
				     not_now ? N_("Only an archived idea can be reopened.")
				     : N_("Please give a public reason for reopening the idea (10 to 1000 characters)."), &fe);
		return;
	}
	}
	resp_internal_error(req, resp);
}
