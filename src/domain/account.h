/* The account journeys: register, confirm the e-mail address, log in.
 * Each is one function that validates, writes in one transaction (with its
 * outbox mail and audit row) and answers with one of these results. */
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
	ACCOUNT_ERROR,        /* the database failed */
};

#define LOGIN_LIMIT_EMAIL 5      /* failed attempts per address ... */
#define LOGIN_LIMIT_IP 30        /* ... and per client address ... */
#define LOGIN_WINDOW 900         /* ... per 15 minutes */
#define CONFIRM_TOKEN_SECONDS (3 * 24 * 3600)
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
 * ACCOUNT_ERROR when the database failed at any step: then nothing about the
 * attempt may be trusted, not even that it was counted. */
int account_login(struct db *db, struct arena *a, const char *email, const char *password,
		  const char *ip, int64_t now, struct user *u, char token[TOKEN_LEN + 1], int *retry_after);

#endif
