#include "domain/account.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/outbox.h"
#include "domain/content.h"
#include "domain/password.h"
#include "domain/personal.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "domain/token.h"
#include <inttypes.h>
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

int account_login(struct db *db, struct arena *a, const char *email_in, const char *password, const char *ip,
		  const char *user_agent, int64_t now, struct user *u, char token[TOKEN_LEN + 1], int *retry_after)
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
	if (found && !u->deleted) {
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
	/* only who knows the password learns that the account is blocked */
	if (u->blocked)
		return throttle_clear(db, key_email) == DB_OK ? ACCOUNT_BLOCKED : ACCOUNT_ERROR;
	if (!u->confirmed_at)
		return throttle_clear(db, key_email) == DB_OK ? ACCOUNT_UNCONFIRMED : ACCOUNT_ERROR;
	/* the session, its audit row and the cleared count: all or nothing */
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	int rc = throttle_clear(db, key_email);
	if (rc == DB_OK)
		rc = session_create(db, u, now, user_agent, token);
	if (rc == DB_OK)
		rc = audit_add(db, u->id, "account.login", "user", ip ? ip : "");
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return ACCOUNT_OK;
}

/* ---- the profile: the person's own changes ---- */

static void user_subject(int64_t id, char *out, size_t cap)
{
	snprintf(out, cap, "user:%" PRId64, id);
}

/* The current password of user_id once more, before a change that could
 * lock the person out or take their data; wrong ones are counted like
 * failed logins. ACCOUNT_OK, _INVALID (field: "required" or "wrong"),
 * _THROTTLED or _ERROR. */
static int reauth(struct db *db, struct arena *a, int64_t user_id, const char *password, const char *field,
		  int64_t now, struct field_errors *fe, int *retry_after)
{
	if (!password || !*password) {
		field_error(fe, field, "required");
		return ACCOUNT_INVALID;
	}
	char key[48];
	snprintf(key, sizeof key, "reauth:user:%" PRId64, user_id);
	int blocked = throttle_blocked(db, key, REAUTH_LIMIT, REAUTH_WINDOW, now, retry_after);
	if (blocked)
		return blocked < 0 ? ACCOUNT_ERROR : ACCOUNT_THROTTLED;
	int within = throttle_hit(db, key, REAUTH_LIMIT, REAUTH_WINDOW, now, retry_after);
	if (within <= 0)
		return within < 0 ? ACCOUNT_ERROR : ACCOUNT_THROTTLED;
	char *hash = NULL;
	int found = user_password_hash(db, a, user_id, &hash);
	if (found < 0)
		return ACCOUNT_ERROR;
	if (!found || strlen(password) > PASSWORD_MAX_BYTES || !password_verify(hash, password)) {
		field_error(fe, field, "wrong");
		return ACCOUNT_INVALID;
	}
	return throttle_clear(db, key) == DB_OK ? ACCOUNT_OK : ACCOUNT_ERROR;
}

static int commit_or_roll_back(struct db *db, int rc)
{
	if (rc != DB_OK) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return db_commit(db) == DB_OK ? ACCOUNT_OK : ACCOUNT_ERROR;
}

int account_set_name(struct db *db, int64_t user_id, const char *name, struct field_errors *fe)
{
	if (!check_text(fe, "name", name, NAME_MIN, NAME_MAX, 0))
		return ACCOUNT_INVALID;
	char trimmed[NAME_MAX * 4 + 1], subject[40];
	text_trim(name, trimmed, sizeof trimmed);
	user_subject(user_id, subject, sizeof subject);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	int rc = user_set_name(db, user_id, trimmed);
	if (rc == DB_OK)
		rc = audit_add(db, user_id, "account.name", subject, "");
	if (rc == DB_OK)        /* the name shows with ideas and comments on public pages */
		rc = content_changed(db);
	return commit_or_roll_back(db, rc);
}

/* "k…@example.org": enough for the owner to recognise the address. */
static void mask_email(const char *email, char *out, size_t cap)
{
	const char *at = strchr(email, '@');
	if (!at || at == email)
		snprintf(out, cap, "…");
	else
		snprintf(out, cap, "%c…%s", email[0], at);
}

