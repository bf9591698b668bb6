/* The people with an account, as the administrators see them: found by
 * name or e-mail address, a page per person with what was decided about
 * them, and their role changed with a reason. A role change writes an audit
 * row ("user.role", subject "user:<id>", detail "old → new: reason"), ends
 * the person's sessions (a new role takes effect at their next login, with
 * the session length of that role), tells them by e-mail through the outbox,
 * all in one transaction; the last administrator who can log in keeps the
 * role, so the platform is never left without one. */
#ifndef UNBOX_PEOPLE_H
#define UNBOX_PEOPLE_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define PEOPLE_PAGE_DEFAULT 25     /* people per page of the search ... */
#define PEOPLE_PAGE_MAX 100        /* ... and at most, on request */
#define PEOPLE_QUERY_MAX 100       /* characters of a search */
#define PEOPLE_HISTORY_MAX 50      /* audit rows on a person's page, the newest */
#define ROLE_REASON_MIN 10
#define ROLE_REASON_MAX 500

struct people_filter {
	const char *q;             /* part of the name or e-mail address, any case; NULL or "": everyone */
	const char *role;          /* one of user_roles, or NULL/"": every role */
	int64_t before;            /* the cursor: ids below this one (0: from the newest) */
	int limit;                 /* 1..PEOPLE_PAGE_MAX */
};

/* The newest accounts first: {items [{id, name, email, role, confirmed,
 * blocked, created_at (ISO 8601), created_date}], next (an id) or null,
 * limit, count (all that match)}. NULL when the database failed. Case is
 * ignored for ASCII letters on SQLite, for all letters on PostgreSQL. */
json_t *people_search(struct db *db, const char *lang, const struct people_filter *f);
/* One person: 1 with *out {id, name, email, role, lang, confirmed,
 * confirmed_date, blocked, blocked_date, created_at, created_date,
 * history [{id, at, date, action, detail, actor {id, name} or null}]},
 * 0 when there is none, -1. */
int people_get(struct db *db, const char *lang, int64_t id, json_t **out);

enum people_rc {
	PEOPLE_OK = 0,
	PEOPLE_INVALID,            /* fields role ("invalid", "unchanged") and reason */
	PEOPLE_NOT_FOUND,
	PEOPLE_LAST_ADMIN,         /* the only administrator who can log in would lose the role */
	PEOPLE_ERROR,
};

/* Gives person id the role, for the reason, decided by actor. */
int people_set_role(struct db *db, int64_t id, const char *role, const char *reason, int64_t actor,
		    const char *base_url, struct field_errors *fe);

#endif
