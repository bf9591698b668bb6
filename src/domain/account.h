/* The account journeys: register, confirm the e-mail address, log in, and
 * the person's own changes on the profile: display name, e-mail address
 * (confirmed at the new address, the old one told), password (the other
 * sessions end), deleting the account. Each is one function that
 * validates, writes in one transaction (with its outbox mail and audit
 * row) and answers with one of these results. Changes that could lock the
 * person out or take their data ask for the current password again, with
 * the attempts limited like logins. */
#ifndef UNBOX_ACCOUNT_H
#define UNBOX_ACCOUNT_H
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "domain/errors.h"
#include "domain/token.h"
#include "domain/user.h"

enum account_rc {
	ACCOUNT_OK = 0,
	ACCOUNT_INVALID,      /* see the field errors */
	ACCOUNT_DENIED,       /* wrong e-mail or password (never says which) */
	ACCOUNT_UNCONFIRMED,  /* right password, e-mail not confirmed yet */
	ACCOUNT_THROTTLED,    /* too many attempts; see retry_after */
	ACCOUNT_BLOCKED,      /* right password, but the team blocked the account (u->blocked_reason) */
	ACCOUNT_TAKEN,        /* the new address got an account of its own meanwhile */
	ACCOUNT_FORBIDDEN,    /* the last administrator cannot delete their account */
	ACCOUNT_ERROR,        /* the database failed */
};

#define LOGIN_LIMIT_EMAIL 5      /* failed attempts per address ... */
#define LOGIN_LIMIT_IP 30        /* ... and per client address ... */
#define LOGIN_WINDOW 900         /* ... per 15 minutes */
#define CONFIRM_TOKEN_SECONDS (3 * 24 * 3600)
#define EMAIL_CHANGE_SECONDS (24 * 3600)   /* the link to a new address is valid this long */
#define REAUTH_LIMIT 5           /* wrong current passwords per account ... */
#define REAUTH_WINDOW 900        /* ... per 15 minutes */
#define CONFIRM_AGAIN_SECONDS 600   /* a new confirmation link at most this often */

/* Registers a resident account and queues the confirmation e-mail. An address
 * that already has an account gets a notice instead; the answer is the same. */
int account_register(struct db *db, const char *email, const char *name, const char *password,
		     const char *lang, const char *base_url, struct field_errors *fe);
/* Confirms the address the token was sent to: ACCOUNT_OK, ACCOUNT_INVALID
 * or ACCOUNT_ERROR. */
int account_confirm(struct db *db, const char *token, int64_t now);
/* After a login with the right password (ACCOUNT_UNCONFIRMED, u as filled
 * by account_login): a new confirmation link to the address, unless one was
 * sent within CONFIRM_AGAIN_SECONDS. 1 sent (with its audit row), 0 not
 * needed yet, -1 the database failed. The password proved the registration;
 * the link goes to the address, so only its owner can confirm. */
int account_confirm_again(struct db *db, const struct user *u, int64_t now, const char *base_url);
/* Checks the password, with throttling by e-mail and client address. On
 * ACCOUNT_OK the account is in u and a new session's cookie token in token,
 * stored in one transaction with the login's audit row (session_create).
 * ACCOUNT_BLOCKED only after the password was right (strangers learn no
 * more than from a wrong one); u then holds the team's reason. A deleted
 * account is no account. ACCOUNT_ERROR when the database failed at any
 * step: then nothing about the attempt may be trusted, not even that it was
 * counted. */
int account_login(struct db *db, struct arena *a, const char *email, const char *password, const char *ip,
		  const char *user_agent, int64_t now, struct user *u, char token[TOKEN_LEN + 1], int *retry_after);

/* A new display name (field "name"): ACCOUNT_OK, _INVALID or _ERROR. */
int account_set_name(struct db *db, int64_t user_id, const char *name, struct field_errors *fe);
/* Asks to change the address of u to new_email, with the current password
 * (field "password"). The new address gets a confirmation link (or, when it
 * has an account already, a notice saying so: the answer is the same), the
 * old one is told; the address changes only when the link is opened
 * (account_email_confirm). A new request replaces the pending one.
 * ACCOUNT_OK, _INVALID (fields "email": required, invalid, same; "password":
 * required, wrong), _THROTTLED (retry_after) or _ERROR. */
int account_email_request(struct db *db, struct arena *a, const struct user *u, const char *new_email,
			  const char *password, const char *lang, const char *base_url, int64_t now,
			  struct field_errors *fe, int *retry_after);
/* The link was opened: the address changes (and counts as confirmed).
 * ACCOUNT_OK, ACCOUNT_INVALID (no such link, used or expired), ACCOUNT_TAKEN
 * (another account has the address now) or ACCOUNT_ERROR. */
int account_email_confirm(struct db *db, const char *token, int64_t now);
/* The change of address waiting for its link: 1 (address in *email, arena;
 * *expires_at), 0 none, -1. */
int account_email_pending(struct db *db, struct arena *a, int64_t user_id, int64_t now, const char **email,
			  int64_t *expires_at);
/* A new password (field "new_password", the policy of registration) with
 * the current one (field "current_password"). Every other session of the
 * account ends; the one of keep_token stays. The address is told.
 * ACCOUNT_OK, _INVALID, _THROTTLED or _ERROR. */
int account_set_password(struct db *db, struct arena *a, const struct user *u, const char *current,
			 const char *new_password, const char *keep_token, const char *lang, const char *base_url,
			 int64_t now, struct field_errors *fe, int *retry_after);
/* The person ends one of their sessions (1 ended, 0 they have no such
 * session, -1), or every other one than keep_token's (DB_OK or an error);
 * each with an audit row. */
int account_end_session(struct db *db, int64_t user_id, int64_t session_id);
int account_end_other_sessions(struct db *db, int64_t user_id, const char *keep_token);
/* What account_delete did, for the answer and the audit row. */
struct account_erased {
	int64_t ideas, comments, supports, follows;
};
/* Deletes the account of u, with the password (field "password") and the
 * confirmation (field "confirm"): in one transaction every part of
 * domain/personal.h erases what is personal (remove_texts: the texts of the
 * person's ideas and comments too, placeholders kept), the account's row
 * keeps no personal data (user_erase), every session ends, and one audit
 * row names nothing but the account's number. ACCOUNT_OK, _INVALID,
 * _THROTTLED, _FORBIDDEN (the last administrator) or _ERROR. */
int account_delete(struct db *db, struct arena *a, const struct user *u, const char *password, bool confirmed,
		   bool remove_texts, int64_t now, struct field_errors *fe, int *retry_after, struct account_erased *out);

#endif