static int mail_email_link(struct db *db, const char *to, const char *name, const char *token, const char *lang,
			   const char *base_url)
{
	char body[2048];
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello %s,\n\nplease confirm that you want to use this address for your un:box account by "
			 "opening this link:\n%s/email/confirm?token=%s\n\nThe link is valid for 24 hours. Until then "
			 "your account keeps its old address. If you did not ask for this, ignore this message.\n",
			 name, base_url, token);
	else
		snprintf(body, sizeof body,
			 "Hallo %s,\n\nbitte bestätigen Sie, dass Sie diese Adresse für Ihr un:box-Konto verwenden "
			 "möchten, mit diesem Link:\n%s/email/confirm?token=%s\n\nDer Link ist 24 Stunden gültig. Bis "
			 "dahin behält Ihr Konto die bisherige Adresse. Wenn Sie das nicht veranlasst haben, ignorieren "
			 "Sie diese Nachricht.\n", name, base_url, token);
	return outbox_add(db, to, english(lang) ? "Please confirm your new e-mail address"
					       : "Bitte bestätigen Sie Ihre neue E-Mail-Adresse", body);
}

static int mail_email_taken(struct db *db, const char *to, const char *lang, const char *base_url)
{
	char body[1024];
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello,\n\nsomeone asked to move their un:box account to this address, which has an account "
			 "already, so nothing changes. You can log in at %s/login.\nIf that was you, keep using this "
			 "account or delete one of the two on its profile page.\n", base_url);
	else
		snprintf(body, sizeof body,
			 "Hallo,\n\njemand wollte sein un:box-Konto auf diese Adresse umstellen. Für diese Adresse gibt "
			 "es bereits ein Konto, daher ändert sich nichts. Sie können sich unter %s/login anmelden.\n"
			 "Waren Sie das, nutzen Sie dieses Konto weiter oder löschen Sie eines der beiden auf seiner "
			 "Profilseite.\n", base_url);
	return outbox_add(db, to, english(lang) ? "Your un:box account" : "Ihr un:box-Konto", body);
}

static int mail_email_old(struct db *db, const char *to, const char *name, const char *new_email, const char *lang,
			  const char *base_url)
{
	char body[1536], masked[EMAIL_MAX + 8];
	mask_email(new_email, masked, sizeof masked);
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello %s,\n\nsomeone logged in to your un:box account asked to change its e-mail address to "
			 "%s. The change takes effect only when the link sent to that address is opened.\n\nIf that was "
			 "not you, log in at %s/login, change your password on your profile page and end the sessions "
			 "you do not know.\n", name, masked, base_url);
	else
		snprintf(body, sizeof body,
			 "Hallo %s,\n\nin Ihrem un:box-Konto wurde eine Änderung der E-Mail-Adresse auf %s beantragt. "
			 "Sie gilt erst, wenn der Link geöffnet wird, den wir an diese Adresse geschickt haben.\n\n"
			 "Waren Sie das nicht, melden Sie sich unter %s/login an, ändern Sie auf Ihrer Profilseite Ihr "
			 "Passwort und beenden Sie die Sitzungen, die Sie nicht kennen.\n", name, masked, base_url);
	return outbox_add(db, to, english(lang) ? "A change of your e-mail address was requested"
					       : "Änderung Ihrer E-Mail-Adresse beantragt", body);
}

