#include "domain/admin/auditlog.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include <string.h>
#include <time.h>

const char *const auditlog_actions[] = {
	"moderation.report", "moderation.keep", "idea.hide", "idea.unhide", "comment.hide", "comment.unhide",
	"comment.delete", "user.block", "user.unblock", "user.role", "settings.change", "settings.logo",
	"text.edit", NULL,
};
#define AUDITLOG_NACTIONS 13   /* the $1 … $13 of all_sql */

bool auditlog_action_known(const char *action)
{
	for (size_t i = 0; action && auditlog_actions[i]; i++)
		if (strcmp(auditlog_actions[i], action) == 0)
			return true;
	return false;
}

#define LOG_COLS "SELECT a.id, a.at, a.action, a.subject, a.detail, u.id, u.name FROM audit a " \
		 "LEFT JOIN users u ON u.id = a.actor_id "
enum { L_ID, L_AT, L_ACTION, L_SUBJECT, L_DETAIL, L_ACTOR_ID, L_ACTOR_NAME };

/* one action: its rows in the index on (action, id) */
static const char one_sql[] = LOG_COLS "WHERE a.action = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3";
static const char all_sql[] = LOG_COLS "WHERE a.action IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
				       "AND a.id < $14 ORDER BY a.id DESC LIMIT $15";

static json_t *row(struct db_stmt *st, const char *lang)
{
	int64_t at = db_int(st, L_AT);
	char iso[32], date[32], hm[8] = "";
	clock_format_iso(at, iso, sizeof iso);
	clock_format_date(at, lang, date, sizeof date);
	time_t t = (time_t)at;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(hm, sizeof hm, "%H:%M", &tm);
	json_t *o = json_object();
	jset_int(o, "id", db_int(st, L_ID));
	jset_str(o, "at", iso);
	jset_str(o, "date", date);
	jset_str(o, "time", hm);
	jset(o, "action", json_string(db_text(st, L_ACTION)));
	jset(o, "subject", json_string(db_text(st, L_SUBJECT)));
	jset(o, "detail", json_string(db_text(st, L_DETAIL)));
	json_t *actor = json_null();
	if (!db_is_null(st, L_ACTOR_ID)) {
		actor = json_object();
		jset_int(actor, "id", db_int(st, L_ACTOR_ID));
		jset(actor, "name", json_string(db_text(st, L_ACTOR_NAME)));
	}
	jset(o, "actor", actor);
	return o;
}

json_t *auditlog_list(struct db *db, const char *lang, const char *action, int64_t before, int limit)
{
	_Static_assert(sizeof auditlog_actions / sizeof auditlog_actions[0] == AUDITLOG_NACTIONS + 1,
		       "all_sql names every action of the log");
	bool one = action && *action;
	struct db_stmt *st = db_prepare(db, one ? one_sql : all_sql);
	if (!st)
		return NULL;
	int64_t below = before > 0 ? before : INT64_MAX;
	int rc = DB_OK;
	if (one) {
		rc = db_bind(st, "sii", action, below, (int64_t)limit + 1);
	} else {
		for (int i = 0; rc == DB_OK && i < AUDITLOG_NACTIONS; i++)
			rc = db_bind_text(st, i + 1, auditlog_actions[i]);
		if (rc == DB_OK)
			rc = db_bind_int(st, AUDITLOG_NACTIONS + 1, below);
		if (rc == DB_OK)
			rc = db_bind_int(st, AUDITLOG_NACTIONS + 2, (int64_t)limit + 1);
	}
	json_t *items = json_array();
	int n = 0;
	int64_t last = 0;
	bool more = false;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			more = true;
			rc = DB_OK;
			break;
		}
		last = db_int(st, L_ID);
		json_array_append_new(items, row(st, lang));
		n++;
		rc = DB_OK;
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		return NULL;
	}
	return jpage(items, more, last, limit);
}
