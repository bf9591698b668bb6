/* The start page: the current cycles and the newest ideas. */
#include "web/portal/handlers.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/idea.h"

void page_home_show(struct req *req, struct resp *resp)
{
	struct idea_filter f = { .limit = 6 };
	json_t *latest = idea_list(req->db, req->lang, &f);
	json_t *cycles = latest ? cycle_list(req->db, req->lang, req->now) : NULL;
	if (!cycles) {
		json_decref(latest);
		resp_internal_error(req, resp);
		return;
	}
	json_t *model = json_pack("{so so}", "cycles", cycles, "latest", json_incref(json_object_get(latest, "items")));
	json_decref(latest);
	resp_page(resp, 200, "portal/home", N_("un:box – your city, your ideas"), model);
}
