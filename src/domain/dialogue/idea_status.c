#include "domain/dialogue/idea_status.h"
#include "domain/dialogue/targets.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/cycle.h"
#include "domain/dialogue/idea_details.h"
#include "domain/dialogue/field.h"
#include "domain/dialogue/idea_details.h"
#include "domain/notification.h"
#include "domain/place.h"
#include "domain/user.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the workflow, pure ---- */

const char *const idea_statuses[] = { "submitted", "in_dialogue", "eligible", "not_eligible",
				      "prioritised", "qualified", "withdrawn", "archived", NULL };

static const char *const status_labels[IDEA_STATUS_COUNT][2] = {
	{ "Eingereicht", "Submitted" },
	{ "Im Dialog", "In dialogue" },
	{ "Förderfähig", "Eligible" },
	{ "Nicht förderfähig", "Not eligible" },
	{ "Priorisiert", "Prioritised" },
	{ "Qualifiziert", "Qualified" },
	{ "Zurückgezogen", "Withdrawn" },
	{ "Archiviert", "Archived" },
};

static int status_index(const char *s)
{
	for (int i = 0; s && idea_statuses[i]; i++)
		if (strcmp(idea_statuses[i], s) == 0)
			return i;
	return -1;
}

bool idea_status_valid(const char *status)
{
	return status_index(status) >= 0;
}

const char *idea_status_label(const char *status, bool en)
{
	int i = status_index(status);
	if (i < 0 && status && strcmp(status, "merged") == 0)       /* history markers of merges (domain/merge.h), */
		return en ? "Merged into another idea" : "Mit einer anderen Idee zusammengeführt";
	if (i < 0 && status && strcmp(status, "merged_in") == 0)    /* not states of the workflow */
		return en ? "A duplicate was merged into this idea" : "Ein Duplikat wurde mit dieser Idee zusammengeführt";
	return i < 0 ? status : status_labels[i][en];
}

bool idea_status_needs_reason(const char *to)
{
	return to && (strcmp(to, "not_eligible") == 0 || strcmp(to, "withdrawn") == 0 ||
		      strcmp(to, "archived") == 0);
}

bool idea_status_closed(const char *status)
{
	return status && (strcmp(status, "archived") == 0 || strcmp(status, "withdrawn") == 0);
}

/* Who makes a transition. */
enum actor { BY_TEAM, BY_COMMITTEE, BY_AUTHOR };

static const struct { const char *from, *to; enum actor by; } transitions[] = {
	{ "submitted", "in_dialogue", BY_TEAM },
	{ "prioritised", "qualified", BY_TEAM },
	{ "in_dialogue", "eligible", BY_COMMITTEE },
	{ "in_dialogue", "not_eligible", BY_COMMITTEE },
	{ "eligible", "prioritised", BY_COMMITTEE },
	{ "submitted", "withdrawn", BY_AUTHOR },
	{ "in_dialogue", "withdrawn", BY_AUTHOR },
	/* archived: by the team from every other state (below) */
};
#define NTRANSITIONS (sizeof transitions / sizeof transitions[0])

static bool acts_as(enum actor by, const char *role, bool is_author)
{
	switch (by) {
	case BY_TEAM:
		return role_is_team(role);
	case BY_COMMITTEE:
		return role && strcmp(role, "committee") == 0;
	case BY_AUTHOR:
		return is_author;
	}
	return false;
}

enum status_check idea_status_check(const char *from, const char *to, const char *role, bool is_author)
{
	if (status_index(from) < 0 || status_index(to) < 0)
		return STATUS_UNKNOWN;
	if (strcmp(to, "archived") == 0)
		return !acts_as(BY_TEAM, role, is_author) ? STATUS_FORBIDDEN
			: strcmp(from, to) == 0 ? STATUS_NOT_NOW : STATUS_ALLOWED;
	bool may_ever = false;
	for (size_t i = 0; i < NTRANSITIONS; i++) {
		if (strcmp(transitions[i].to, to) != 0 || !acts_as(transitions[i].by, role, is_author))
			continue;
		if (strcmp(transitions[i].from, from) == 0)
			return STATUS_ALLOWED;
		may_ever = true;
	}
	return may_ever ? STATUS_NOT_NOW : STATUS_FORBIDDEN;
}

