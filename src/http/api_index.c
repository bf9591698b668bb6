/* GET /api/v1: the index of the API, read from the route table itself, so
 * it names every address there is and cannot drift from it. Each path
 * answers in JSON under /api/v1 (or with Accept: application/json). */
#include "http/api_index.h"
#include "core/jsonx.h"
#include "domain/user.h"
#include "web/handlers.h"
#include <string.h>

/* Who may call a route: "everyone", "logged_in", or the roles by name. */
static json_t *who(unsigned roles)
{
	if (!roles)
		return json_string("everyone");
	if ((roles & ROLES_LOGGED_IN) == ROLES_LOGGED_IN)
		return json_string("logged_in");
	json_t *names = json_array();
	for (int i = 0; user_roles[i]; i++)
		if (roles & ROLE_BIT(i))
			json_array_append_new(names, json_string(user_roles[i]));
	return names;
}

void page_api_index(struct req *req, struct resp *resp)
{
	req->json = true;   /* the index is for programs, also when a browser asks */
	json_t *list = json_array();
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		if ((r->flags & ROUTE_BARE) || r->handler == page_api_index)
			continue;   /* the health check answers plain text outside the API */
		json_t *o = json_object();
		jset_str(o, "method", r->method);
		jset_str(o, "path", arena_printf(req->arena, "/api/v1%s", strcmp(r->pattern, "/") == 0 ? "/" : r->pattern));
		jset(o, "who", who(r->roles));
		if (strcmp(r->method, "POST") == 0) {
			jset_int(o, "body_max", (int64_t)r->body_max);
			jset(o, "csrf", json_boolean(!(r->flags & ROUTE_NO_CSRF)));
			if (r->flags & ROUTE_UPLOAD)
				jset(o, "upload", json_true());
		}
		json_array_append_new(list, o);
	}
	json_t *model = json_object();
	jset_str(model, "name", "un:box API");
	jset_str(model, "version", "v1");
	jset_str(model, "about", T(req, N_("Every page of un:box is also this API. Read with GET; write with POST, a form or a JSON object, and the CSRF token of GET /api/v1/session in the X-CSRF-Token header. Errors come as {\"error\": {\"code\", \"message\", \"fields\"}}; {id} is a number.")));
	jset_str(model, "session", "/api/v1/session");
	jset_int(model, "count", (int64_t)json_array_size(list));
	jset(model, "routes", list);
	resp_page(resp, 200, NULL, NULL, model);
}
