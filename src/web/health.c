/* Answers that belong to no area: the health check and "not found". */
#include "web/handlers.h"

/* Served from memory: the ceiling every benchmark figure is compared with. */
void page_health_show(struct req *req, struct resp *resp)
{
	static const char ok[] = "ok\n";
	resp->status = 200;
	resp->body = ok;
	resp->body_len = sizeof ok - 1;
	resp->content_type = "text/plain; charset=utf-8";
}

void page_not_found(struct req *req, struct resp *resp)
{
	resp_error(req, resp, 404, "not_found", N_("This page does not exist."), NULL, NULL, NULL);
}