int idea_status_validate_reason(const char *to, const char *reason, struct field_errors *fe)
{
	size_t before = fe->count;
	bool empty = !reason || reason[strspn(reason, " \t\r\n")] == '\0';
	if (idea_status_needs_reason(to) || !empty)
		check_text(fe, "reason", reason, idea_status_needs_reason(to) ? STATUS_REASON_MIN : 1,
			   STATUS_REASON_MAX, 1);
	return (int)(fe->count - before);
}

json_t *idea_status_options(const char *from, const char *role, bool is_author, const char *lang)
{
	bool en = lang && strcmp(lang, "en") == 0;
	json_t *out = json_array();
	for (int i = 0; idea_statuses[i]; i++) {
		if (idea_status_check(from, idea_statuses[i], role, is_author) != STATUS_ALLOWED)
			continue;
		json_t *o = json_object();
		jset_str(o, "value", idea_statuses[i]);
		jset_str(o, "label", status_labels[i][en]);
		jset(o, "needs_reason", json_boolean(idea_status_needs_reason(idea_statuses[i])));
		json_array_append_new(out, o);
	}
	return out;
}

/* ---- the workflow, stored ---- */

int idea_status_facts(struct db *db, int64_t idea_id, int64_t *author_id, char status[24],
		      int64_t *caretaker_id)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT COALESCE(author_id, 0), status, COALESCE(caretaker_id, 0) FROM ideas WHERE id = $1");
	enum { FACT_AUTHOR, FACT_STATUS, FACT_CARETAKER };
	if (!st)
		return -1;
	int rc = db_bind(st, "i", idea_id);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		if (author_id)
			*author_id = db_int(st, FACT_AUTHOR);
		if (status)
			snprintf(status, 24, "%s", db_text(st, FACT_STATUS));
		if (caretaker_id)
			*caretaker_id = db_int(st, FACT_CARETAKER);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

/* Followers hear of every status change (in the same transaction). */
static int notify_status_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *to,
				const char *reason)
{
	json_t *data = json_object();
	jset(data, "status", json_string(to));
	if (reason && *reason)
		jset(data, "reason", json_string(reason));
	/* into a buffer of ours: jansson's allocator may be a request's arena */
	char text[8 * 1024];
	size_t n = json_dumpb(data, text, sizeof text - 1, JSON_COMPACT);
	json_decref(data);
	if (n == 0 || n >= sizeof text)
		return DB_ERROR;
	text[n] = '\0';
	return notify_followers(db, &idea_target, idea_id, actor_id, NOTIFY_IDEA_STATUS, text);
}

/* The checks of a change from the idea's current state: STATUS_RC_OK with
 * *from and *is_author, or the refusal (fe says why for INVALID). */
static int check_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role, const char *to,
			const char *reason, struct field_errors *fe, char from[24], bool *is_author)
{
	if (!idea_status_valid(to)) {
		field_error(fe, "status", to && *to ? "invalid" : "required");
		return STATUS_RC_INVALID;
	}
	int64_t author = 0;
	int found = idea_status_facts(db, idea_id, &author, from, NULL);
	if (found <= 0)
		return found < 0 ? STATUS_RC_ERROR : STATUS_RC_NOT_FOUND;
	*is_author = author != 0 && author == actor_id;
	switch (idea_status_check(from, to, actor_role, *is_author)) {
	case STATUS_ALLOWED:
		break;
	case STATUS_FORBIDDEN:
		return STATUS_RC_FORBIDDEN;
	case STATUS_NOT_NOW:
	case STATUS_UNKNOWN:
		field_error(fe, "status", "not_now");
		return STATUS_RC_INVALID;
	}
	return idea_status_validate_reason(to, reason, fe) ? STATUS_RC_INVALID : STATUS_RC_OK;
}

int idea_status_may_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
			   const char *to, const char *reason, struct field_errors *fe)
{
	char from[24];
	bool is_author;
	return check_change(db, idea_id, actor_id, actor_role, to, reason, fe, from, &is_author);
}

