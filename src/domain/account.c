#include "domain/account.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/audit.h"
#include "domain/outbox.h"
#include "domain/password.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "domain/token.h"
#include <stdio.h>
#include <string.h>

static bool english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

static int queue_confirmation(struct db *db, int64_t user_id, const char *email, const char *name,
			      const char *lang, const char *base_url)
{
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], body[2048];
	token_new(token);
	token_hash(token, hash);
	int rc = db_run(db, "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) "
			    "VALUES ($1, $2, 'confirm', $3)",
			"sii", hash, user_id, clock_now() + CONFIRM_TOKEN_SECONDS);
	if (rc != DB_OK)
		return rc;
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello %s,\n\nplease confirm your e-mail address for un:box by opening this link:\n"
			 "%s/confirm?token=%s\n\nThe link is valid for three days. If you did not register, "
			 "ignore this message.\n", name, base_url, token);
	else
		snprintf(body, sizeof body,
			 "Hallo %s,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse für un:box mit diesem Link:\n"
			 "%s/confirm?token=%s\n\nDer Link ist drei Tage gültig. Wenn Sie sich nicht registriert "
			 "haben, ignorieren Sie diese Nachricht.\n", name, base_url, token);
	return outbox_add(db, email, english(lang) ? "Please confirm your e-mail address"
						   : "Bitte bestätigen Sie Ihre E-Mail-Adresse", body);
}

static int queue_already_registered(struct db *db, const char *email, const char *lang, const char *base_url)
{
	char body[1024];
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello,\n\nsomeone tried to register a new un:box account with this address, which "
			 "already has one. You can log in at %s/login.\nIf that was not you, ignore this message.\n",
			 base_url);
	else
		snprintf(body, sizeof body,
			 "Hallo,\n\njemand wollte mit dieser Adresse ein neues un:box-Konto anlegen; es gibt "
			 "bereits eines. Sie können sich unter %s/login anmelden.\nWaren Sie das nicht, "
			 "ignorieren Sie diese Nachricht.\n", base_url);
	return outbox_add(db, email, english(lang) ? "Your un:box account" : "Ihr un:box-Konto", body);
}

int account_register(struct db *db, const char *email_in, const char *name, const char *password,
		     const char *lang, const char *base_url, struct field_errors *fe)
{
	char email[EMAIL_MAX + 1];
	if (!email_normalize(email_in, email))
		field_error(fe, "email", "too_long");
	user_validate(fe, email, name);
	const char *pw_problem = password_policy(password);
	if (pw_problem)
		field_error(fe, "password", pw_problem);
	if (fe->count)
		return ACCOUNT_INVALID;

	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) != 0)      /* slow: outside the transaction */
		return ACCOUNT_ERROR;

	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	int64_t id = 0;
	int rc = user_create(db, email, name, hash, "resident", 0, &id);
	if (rc == DB_OK) {
		if (db_run(db, "UPDATE users SET lang = $2 WHERE id = $1", "is", id, english(lang) ? "en" : "de") != DB_OK ||
		    queue_confirmation(db, id, email, name, lang, base_url) != DB_OK ||
		    audit_add(db, id, "account.register", "user", email) != DB_OK)
			rc = DB_ERROR;
	} else if (rc == DB_CONSTRAINT) {
		/* the address has an account; on PostgreSQL the failed insert has
		 * aborted the transaction, so the notice goes in a fresh one */
		db_rollback(db);
		rc = db_begin(db);
		if (rc == DB_OK)
			rc = queue_already_registered(db, email, lang, base_url);
	}
	if (rc != DB_OK) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return db_commit(db) == DB_OK ? ACCOUNT_OK : ACCOUNT_ERROR;
}