int account_email_request(struct db *db, struct arena *a, const struct user *u, const char *new_email,
			  const char *password, const char *lang, const char *base_url, int64_t now,
			  struct field_errors *fe, int *retry_after)
{
	char email[EMAIL_MAX + 1];
	if (!email_normalize(new_email, email))
		field_error(fe, "email", "too_long");
	else if (!*email)
		field_error(fe, "email", "required");
	else if (!email_valid(email))
		field_error(fe, "email", "invalid");
	else if (strcmp(email, u->email) == 0)
		field_error(fe, "email", "same");
	if (fe->count) {
		if (!password || !*password)
			field_error(fe, "password", "required");
		return ACCOUNT_INVALID;
	}
	int rc = reauth(db, a, u->id, password, "password", now, fe, retry_after);
	if (rc != ACCOUNT_OK)
		return rc;
	int64_t other = 0;
	int taken = db_find_int(db, &other, "SELECT id FROM users WHERE email = $1", "s", email);
	if (taken < 0)
		return ACCOUNT_ERROR;
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1], subject[40];
	token_new(token);
	token_hash(token, hash);
	user_subject(u->id, subject, sizeof subject);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	/* a pending change is stored even for a taken address (its link is
	 * never sent), so the profile shows the same either way */
	rc = db_run(db, "DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL", "i", u->id);
	if (rc == DB_OK)
		rc = db_run(db, "INSERT INTO email_changes (user_id, new_email, token_hash, created_at, expires_at) "
				"VALUES ($1, $2, $3, $4, $5)", "issii", u->id, email, hash, now, now + EMAIL_CHANGE_SECONDS);
	if (rc == DB_OK)
		rc = taken ? mail_email_taken(db, email, lang, base_url)
			   : mail_email_link(db, email, u->name, token, lang, base_url);
	if (rc == DB_OK)
		rc = mail_email_old(db, u->email, u->name, email, lang, base_url);
	if (rc == DB_OK)
		rc = audit_add(db, u->id, "account.email_request", subject, "");
	return commit_or_roll_back(db, rc);
}

int account_email_confirm(struct db *db, const char *token, int64_t now)
{
	if (!token_well_formed(token))
		return ACCOUNT_INVALID;
	char hash[TOKEN_HASH_LEN + 1], email[EMAIL_MAX + 1] = "", subject[40];
	token_hash(token, hash);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	/* used once: of two parallel confirmations one finds the row */
	struct db_stmt *st = db_prepare(db,
		"UPDATE email_changes SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
		"RETURNING user_id, new_email");
	int64_t user_id = 0;
	int rc = st ? db_bind(st, "si", hash, now) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		user_id = db_int(st, 0);
		snprintf(email, sizeof email, "%s", db_text(st, 1));
		rc = db_step(st) == DB_ERROR ? DB_ERROR : DB_ROW;
	}
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(db);
		return rc == DB_OK ? ACCOUNT_INVALID : ACCOUNT_ERROR;
	}
	rc = user_set_email(db, user_id, email, now);
	if (rc == DB_CONSTRAINT) {   /* the address got an account meanwhile */
		db_rollback(db);
		return ACCOUNT_TAKEN;
	}
	user_subject(user_id, subject, sizeof subject);
	if (rc == DB_OK)
		rc = audit_add(db, user_id, "account.email_change", subject, "");
	return commit_or_roll_back(db, rc);
}