/* Moves the idea from `from` to `to` inside the caller's transaction: the
 * row (only from the state just read: a change made meanwhile wins, and
 * DB_CONSTRAINT says so), the history row, an audit row (action), the
 * content version and the followers' notification. */
static int record_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role, bool is_author,
			 const char *from, const char *to, const char *why, const char *action, int64_t now)
{
	int rc = db_run(db, "UPDATE ideas SET status = $2, updated_at = $3, last_activity_at = $3 "
			    "WHERE id = $1 AND status = $4 RETURNING id", "isis", idea_id, to, now, from);
	if (rc == DB_ROW) {
		struct db_stmt *st = db_prepare(db,
			"INSERT INTO idea_status_history (idea_id, from_status, to_status, actor_id, actor_role, "
			"  by_author, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
		rc = st ? db_bind(st, "issisisi", idea_id, from, to, actor_id, actor_role ? actor_role : "",
				  (int64_t)is_author, why, now) : DB_ERROR;
		if (rc == DB_OK && !actor_id)
			rc = db_bind_null(st, 4);
		if (rc == DB_OK)
			rc = db_step(st);
		db_done(st);
	} else if (rc == DB_OK) {
		rc = DB_CONSTRAINT;   /* changed meanwhile */
	}
	if (rc == DB_OK) {
		char subject[32], detail[64];
		snprintf(subject, sizeof subject, "idea:%" PRId64, idea_id);
		snprintf(detail, sizeof detail, "%s -> %s", from, to);
		rc = audit_add(db, actor_id, action, subject, detail);
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc == DB_OK)
		rc = notify_status_change(db, idea_id, actor_id, to, why);
	return rc;
}

int idea_status_record_in_tx(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
			     bool by_author, const char *from, const char *to, const char *reason, int64_t at)
{
	return record_change(db, idea_id, actor_id, actor_role, by_author, from, to, reason ? reason : "",
			     "idea.status", at);
}

/* Ends a change's transaction: STATUS_RC_OK, or INVALID ("not_now") when
 * the idea changed meanwhile, or ERROR. */
static int finish_change(struct db *db, int rc, struct field_errors *fe)
{
	if (rc != DB_OK) {
		db_rollback(db);
		if (rc == DB_CONSTRAINT) {
			field_error(fe, "status", "not_now");
			return STATUS_RC_INVALID;
		}
		return STATUS_RC_ERROR;
	}
	return db_commit(db) == DB_OK ? STATUS_RC_OK : STATUS_RC_ERROR;
}

int idea_status_change(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role,
		       const char *to, const char *reason, int64_t now, struct field_errors *fe)
{
	if (!idea_status_valid(to)) {
		field_error(fe, "status", to && *to ? "invalid" : "required");
		return STATUS_RC_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return STATUS_RC_ERROR;
	char from[24];
	bool is_author = false;
	int checked = check_change(db, idea_id, actor_id, actor_role, to, reason, fe, from, &is_author);
	if (checked != STATUS_RC_OK) {
		db_rollback(db);
		return checked;
	}
	const char *why = reason && reason[strspn(reason, " \t\r\n")] ? reason : "";
	return finish_change(db, record_change(db, idea_id, actor_id, actor_role, is_author, from, to, why,
					       "idea.status", now), fe);
}

int idea_status_reopen_to(struct db *db, int64_t idea_id, char to[24])
{
	struct db_stmt *st = db_prepare(db,
		"SELECT from_status FROM idea_status_history WHERE idea_id = $1 AND to_status = 'archived' "
		"ORDER BY at DESC, id DESC LIMIT 1");
	int rc = st ? db_bind(st, "i", idea_id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	const char *from = rc == DB_ROW ? db_text(st, 0) : NULL;
	/* archived without a history (imported): it starts again as handed in */
	snprintf(to, 24, "%s", from && idea_status_valid(from) && strcmp(from, "archived") != 0 ? from : "submitted");
	db_done(st);
	return rc == DB_ROW || rc == DB_OK ? 1 : -1;
}

int idea_status_reopen(struct db *db, int64_t idea_id, int64_t actor_id, const char *actor_role, const char *reason,
		       int64_t now, struct field_errors *fe, char to[24])
{
	to[0] = '\0';
	if (!role_is_team(actor_role))
		return STATUS_RC_FORBIDDEN;
	if (db_begin(db) != DB_OK)
		return STATUS_RC_ERROR;
	char from[24];
	int found = idea_status_facts(db, idea_id, NULL, from, NULL);
	if (found <= 0) {
		db_rollback(db);
		return found < 0 ? STATUS_RC_ERROR : STATUS_RC_NOT_FOUND;
	}
	if (strcmp(from, "archived") != 0) {
		db_rollback(db);
		field_error(fe, "status", "not_now");
		return STATUS_RC_INVALID;
	}
	/* a way back out of a closed door: the reason is public, as closing's was */
	size_t before = fe->count;
	check_text(fe, "reason", reason, STATUS_REASON_MIN, STATUS_REASON_MAX, 1);
	if (fe->count > before) {
		db_rollback(db);
		return STATUS_RC_INVALID;
	}
	if (idea_status_reopen_to(db, idea_id, to) < 0) {
		db_rollback(db);
		return STATUS_RC_ERROR;
	}
	return finish_change(db, record_change(db, idea_id, actor_id, actor_role, false, from, to, reason,
					       "idea.reopen", now), fe);
}

static const char *role_label(const char *role, bool en)
{
	if (strcmp(role, "team") == 0)
		return en ? "un:box team" : "un:box-Team";
	if (strcmp(role, "admin") == 0)
		return en ? "administration" : "Administration";
	if (strcmp(role, "committee") == 0)
		return en ? "steering committee" : "Lenkungsausschuss";
	return NULL;
}

json_t *idea_status_timeline(struct db *db, const char *lang, int64_t idea_id)
{
	bool en = lang && strcmp(lang, "en") == 0;
	struct db_stmt *st = db_prepare(db,
		"SELECT h.from_status, h.to_status, h.actor_role, h.by_author, h.reason, h.at, COALESCE(u.name, ''), h.id "
		"FROM idea_status_history h LEFT JOIN users u ON u.id = h.actor_id "
		"WHERE h.idea_id = $1 ORDER BY h.at, h.id LIMIT 100");
	enum { H_FROM, H_TO, H_ROLE, H_BY_AUTHOR, H_REASON, H_AT, H_ACTOR_NAME, H_ID };
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc = db_bind(st, "i", idea_id);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		char iso[32], date[32], who[160];
		int64_t at = db_int(st, H_AT);
		clock_format_iso(at, iso, sizeof iso);
		clock_format_date(at, lang, date, sizeof date);
		const char *role = role_label(db_text(st, H_ROLE), en);
		const char *name = db_text(st, H_ACTOR_NAME);
		if (db_int(st, H_BY_AUTHOR))
			snprintf(who, sizeof who, "%s", en ? "Idea author" : "Ideengeber:in");
		else if (role && *name)
			snprintf(who, sizeof who, "%s (%s)", name, role);
		else
			snprintf(who, sizeof who, "%s", role ? role : name);
		json_t *o = json_object();
		jset_int(o, "id", db_int(st, H_ID));
		jset_str(o, "from", db_text(st, H_FROM));
		jset_str(o, "to", db_text(st, H_TO));
		jset_str(o, "from_label", idea_status_label(db_text(st, H_FROM), en));
		jset_str(o, "to_label", idea_status_label(db_text(st, H_TO), en));
		jset_str(o, "at", iso);
		jset_str(o, "date", date);
		jset(o, "who", json_string(who));
		jset_str(o, "reason", db_text(st, H_REASON));
		jset(o, "reopened", json_boolean(strcmp(db_text(st, H_FROM), "archived") == 0));
		json_array_append_new(out, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- caretakers ---- */

int caretaker_of(struct db *db, int64_t idea_id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db,
		"SELECT u.id, u.name FROM ideas i JOIN users u ON u.id = i.caretaker_id WHERE i.id = $1");
	if (!st)
		return -1;
	int rc = db_bind(st, "i", idea_id);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*out = json_object();
		jset_int(*out, "id", db_int(st, 0));
		jset_str(*out, "name", db_text(st, 1));
	} else if (rc == DB_OK) {
		*out = json_null();
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

json_t *caretaker_candidates(struct db *db)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name FROM users WHERE role IN ('team', 'admin') AND blocked_at IS NULL "
		"ORDER BY name, id LIMIT 500");
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		jset_int(o, "id", db_int(st, 0));
		jset_str(o, "name", db_text(st, 1));
		json_array_append_new(out, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int caretaker_assign(struct db *db, int64_t idea_id, int64_t actor_id, int64_t caretaker_id, int64_t now,
		     struct field_errors *fe)
{
	int64_t one;
	int member = caretaker_id <= 0 ? caretaker_id == 0
		: db_find_int(db, &one, "SELECT 1 FROM users WHERE id = $1 AND role IN ('team', 'admin') "
					 "AND blocked_at IS NULL", "i", caretaker_id);
	if (member < 0)
		return STATUS_RC_ERROR;
	if (!member) {
		field_error(fe, "caretaker", "invalid");
		return STATUS_RC_INVALID;
	}
	if (db_begin(db) != DB_OK)
		return STATUS_RC_ERROR;
	struct db_stmt *st = db_prepare(db,
		"UPDATE ideas SET caretaker_id = $2, last_activity_at = $3 WHERE id = $1 RETURNING id");
	int rc = st ? db_bind(st, "iii", idea_id, caretaker_id, now) : DB_ERROR;
	if (rc == DB_OK && !caretaker_id)
		rc = db_bind_null(st, 2);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	if (rc == DB_OK) {
		db_rollback(db);
		return STATUS_RC_NOT_FOUND;
	}
	rc = rc == DB_ROW ? DB_OK : rc;
	if (rc == DB_OK) {
		char subject[32], detail[32];
		snprintf(subject, sizeof subject, "idea:%" PRId64, idea_id);
		snprintf(detail, sizeof detail, "caretaker=%" PRId64, caretaker_id);
		rc = audit_add(db, actor_id, "idea.caretaker", subject, detail);
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc != DB_OK) {
		db_rollback(db);
		return STATUS_RC_ERROR;
	}
	return db_commit(db) == DB_OK ? STATUS_RC_OK : STATUS_RC_ERROR;
}

static const char *const phase_names[6][2] = {
	{ "Vor dem Start", "Not started" },
	{ "Ideensammlung", "Idea collection" },
	{ "Projektkonkretisierung", "Project definition" },
	{ "Maßnahmenqualifizierung", "Qualification" },
	{ "Umsetzung", "Implementation" },
	{ "Abgeschlossen", "Finished" },
};

/* The activity time of an idea: the newer of last_activity_at and updated_at. */
#define ACTIVITY "CASE WHEN i.last_activity_at > i.updated_at THEN i.last_activity_at ELSE i.updated_at END"
/* Selected right after IDEA_COLS (columns IDEA_NCOLS + CARE_...). */
#define CARE_COLS "c.phase1_start, c.phase2_start, c.phase3_start, c.phase4_start, c.phase4_end, " ACTIVITY
enum { CARE_PHASE1_START = IDEA_NCOLS, CARE_PHASE4_END = CARE_PHASE1_START + 4, CARE_ACTIVITY };

static json_t *care_row(struct db_stmt *st, const char *lang, int64_t now)
{
	bool en = lang && strcmp(lang, "en") == 0;
	json_t *o = idea_item(st, lang);
	struct cycle c = { .phase4_end = db_int(st, CARE_PHASE4_END) };
	for (int i = 0; i < 4; i++)
		c.phase_start[i] = db_int(st, CARE_PHASE1_START + i);
	int phase = cycle_phase_at(&c, now);
	json_t *p = json_object();
	jset_int(p, "number", phase);
	jset_str(p, "key", cycle_phase_keys[phase]);
	jset_str(p, "name", phase_names[phase][en]);
	jset(o, "phase", p);
	char iso[32], date[32];
	int64_t act = db_int(st, CARE_ACTIVITY);
	clock_format_iso(act, iso, sizeof iso);
	clock_format_date(act, lang, date, sizeof date);
	jset_str(o, "last_activity_at", iso);
	jset_str(o, "last_activity_date", date);
	jset_int(o, "_t", act);
	return o;
}

json_t *caretaker_ideas(struct db *db, const char *lang, int64_t caretaker_id, int64_t before_t,
			int64_t before_id, int limit, int64_t now)
{
	if (limit < 1)
		limit = CARETAKER_PAGE_DEFAULT;
	if (limit > CARETAKER_PAGE_MAX)
		limit = CARETAKER_PAGE_MAX;
	struct db_stmt *st = db_prepare(db,
		"SELECT " IDEA_COLS ", " CARE_COLS " " IDEA_JOINS "JOIN cycles c ON c.id = i.cycle_id "
		"WHERE i.caretaker_id = $1 AND ($2 = 0 OR (" ACTIVITY ", i.id) < ($2, $3)) "
		"ORDER BY " ACTIVITY " DESC, i.id DESC LIMIT $4");
	if (!st)
		return NULL;
	json_t *items = json_array();
	json_t *next = json_null();
	int rc = db_bind(st, "iiii", caretaker_id, before_t, before_id, (int64_t)limit + 1);
	int n = 0;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		if (n++ == limit) {
			json_t *last = json_array_get(items, (size_t)limit - 1);
			char cursor[48];
			snprintf(cursor, sizeof cursor, "%" JSON_INTEGER_FORMAT ".%" JSON_INTEGER_FORMAT,
				 json_integer_value(json_object_get(last, "_t")),
				 json_integer_value(json_object_get(last, "id")));
			json_decref(next);
			next = json_string(cursor);
			break;
		}
		json_array_append_new(items, care_row(st, lang, now));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row)
		json_object_del(row, "_t");
	json_t *out = json_object();
	jset(out, "items", items);
	jset(out, "next", next);
	jset_int(out, "limit", limit);
	return out;
}

json_t *caretaker_waiting(struct db *db, const char *lang, int64_t caretaker_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT " IDEA_COLS ", " CARE_COLS " " IDEA_JOINS "JOIN cycles c ON c.id = i.cycle_id "
		"WHERE i.caretaker_id = $1 AND i.status = 'submitted' "
		"  AND NOT EXISTS (SELECT 1 FROM idea_status_history h WHERE h.idea_id = i.id) "
		"ORDER BY i.created_at, i.id LIMIT $2");
	if (!st)
		return NULL;
	json_t *items = json_array();
	int rc = db_bind(st, "ii", caretaker_id, (int64_t)CARETAKER_WAITING_MAX);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_t *o = care_row(st, lang, now);
		json_object_del(o, "_t");
		json_array_append_new(items, o);
	}
	db_done(st);
	int64_t total = 0;
	if (rc != DB_OK ||
	    db_find_int(db, &total,
			"SELECT COUNT(*) FROM ideas i WHERE i.caretaker_id = $1 AND i.status = 'submitted' "
			"  AND NOT EXISTS (SELECT 1 FROM idea_status_history h WHERE h.idea_id = i.id)",
			"i", caretaker_id) < 0) {
		json_decref(items);
		return NULL;
	}
	json_t *out = json_object();
	jset(out, "items", items);
	jset_int(out, "total", total);
	jset_int(out, "limit", CARETAKER_WAITING_MAX);
	return out;
}

/* ---- assisted submission ---- */

const char *const assisted_channels[] = { "paper", "event", "meinungsmobil", "campaign", NULL };

int assisted_validate(const struct assisted_input *in, struct field_errors *fe)
{
	size_t before = fe->count;
	idea_validate_text(&in->idea, fe);
	bool known = false;
	for (int i = 0; in->channel && assisted_channels[i]; i++)
		known |= strcmp(in->channel, assisted_channels[i]) == 0;
	if (!in->channel || !*in->channel)
		field_error(fe, "channel", "required");
	else if (!known)
		field_error(fe, "channel", "invalid");
	else if (strcmp(in->channel, "campaign") == 0)
		check_text(fe, "campaign", in->campaign, 2, IDEA_CAMPAIGN_MAX, 0);
	check_text(fe, "resident_name", in->resident_name, NAME_MIN, NAME_MAX, 0);
	if (in->resident_email && in->resident_email[strspn(in->resident_email, " \t")]) {
		char norm[EMAIL_MAX + 1];
		if (!email_normalize(in->resident_email, norm) || !email_valid(norm))
			field_error(fe, "resident_email", "invalid");
	}
	if (!in->consent)
		field_error(fe, "consent", "required");
	return (int)(fe->count - before);
}

int assisted_submit(struct db *db, int64_t recorded_by, const struct assisted_input *in, int64_t now,
		    struct field_errors *fe, int64_t *id)
{
	assisted_validate(in, fe);
	/* the database checks idea_insert makes, here with their reasons */
	int64_t field = 0;
	if (!in->idea.field || !*in->idea.field)
		field_error(fe, "field", "required");
	else if (!(field = field_id(db, in->idea.field)))
		field_error(fe, "field", "invalid");
	char *end = NULL;
	int64_t bezirk = 0, teil = in->idea.stadtteil ? strtoll(in->idea.stadtteil, &end, 10) : 0;
	int teil_found = 1;
	if (!in->idea.stadtteil || !*in->idea.stadtteil)
		field_error(fe, "stadtteil", "required");
	else if (*end || !(teil_found = place_stadtteil(db, teil, &bezirk)))
		field_error(fe, "stadtteil", "invalid");
	int campaign_known = 1;
	if (in->channel && strcmp(in->channel, "campaign") == 0 && !field_error_for(fe, "campaign") &&
	    !(campaign_known = idea_campaign_valid(in->campaign) ? campaign_exists(db, in->campaign) : 0))
		field_error(fe, "campaign", idea_campaign_valid(in->campaign) ? "unknown" : "invalid");
	if (field < 0 || teil_found < 0 || campaign_known < 0)
		return IDEA_ERROR;
	if (fe->count)
		return IDEA_INVALID;
	int64_t cycle = cycle_open_for_submission(db, now);
	if (cycle <= 0)
		return cycle < 0 ? IDEA_ERROR : IDEA_CLOSED;
	char email[EMAIL_MAX + 1] = "";
	if (in->resident_email)
		email_normalize(in->resident_email, email);
	bool campaign = strcmp(in->channel, "campaign") == 0;
	if (db_begin(db) != DB_OK)
		return IDEA_ERROR;
	int rc = idea_insert(db, cycle, 0, &in->idea, now, id) == IDEA_OK ? DB_OK : DB_ERROR;
	if (rc == DB_OK) {
		struct db_stmt *st = db_prepare(db,
			"UPDATE ideas SET intake_channel = $2, intake_campaign = $3, intake_consent = 1, "
			"  recorded_by = $4, resident_name = $5, resident_email = $6, last_activity_at = $7 "
			"WHERE id = $1");
		rc = st ? db_bind(st, "isnisni", *id, in->channel, recorded_by, in->resident_name, now) : DB_ERROR;
		if (rc == DB_OK && campaign)
			rc = db_bind_text(st, 3, in->campaign);
		if (rc == DB_OK && *email)
			rc = db_bind_text(st, 6, email);
		if (rc == DB_OK)
			rc = db_step(st);
		db_done(st);
	}
	if (rc == DB_OK) {
		char subject[32], detail[96];
		snprintf(subject, sizeof subject, "idea:%" PRId64, *id);
		snprintf(detail, sizeof detail, "channel=%s consent=1", in->channel);
		rc = audit_add(db, recorded_by, "idea.assisted", subject, detail);
	}
	if (rc != DB_OK) {
		db_rollback(db);
		return IDEA_ERROR;
	}
	return db_commit(db) == DB_OK ? IDEA_OK : IDEA_ERROR;
}
