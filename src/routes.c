/* Every route of un:box. Each path also answers in JSON under /api/v1/...
 * and with Accept: application/json. Body limits are per route. */
#include "http/router.h"
#include "web/handlers.h"

#define KB 1024

const struct route routes[] = {
	/* method  pattern          handler          who may          body     flags */
	{ "GET",  "/",              home_show,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/healthz",       health_show,     0,               0,       ROUTE_BARE },
	{ "GET",  "/register",      register_form,   0,               0,       0 },
	{ "POST", "/register",      register_submit, 0,               8 * KB,  0 },
	{ "GET",  "/confirm",       confirm_form,    0,               0,       0 },
	{ "POST", "/confirm",       confirm_submit,  0,               2 * KB,  0 },
	{ "GET",  "/login",         login_form,      0,               0,       0 },
	{ "POST", "/login",         login_submit,    0,               4 * KB,  0 },
	{ "POST", "/logout",        logout_submit,   ROLES_LOGGED_IN, 1 * KB,  0 },
	{ "GET",  "/profile",       profile_show,    ROLES_LOGGED_IN, 0,       0 },
	{ "GET",  "/session",       session_show,    0,               0,       0 },
	{ "GET",  "/ideas",         ideas_list,      0,               0,       ROUTE_CACHE },
	{ "GET",  "/ideas/new",     idea_form,       ROLES_LOGGED_IN, 0,       0 },
	{ "POST", "/ideas",         idea_create,     ROLES_LOGGED_IN, 64 * KB, 0 },
	{ "GET",  "/ideas/{id}",    idea_show,       0,               0,       ROUTE_CACHE },
	{ "GET",  "/search",        search_show,     0,               0,       0 },
};

const size_t routes_count = sizeof routes / sizeof routes[0];