int account_email_pending(struct db *db, struct arena *a, int64_t user_id, int64_t now, const char **email,
			  int64_t *expires_at)
{
	struct db_stmt *st = db_prepare(db, "SELECT new_email, expires_at FROM email_changes "
					    "WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1");
	int rc = st ? db_bind(st, "ii", user_id, now) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*email = arena_strdup(a, db_text(st, 0));
		*expires_at = db_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int mail_password_changed(struct db *db, const char *to, const char *name, const char *lang,
				 const char *base_url)
{
	char body[1024];
	if (english(lang))
		snprintf(body, sizeof body,
			 "Hello %s,\n\nthe password of your un:box account was changed just now, and every other "
			 "session of the account was ended.\nIf that was not you, please write to the un:box team at "
			 "once (see \"Kontakt\" on %s).\n", name, base_url);
	else
		snprintf(body, sizeof body,
			 "Hallo %s,\n\ndas Passwort Ihres un:box-Kontos wurde soeben geändert, und alle anderen "
			 "Sitzungen des Kontos wurden beendet.\nWaren Sie das nicht, schreiben Sie bitte sofort dem "
			 "un:box-Team (siehe „Kontakt“ auf %s).\n", name, base_url);
	return outbox_add(db, to, english(lang) ? "Your password was changed" : "Ihr Passwort wurde geändert", body);
}

int account_set_password(struct db *db, struct arena *a, const struct user *u, const char *current,
			 const char *new_password, const char *keep_token, const char *lang, const char *base_url,
			 int64_t now, struct field_errors *fe, int *retry_after)
{
	const char *problem = password_policy(new_password);
	if (problem)
		field_error(fe, "new_password", problem);
	if (fe->count) {
		if (!current || !*current)
			field_error(fe, "current_password", "required");
		return ACCOUNT_INVALID;
	}
	int rc = reauth(db, a, u->id, current, "current_password", now, fe, retry_after);
	if (rc != ACCOUNT_OK)
		return rc;
	char hash[PASSWORD_HASH_MAX], subject[40];
	if (password_hash(new_password, hash) != 0)      /* slow: outside the transaction */
		return ACCOUNT_ERROR;
	user_subject(u->id, subject, sizeof subject);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	rc = user_set_password(db, u->id, hash);
	if (rc == DB_OK)     /* whoever else knew the old password is logged out */
		rc = session_end_others(db, u->id, keep_token);
	if (rc == DB_OK)
		rc = mail_password_changed(db, u->email, u->name, lang, base_url);
	if (rc == DB_OK)
		rc = audit_add(db, u->id, "account.password", subject, "");
	return commit_or_roll_back(db, rc);
}

int account_end_session(struct db *db, int64_t user_id, int64_t session_id)
{
	char subject[40], detail[40];
	user_subject(user_id, subject, sizeof subject);
	snprintf(detail, sizeof detail, "session %" PRId64, session_id);
	if (db_begin(db) != DB_OK)
		return -1;
	int found = session_end_id(db, user_id, session_id);
	if (found != 1) {
		db_rollback(db);
		return found;
	}
	if (audit_add(db, user_id, "account.session_end", subject, detail) != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return 1;
}

int account_end_other_sessions(struct db *db, int64_t user_id, const char *keep_token)
{
	char subject[40];
	user_subject(user_id, subject, sizeof subject);
	if (db_begin(db) != DB_OK)
		return DB_ERROR;
	int rc = session_end_others(db, user_id, keep_token);
	if (rc == DB_OK)
		rc = audit_add(db, user_id, "account.sessions_end", subject, "");
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return DB_ERROR;
	}
	return DB_OK;
}

int account_delete(struct db *db, struct arena *a, const struct user *u, const char *password, bool confirmed,
		   bool remove_texts, int64_t now, struct field_errors *fe, int *retry_after, struct account_erased *out)
{
	*out = (struct account_erased){ 0 };
	if (!confirmed)
		field_error(fe, "confirm", "required");
	if (fe->count) {
		if (!password || !*password)
			field_error(fe, "password", "required");
		return ACCOUNT_INVALID;
	}
	if (strcmp(u->role, "admin") == 0) {   /* someone must be left to administer */
		int64_t others = 0;
		if (db_find_int(db, &others, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND deleted_at IS NULL "
					     "AND blocked_at IS NULL AND id <> $1", "i", u->id) < 0)
			return ACCOUNT_ERROR;
		if (!others)
			return ACCOUNT_FORBIDDEN;
	}
	int rc = reauth(db, a, u->id, password, "password", now, fe, retry_after);
	if (rc != ACCOUNT_OK)
		return rc;
	char subject[40];
	user_subject(u->id, subject, sizeof subject);
	if (db_begin(db) != DB_OK)
		return ACCOUNT_ERROR;
	rc = DB_OK;
	/* every part first (they may still read the address), the row last */
	for (const struct personal_part *const *p = personal_parts(); rc == DB_OK && *p; p++) {
		int64_t n = 0;
		if (!(*p)->erase)
			continue;
		rc = (*p)->erase(db, u->id, remove_texts, now, &n);
		if (strcmp((*p)->name, "ideas") == 0)
			out->ideas = n;
		else if (strcmp((*p)->name, "comments") == 0)
			out->comments = n;
		else if (strcmp((*p)->name, "supports") == 0)
			out->supports = n;
		else if (strcmp((*p)->name, "follows") == 0)
			out->follows = n;
	}
	if (rc == DB_OK)
		rc = user_erase(db, u->id, now);
	char detail[160];
	snprintf(detail, sizeof detail, "%s; supports withdrawn: %" PRId64 "; follows ended: %" PRId64,
		 remove_texts ? "texts of ideas and comments removed" : "ideas and comments kept", out->supports,
		 out->follows);
	if (rc == DB_OK)
		rc = audit_add(db, u->id, "account.delete", subject, detail);
	if (rc == DB_OK)        /* names, supports and texts on public pages changed */
		rc = content_changed(db);
	return commit_or_roll_back(db, rc);
}
