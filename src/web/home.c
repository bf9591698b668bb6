/* The start page and the health check. */
#include "web/handlers.h"
#include "domain/cycle.h"
#include "domain/idea.h"

void home_show(struct req *req, struct resp *resp)
{
	struct idea_filter f = { .limit = 6 };
	json_t *latest = idea_list(req->db, req->lang, &f);
	json_t *model = json_pack("{so so}", "cycles", cycle_list(req->db, req->lang, req->now),
				  "latest", json_incref(json_object_get(latest, "items")));
	json_decref(latest);
	resp_page(resp, 200, "home", N_("un:box – your city, your ideas"), model);
}

/* Served from memory: the ceiling every benchmark figure is compared with. */
void health_show(struct req *req, struct resp *resp)
{
	static const char ok[] = "ok\n";
	resp->status = 200;
	resp->body = ok;
	resp->body_len = sizeof ok - 1;
	resp->content_type = "text/plain; charset=utf-8";
}

void not_found(struct req *req, struct resp *resp)
{
	resp_error(req, resp, 404, "not_found", N_("This page does not exist."), NULL, NULL, NULL);
}
