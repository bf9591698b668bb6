#include "domain/dialogue/campaign.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/dialogue/idea_details.h"
#include <inttypes.h>
#include <stdio.h>

int campaign_exists(struct db *db, const char *code)
{
	int64_t one;
	if (!code || !*code)
		return 0;
	return db_find_int(db, &one, "SELECT 1 FROM campaigns WHERE code = $1", "s", code);
}

int campaign_add(struct db *db, int64_t actor_id, const char *code, const char *name, int64_t now,
		 struct field_errors *fe, int64_t *id)
{
	size_t before = fe->count;
	if (!code || !*code)
		field_error(fe, "campaign", "required");
	else if (!idea_campaign_valid(code))
		field_error(fe, "campaign", "invalid");
	check_text(fe, "name", name, CAMPAIGN_NAME_MIN, CAMPAIGN_NAME_MAX, 0);
	if (fe->count > before)
		return DB_CONSTRAINT;
	int taken = campaign_exists(db, code);
	if (taken != 0) {
		if (taken > 0)
			field_error(fe, "campaign", "taken");
		return taken > 0 ? DB_CONSTRAINT : DB_ERROR;
	}
	if (db_begin(db) != DB_OK)
		return DB_ERROR;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO campaigns (code, name, created_by, created_at) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT (code) DO NOTHING RETURNING id");
	int rc = st ? db_bind(st, "ssii", code, name, actor_id, now) : DB_ERROR;
	if (rc == DB_OK && !actor_id)
		rc = db_bind_null(st, 3);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_int(st, 0);
	db_done(st);
	if (rc == DB_OK) {   /* a parallel request took the code */
		db_rollback(db);
		field_error(fe, "campaign", "taken");
		return DB_CONSTRAINT;
	}
	if (rc == DB_ROW) {
		char subject[40];
		snprintf(subject, sizeof subject, "campaign:%" PRId64, *id);
		rc = audit_add(db, actor_id, "campaign.add", subject, code);
	}
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return DB_ERROR;
	}
	return DB_OK;
}

int campaign_insert(struct db *db, int64_t actor_id, const char *code, const char *name, int64_t now)
{
	if (!idea_campaign_valid(code))
		return DB_CONSTRAINT;
	int64_t id = 0;
	int found = db_find_int(db, &id, "INSERT INTO campaigns (code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
				"ssi", code, name, now);
	if (found <= 0)
		return DB_ERROR;
	char subject[40];
	snprintf(subject, sizeof subject, "campaign:%" PRId64, id);
	return audit_add(db, actor_id, "campaign.add", subject, code);
}

json_t *campaign_list(struct db *db, const char *lang)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, code, name, created_at FROM campaigns ORDER BY created_at DESC, id DESC LIMIT $1");
	enum { C_ID, C_CODE, C_NAME, C_CREATED };
	int rc = st ? db_bind(st, "i", (int64_t)CAMPAIGNS_SHOWN) : DB_ERROR;
	json_t *out = json_array();
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char iso[32], date[32], link[80];
		clock_format_iso(db_int(st, C_CREATED), iso, sizeof iso);
		clock_format_date(db_int(st, C_CREATED), lang, date, sizeof date);
		snprintf(link, sizeof link, "/ideas/new?campaign=%s", db_text(st, C_CODE));   /* codes need no escaping */
		json_t *o = json_object();
		jset_int(o, "id", db_int(st, C_ID));
		jset_str(o, "code", db_text(st, C_CODE));
		jset_str(o, "name", db_text(st, C_NAME));
		jset_str(o, "created_at", iso);
		jset_str(o, "created_date", date);
		jset_str(o, "link", link);
		json_array_append_new(out, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}
