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
	const char *blocked_reason;         /* "" when not blocked (or blocked before reasons were kept) */
	bool deleted;                       /* a deleted account's placeholder: no personal data left */
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
/* The stored password hash of a live account: 1 (in *pw_hash, arena), 0, -1. */
int  user_password_hash(struct db *db, struct arena *a, int64_t id, char **pw_hash);
/* Changes of one live account, inside the caller's transaction: DB_OK (also
 * when there is no such account: callers check it first) or an error;
 * user_set_email answers DB_CONSTRAINT when another account has the address. */
int  user_set_name(struct db *db, int64_t id, const char *name);
int  user_set_email(struct db *db, int64_t id, const char *email, int64_t now);
int  user_set_password(struct db *db, int64_t id, const char *pw_hash);
/* Erases the personal data of the account (e-mail, name, password hash,
 * role, blocking reason) and marks it deleted; the row stays as the
 * placeholder the account's ideas, comments and audit rows point to. Its
 * address ("deleted-<id>", no valid e-mail) can never log in. In the
 * caller's transaction. */
int  user_erase(struct db *db, int64_t id, int64_t now);

#endif
