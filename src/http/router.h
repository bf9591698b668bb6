/* The route table type and its matcher. The table itself is src/routes.c:
 * one line per route with method, path pattern, handler and its limits. */
#ifndef UNBOX_ROUTER_H
#define UNBOX_ROUTER_H
#include <stdbool.h>
#include <stddef.h>
#include "web/req.h"

/* Who may call a route: 0 = everyone, else a bit per role (see user_roles[]). */
#define ROLE_BIT(i) (1u << (i))
#define ROLES_LOGGED_IN 0x7Fu
#define ROLE_RESIDENT   ROLE_BIT(0)
#define ROLE_TEAM       ROLE_BIT(1)
#define ROLE_SPURGRUPPE ROLE_BIT(2)
#define ROLE_COMMITTEE  ROLE_BIT(3)
#define ROLE_SUPPORTER  ROLE_BIT(4)
#define ROLE_STEWARD    ROLE_BIT(5)
#define ROLE_ADMIN      ROLE_BIT(6)
#define ROLES_STAFF     (ROLE_TEAM | ROLE_ADMIN)   /* run cycles, shepherd ideas, moderate */

enum route_flags {
	ROUTE_BARE = 1,     /* no session, language or CSRF handling (health check) */
	ROUTE_NO_CSRF = 2,  /* a POST that carries no state change worth protecting */
	ROUTE_CACHE = 4,    /* anonymous GETs may be answered from the page cache */
	ROUTE_UPLOAD = 8,   /* also takes multipart/form-data, streamed (http/upload.h) under upload */
};

struct route {
	const char *method;
	const char *pattern;      /* literal segments and {id} (digits) */
	handler_fn handler;
	unsigned roles;
	size_t body_max;          /* bytes a request body may have; 0 = none */
	unsigned flags;
	/* the kind of target {id} names, for the handlers of the shared
	 * services (comments, follows, moderation) that serve any kind */
	const struct page_target *target;
	const struct upload_rule *upload;   /* ROUTE_UPLOAD: the files it takes (web/req.h) */
};

extern const struct route routes[];
extern const size_t routes_count;

/* src/areas.c: tells the shared services of every layer which areas there
 * are (their kinds of target, their notifications). Once, at start-up,
 * before any thread runs: every command that touches the data calls it. */
void areas_init(void);

enum match { MATCH_OK, MATCH_NONE, MATCH_METHOD };
/* Finds the route for method and path; fills params from {..} segments
 * (pointers into the arena). MATCH_METHOD: the path exists with another method. */
enum match router_match(struct arena *a, const char *method, const char *path,
			const struct route **out, const char *params[4]);
/* True when the user's role is among the route's roles. */
bool router_allows(const struct route *r, const char *role);

#endif
