/* A person's page for the un:box team (/users/{id}): name, role, since
 * when, what they contributed (counts), whether and why they are blocked
 * and who decided so; blocking and unblocking with a reason right there.
 * The domain (domain/moderation.c, domain/personal.c) reads; the block
 * handlers are in web/moderation.c. */
#include "web/handlers.h"
#include "core/jsonx.h"
#include "domain/moderation.h"
#include "domain/personal.h"
#include "domain/user.h"
#include <inttypes.h>
#include <string.h>

/* The page's model: 1 with *out, 0 no such person, -1. */
static int person_model(struct req *req, int64_t id, json_t **out)
{
	json_t *p;
	int found = moderation_person(req->db, req->lang, id, &p);
	if (found <= 0)
		return found;
	jset_str(p, "role_label", role_label(req->lang, json_string_value(json_object_get(p, "role"))));
	json_t *counts = json_array();
	for (const struct personal_part *const *part = personal_parts(); *part; part++) {
		if (!(*part)->count)
			continue;
		int64_t n = (*part)->count(req->db, id);
		if (n < 0) {
			json_decref(counts);
			json_decref(p);
			return -1;
		}
		json_array_append_new(counts, json_pack("{ss ss sI}", "name", (*part)->name, "label", T(req, (*part)->title),
							"count", (json_int_t)n));
	}
	jset(p, "counts", counts);
	const char *role = json_string_value(json_object_get(p, "role"));
	bool self = id == req->session->user.id;
	bool admin = strcmp(req->session->user.role, "admin") == 0;
	/* as moderation_block decides: not oneself, team and admins only by an admin */
	bool blocked = json_is_true(json_object_get(p, "blocked"));
	if (!self && (!role_is_team(role) || admin)) {
		jset_str(p, "action_url", arena_printf(req->arena, "/users/%" PRId64 "/%s", id, blocked ? "unblock" : "block"));
		jset(p, "to_block", json_boolean(!blocked));
	}
	jset(p, "self", json_boolean(self));
	json_t *model = json_object();
	form_model(req, model, (const char *const[]){ "reason", NULL });
	jset(model, "person", p);
	*out = model;
	return 1;
}

void page_user_show(struct req *req, struct resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *model = NULL;
	int found = id ? person_model(req, id, &model) : 0;
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	if (!found) {
		page_not_found(req, resp);
		return;
	}
	resp_page(resp, 200, "user", N_("A person's page"), model);
}

void page_user_error(struct req *req, struct resp *resp, int64_t id, int status, const char *code, const char *message,
		     const struct field_errors *fe)
{
	json_t *model = NULL;
	int found = !req->json && id ? person_model(req, id, &model) : 0;
	if (found < 0) {
		resp_internal_error(req, resp);
		return;
	}
	resp->title = N_("A person's page");
	resp_error(req, resp, status, code, message, fe, found ? "user" : NULL, model);
}
