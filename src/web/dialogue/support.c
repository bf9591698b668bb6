/* Supports: the buttons on an idea's page (support and follow) and the
 * support POSTs (following is a shared service: web/follows.c). Who
 * supports what is never shown; a visitor sees only the count and, logged
 * in, their own state. HTML gets 303 back, JSON 200 with the state. A merged
 * idea takes no support (409, page_merge_refuse_write). */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/follow.h"
#include "domain/dialogue/idea.h"
#include "domain/dialogue/support.h"
#include "domain/dialogue/targets.h"
#include <inttypes.h>
#include <string.h>

int page_idea_actions_model(struct req *req, json_t *idea)
{
	int64_t id = (int64_t)json_integer_value(json_object_get(idea, "id"));
	if (!json_object_get(idea, "supports")) {   /* idea_get reads it with the idea */
		int64_t n = support_count(req->db, id);
		if (n == SUPPORT_COUNT_FAILED)
			return -1;
		jset_int(idea, "supports", n < 0 ? 0 : n);
	}
	if (!req->session)
		return 0;   /* anonymous pages are cached: nothing personal on them */
	int64_t user = req->session->user.id;
	int supported = support_exists(req->db, id, user);
	int following = supported < 0 ? -1 : follow_exists(req->db, &idea_target, id, user);
	int own = following < 0 ? -1 : idea_is_author(req->db, id, user, req->session->user.email);
	if (own < 0)
		return -1;
	json_t *viewer = json_object();
	jset(viewer, "supported", json_boolean(supported));
	jset(viewer, "following", json_boolean(following));
	jset(viewer, "own", json_boolean(own));
	const char *status = json_string_value(json_object_get(idea, "status"));
	bool open = !json_is_true(json_object_get(idea, "hidden")) &&
		    (strcmp(status, "submitted") == 0 || strcmp(status, "in_dialogue") == 0);
	if (own && open)   /* its authors change it while it is in the dialogue */
		jset_str(viewer, "edit_url", arena_printf(req->arena, "/ideas/%" PRId64 "/edit", id));
	if ((own || req_is_team(req)) && json_is_true(json_object_get(idea, "edited")))
		jset_str(viewer, "versions_url", arena_printf(req->arena, "/ideas/%" PRId64 "/versions", id));
	jset(idea, "viewer", viewer);
	return 0;
}

static void support(struct req *req, struct resp *resp, bool on)
{
	int64_t id = req_param_id(req, 0), n = 0;
	int rc = id ? (on ? support_add : support_remove)(req->db, id, req->session->user.id, &n) : SUPPORT_NOT_FOUND;
	if (rc == SUPPORT_MERGED && page_merge_refuse_write(req, resp, id))
		return;   /* its supports live on the idea it was merged into */
	if (rc == SUPPORT_NOT_FOUND) {
		page_not_found(req, resp);
		return;
	}
	if (rc == SUPPORT_HIDDEN || rc == SUPPORT_CLOSED || rc == SUPPORT_OWN) {
		resp_error(req, resp, 409, rc == SUPPORT_HIDDEN ? "hidden" : rc == SUPPORT_CLOSED ? "closed" : "own_idea",
			   rc == SUPPORT_HIDDEN ? N_("This idea has been hidden by the moderation and takes no supports.")
			   : rc == SUPPORT_CLOSED ? N_("This idea has been archived or withdrawn and takes no more supports.")
			   : N_("You cannot support your own idea. Ask others to support it."), NULL, NULL, NULL);
		return;
	}
	if (rc != SUPPORT_OK) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_object();
	jset(model, "supported", json_boolean(on));
	jset_int(model, "supports", n);
	resp_redirect(resp, arena_printf(req->arena, "/ideas/%" PRId64, id), 200, model);
}

void page_idea_support(struct req *req, struct resp *resp) { support(req, resp, true); }
void page_idea_unsupport(struct req *req, struct resp *resp) { support(req, resp, false); }
