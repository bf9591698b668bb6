/* Supports and follows: the buttons on an idea's page and their POSTs.
 * Who supports what is never shown; a visitor sees only the count and,
 * logged in, their own state. HTML gets 303 back, JSON 200 with the state.
 * A merged idea takes neither (409, page_merge_refuse_write). */
#include "web/dialogue/handlers.h"
#include "core/jsonx.h"
#include "domain/follow.h"
#include "domain/dialogue/support.h"
#include <inttypes.h>
#include <string.h>

void page_idea_actions_model(struct req *req, json_t *idea)
{
	int64_t id = (int64_t)json_integer_value(json_object_get(idea, "id"));
	if (!json_object_get(idea, "supports")) {   /* idea_get reads it with the idea */
		int64_t n = support_count(req->db, id);
		jset_int(idea, "supports", n < 0 ? 0 : n);
	}
	if (!req->session)
		return;   /* anonymous pages are cached: nothing personal on them */
	int64_t user = req->session->user.id;
	json_t *viewer = json_object();
	jset(viewer, "supported", json_boolean(support_exists(req->db, id, user)));
	jset(viewer, "following", json_boolean(follow_exists(req->db, FOLLOW_IDEA, id, user)));
	jset(idea, "viewer", viewer);
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

/* Only local paths, never another site. */
static const char *local_path(const char *p, const char *def)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 512)
		return def;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7F)
			return def;
	return p;
}

static void follow(struct req *req, struct resp *resp, enum follow_target what, bool on)
{
	int64_t id = req_param_id(req, 0);
	int rc = id ? follow_set(req->db, what, id, req->session->user.id, on) : FOLLOW_NOT_FOUND;
	if (rc == FOLLOW_MERGED && page_merge_refuse_write(req, resp, id))   /* its followers moved with it */
		return;
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
	const char *back = what == FOLLOW_IDEA ? arena_printf(req->arena, "/ideas/%" PRId64, id)
					       : local_path(req_arg(req, "next"), "/ideas");
	resp_redirect(resp, back, 200, model);
}

void page_idea_follow(struct req *req, struct resp *resp) { follow(req, resp, FOLLOW_IDEA, true); }
void page_idea_unfollow(struct req *req, struct resp *resp) { follow(req, resp, FOLLOW_IDEA, false); }
void page_cycle_follow(struct req *req, struct resp *resp) { follow(req, resp, FOLLOW_CYCLE, true); }
void page_cycle_unfollow(struct req *req, struct resp *resp) { follow(req, resp, FOLLOW_CYCLE, false); }
