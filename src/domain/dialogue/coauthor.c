#include "domain/dialogue/coauthor.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/outbox.h"
#include "domain/token.h"
#include "domain/user.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int coauthor_invite(struct db *db, int64_t idea_id, const char *email, const char *inviter,
		    const char *title, const char *base_url, const char *lang, int64_t now)
{
	char token[TOKEN_LEN + 1], hash[TOKEN_HASH_LEN + 1];
	token_new(token);
	token_hash(token, hash);
	int rc = db_run(db, "INSERT INTO co_authors (idea_id, email, token_hash, invited_at) VALUES ($1, $2, $3, $4) "
			"ON CONFLICT (idea_id, email) DO NOTHING", "issi", idea_id, email, hash, now);
	if (rc != DB_OK)
		return rc;
	char body[2048];
	bool en = lang && strcmp(lang, "en") == 0;
	if (en)
		snprintf(body, sizeof body,
			 "Hello,\n\n%s has handed in the idea \"%s\" on un:box and would like to name you as a "
			 "co-author.\n\nTo accept or decline, open this link:\n%s/coauthor?token=%s\n\n"
			 "If you do not know this idea, ignore this message: nothing is shown without your consent.\n",
			 inviter, title, base_url, token);
	else
		snprintf(body, sizeof body,
			 "Hallo,\n\n%s hat auf un:box die Idee \"%s\" eingereicht und möchte Sie als "
			 "Mitautor:in nennen.\n\nZum Annehmen oder Ablehnen öffnen Sie diesen Link:\n"
			 "%s/coauthor?token=%s\n\nWenn Sie diese Idee nicht kennen, ignorieren Sie diese Nachricht: "
			 "ohne Ihre Zustimmung wird nichts angezeigt.\n", inviter, title, base_url, token);
	return outbox_add(db, email, en ? "You are invited as a co-author on un:box"
					: "Einladung als Mitautor:in auf un:box", body);
}

int coauthor_lookup(struct db *db, const char *token, json_t **out)
{
	*out = NULL;
	if (!token || !token_well_formed(token))
		return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	struct db_stmt *st = db_prepare(db,
		"SELECT i.id, i.title, c.status, c.email FROM co_authors c JOIN ideas i ON i.id = c.idea_id "
		"WHERE c.token_hash = $1");
	enum { INV_IDEA_ID, INV_TITLE, INV_STATUS, INV_EMAIL };
	if (!st)
		return -1;
	int rc = db_bind(st, "s", hash);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		char url[48];
		snprintf(url, sizeof url, "/ideas/%" PRId64, db_int(st, INV_IDEA_ID));
		*out = json_pack("{s{sI ss ss} ss ss}", "idea", "id", (json_int_t)db_int(st, INV_IDEA_ID),
				 "title", db_text(st, INV_TITLE), "url", url, "status", db_text(st, INV_STATUS),
				 "email", db_text(st, INV_EMAIL));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int coauthor_answer(struct db *db, const char *token, bool accept, const char *name, int64_t user_id,
		    int64_t now, struct field_errors *fe)
{
	if (!token || !token_well_formed(token))
		return COAUTHOR_NOT_FOUND;
	if (accept && !check_text(fe, "name", name, NAME_MIN, NAME_MAX, 0))
		return COAUTHOR_INVALID;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, hash);
	if (db_begin(db) != DB_OK)
		return COAUTHOR_ERROR;
	struct db_stmt *st = db_prepare(db, "SELECT id, idea_id, status FROM co_authors WHERE token_hash = $1");
	int64_t id = 0, idea = 0;
	bool open = false;
	int rc = st ? db_bind(st, "s", hash) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_int(st, 0);
		idea = db_int(st, 1);
		open = strcmp(db_text(st, 2), "invited") == 0;
	}
	db_done(st);
	if (rc != DB_ROW || !open) {
		db_rollback(db);
		return rc == DB_ROW ? COAUTHOR_ANSWERED : rc == DB_OK ? COAUTHOR_NOT_FOUND : COAUTHOR_ERROR;
	}
	st = db_prepare(db, "UPDATE co_authors SET status = $1, name = $2, user_id = $3, answered_at = $4 "
			    "WHERE id = $5 AND status = 'invited'");
	rc = DB_ERROR;
	if (st && db_bind(st, "ssiii", accept ? "accepted" : "declined", accept ? name : "", user_id, now, id) == DB_OK &&
	    (user_id || db_bind_null(st, 3) == DB_OK))
		rc = db_step(st);
	db_done(st);
	char subject[32];
	snprintf(subject, sizeof subject, "idea:%" PRId64, idea);
	if (rc == DB_OK)
		rc = audit_add(db, user_id, accept ? "coauthor.accept" : "coauthor.decline", subject, "");
	if (rc == DB_OK && accept)
		rc = content_changed(db);    /* the idea page names its co-authors */
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return COAUTHOR_ERROR;
	}
	return COAUTHOR_OK;
}

int coauthor_is_accepted(struct db *db, int64_t idea_id, int64_t user_id, const char *email)
{
	int64_t one;
	return !user_id ? 0 : db_find_int(db, &one, "SELECT 1 FROM co_authors WHERE idea_id = $1 AND status = 'accepted' "
					    "AND (user_id = $2 OR lower(email) = lower($3)) LIMIT 1", "iis", idea_id,
					    user_id, email ? email : "");
}

json_t *coauthor_accepted(struct db *db, int64_t idea_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT name FROM co_authors WHERE idea_id = $1 AND status = 'accepted' "
					    "ORDER BY answered_at, id");
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc = db_bind(st, "i", idea_id);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_t *o = json_object();
		jset_str(o, "name", db_text(st, 0));
		json_array_append_new(out, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}
