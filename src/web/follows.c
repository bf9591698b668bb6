/* Following any target (the route names its kind): the POSTs behind the
 * follow buttons. HTML gets 303 back (to the form's "next", else the
 * target's page), JSON 200 with the state. */
#include "web/handlers.h"
#include "core/jsonx.h"
#include "domain/follow.h"
#include <inttypes.h>

static void follow(struct req *req, struct resp *resp, bool on)
{
	const struct page_target *t = req->target;
	int64_t id = req_param_id(req, 0);
	int rc = id ? follow_set(req->db, t->kind, id, req->session->user.id, on) : FOLLOW_NOT_FOUND;
	if (rc == FOLLOW_MERGED) {   /* its followers moved with it */
		if (!t->refuse_merged || !t->refuse_merged(req, resp, id))
			resp_error(req, resp, 409, "merged", N_("This has been merged into another page. Please continue there."),
				   NULL, NULL, NULL);
		return;
	}
	if (rc == FOLLOW_HIDDEN || rc == FOLLOW_CLOSED) {
		resp_error(req, resp, 409, rc == FOLLOW_HIDDEN ? "hidden" : "closed",
			   rc == FOLLOW_HIDDEN ? N_("This has been hidden by the moderation and cannot be followed.")
			   : N_("This has been closed and cannot be followed any more."), NULL, NULL, NULL);
		return;
	}
	if (rc == FOLLOW_NOT_FOUND) {
		page_not_found(req, resp);
		return;
	}
	if (rc != FOLLOW_OK) {
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_object();
	jset(model, "following", json_boolean(on));
	const char *page = t->back ? t->back : t->kind->path ? arena_printf(req->arena, "%s%" PRId64, t->kind->path, id) : "/";
	resp_redirect(resp, req_local_path(req_arg(req, "next"), page), 200, model);
}

void page_follow_submit(struct req *req, struct resp *resp) { follow(req, resp, true); }
void page_unfollow_submit(struct req *req, struct resp *resp) { follow(req, resp, false); }
