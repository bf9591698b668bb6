/* Accounts and roles. */
#ifndef UNBOX_USER_H
#define UNBOX_USER_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "domain/errors.h"

#define EMAIL_MAX 254
#define NAME_MIN 2
#define NAME_MAX 80

struct user {
	int64_t id;
	const char *email, *name, *role, *lang;
	int64_t created_at, confirmed_at;   /* confirmed_at 0 = not yet */
	bool blocked;
};

extern const char *const user_roles[];   /* NULL-terminated, in the order the README lists them */
bool role_valid(const char *role);
bool role_is_staff(const char *role);    /* team, committee, steward, admin: short sessions */
bool role_is_team(const char *role);     /* team, admin: the un:box team (ROLES_STAFF of the routes) */

bool email_valid(const char *email);
/* Lower-cases (ASCII) and trims into out (EMAIL_MAX + 1 bytes). Returns false,
 * with out empty, when the trimmed address is longer than EMAIL_MAX. */
bool email_normalize(const char *in, char out[EMAIL_MAX + 1]);
/* Checks e-mail and display name; returns the number of problems added. */
int  user_validate(struct field_errors *fe, const char *email, const char *name);

/* DB_OK (id in *id), DB_CONSTRAINT when the e-mail is taken, or an error. */
int  user_create(struct db *db, const char *email, const char *name, const char *pw_hash,
		 const char *role, int64_t confirmed_at, int64_t *id);
/* 1 found (filled into u), 0 there is no such account, -1 the database
 * failed. Strings live in the arena. pw_hash may be NULL. */
int  user_by_email(struct db *db, struct arena *a, const char *email, struct user *u, char **pw_hash);
int  user_by_id(struct db *db, struct arena *a, int64_t id, struct user *u);
int  user_set_confirmed(struct db *db, int64_t id, int64_t when);

#endif