int account_confirm(struct db *db, const char *token, int64_t now)
{
	if (!token_well_formed(token))
		return ACCOUNT_INVALID;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	int64_t user_id = 0;
	int found = db_find_int(db, &user_id,
		"UPDATE email_tokens SET used_at = $2 "
		"WHERE token_hash = $1 AND purpose = 'confirm' AND used_at IS NULL AND expires_at > $2 "
		"RETURNING user_id", "si", hash, now);
	int rc = found < 0 ? ACCOUNT_ERROR : found == 0 ? ACCOUNT_INVALID : ACCOUNT_OK;
	if (rc == ACCOUNT_OK && (user_set_confirmed(db, user_id, now) != DB_OK ||
				 audit_add(db, user_id, "account.confirm", "user", "") != DB_OK))
		rc = ACCOUNT_ERROR;
	if (rc == ACCOUNT_OK ? db_commit(db) != DB_OK : db_rollback(db) != DB_OK)
		rc = ACCOUNT_ERROR;
	return rc;
}

int account_confirm_again(struct db *db, const struct user *u, int64_t now, const char *base_url)
{
	if (db_begin(db) != DB_OK)
		return -1;
	int64_t recent = 0;
	int found = db_find_int(db, &recent, "SELECT user_id FROM email_tokens "
				"WHERE user_id = $1 AND purpose = 'confirm' AND used_at IS NULL AND expires_at > $2 LIMIT 1",
				"ii", u->id, now + CONFIRM_TOKEN_SECONDS - CONFIRM_AGAIN_SECONDS);
	int rc = found < 0 ? DB_ERROR : DB_OK;
	if (found == 0) {
		rc = queue_confirmation(db, u->id, u->email, u->name, u->lang, base_url);
		if (rc == DB_OK)
			rc = audit_add(db, u->id, "account.confirm_again", "user", "");
	}
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return found == 0;
}

int account_login(struct db *db, struct arena *a, const char *email_in, const char *password,
		  const char *ip, int64_t now, struct user *u, char token[TOKEN_LEN + 1], int *retry_after)
{
	char email[EMAIL_MAX + 1], key_email[EMAIL_MAX + 32], key_ip[128];
	email_normalize(email_in, email);
	snprintf(key_email, sizeof key_email, "login:email:%s", email);
	snprintf(key_ip, sizeof key_ip, "login:ip:%s", ip ? ip : "-");
	int blocked = throttle_blocked(db, key_email, LOGIN_LIMIT_EMAIL, LOGIN_WINDOW, now, retry_after);
	if (blocked == 0)
		blocked = throttle_blocked(db, key_ip, LOGIN_LIMIT_IP, LOGIN_WINDOW, now, retry_after);
	if (blocked)
		return blocked < 0 ? ACCOUNT_ERROR : ACCOUNT_THROTTLED;
	/* count the attempt before the slow check: parallel guesses (several
	 * threads or instances) would otherwise all pass the check above */
	int within = throttle_hit(db, key_email, LOGIN_LIMIT_EMAIL, LOGIN_WINDOW, now, retry_after);
	if (within <= 0)
		return within < 0 ? ACCOUNT_ERROR : ACCOUNT_THROTTLED;
	if (!password || !*password || strlen(password) > PASSWORD_MAX_BYTES)
		password = "";

	char *pw_hash = NULL;
	bool ok;
	int found = user_by_email(db, a, email, u, &pw_hash);
	if (found < 0)
		return ACCOUNT_ERROR;
	if (found && !u->blocked) {
		ok = password_verify(pw_hash, password);
	} else {
		password_burn(password);      /* same time as a real check */
		ok = false;
	}
	if (!ok) {
		int ra = 0;
		return throttle_hit(db, key_ip, LOGIN_LIMIT_IP, LOGIN_WINDOW, now, &ra) < 0 ? ACCOUNT_ERROR
											 : ACCOUNT_DENIED;
	}
	if (!u->confirmed_at)
		return throttle_clear(db, key_email) == DB_OK ? ACCOUNT_UNCONFIRMED : ACCOUNT_ERROR;
	/* the session, its audit row and the cleared count: all or nothing */
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	int rc = throttle_clear(db, key_email);
	if (rc == DB_OK)
		rc = session_create(db, u, now, token);
	if (rc == DB_OK)
		rc = audit_add(db, u->id, "account.login", "user", ip ? ip : "");
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return ACCOUNT_OK;
}
