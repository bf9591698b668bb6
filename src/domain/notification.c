#include "domain/notification.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTIFICATION_DATA_MAX (64 * 1024)

/* The caller's data as an object, with the target's title (through its
 * kind's notify_sql, when it has one) and the actor's name filled in. NULL
 * when the data is no object or the database failed. */
static json_t *complete(struct db *db, const char *data_json, const struct target_kind *kind, int64_t id,
			int64_t actor_id)
{
	json_t *data = data_json && *data_json ? json_loads(data_json, 0, NULL) : json_object();
	if (!json_is_object(data)) {
		json_decref(data);
		return NULL;
	}
	bool title = kind && kind->notify_sql && !json_object_get(data, "title");
	bool actor = actor_id && !json_object_get(data, "actor");
	if (!title && !actor)
		return data;
	enum { N_TITLE, N_ACTOR };
	struct db_stmt *st = title ? db_prepare(db, kind->notify_sql)
				   : db_prepare(db, "SELECT NULL, name FROM users WHERE id = $1");
	int rc = !st ? DB_ERROR : title ? db_bind(st, "ii", id, actor ? actor_id : 0) : db_bind(st, "i", actor_id);
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		if (title && !db_is_null(st, N_TITLE))
			json_object_set_new(data, "title", json_string(db_text(st, N_TITLE)));
		if (actor && !db_is_null(st, N_ACTOR))
			json_object_set_new(data, "actor", json_string(db_text(st, N_ACTOR)));
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_OK) {
		json_decref(data);
		return NULL;
	}
	return data;
}

/* The data of a notification as JSON text (complete's object), in b; false
 * when it is not an object or longer than NOTIFICATION_DATA_MAX. */
static bool data_text(struct buf *b, json_t *data)
{
	buf_init(b, NOTIFICATION_DATA_MAX);
	if (data)
		json_write(b, data);
	json_decref(data);
	if (data && !b->overflow && b->data)
		return true;
	buf_free(b);
	return false;
}

int notify_followers(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor_id,
		     const char *what, const char *data_json)
{
	struct buf text;
	if (!data_text(&text, complete(db, data_json, kind, id, actor_id)))
		return DB_ERROR;
	char subject[48];
	target_subject(kind, id, subject, sizeof subject);
	int rc = db_run(db,
		"INSERT INTO notifications (user_id, kind, subject, actor_id, data, created_at) "
		"SELECT user_id, $3, $4, NULLIF($5, 0), $6, $7 FROM follows "
		"WHERE target_kind = $1 AND target_id = $2 AND user_id <> $5",
		"sissisi", kind->name, id, what, subject, actor_id, text.data, clock_now());
	buf_free(&text);
	return rc == DB_ROW ? DB_OK : rc;
}

int notify_user(struct db *db, int64_t user_id, int64_t actor_id, const char *what, const char *subject,
		const char *data_json)
{
	if (!user_id || user_id == actor_id)
		return DB_OK;
	const struct target_kind *kind = NULL;
	int64_t id = 0;
	if (!target_parse_subject(subject, &kind, &id))
		kind = NULL;
	struct buf text;
	if (!data_text(&text, complete(db, data_json, kind, id, actor_id)))
		return DB_ERROR;
	int rc = db_run(db, "INSERT INTO notifications (user_id, kind, subject, actor_id, data, created_at) "
			    "VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6)", "issisi", user_id, what, subject, actor_id,
			text.data, clock_now());
	buf_free(&text);
	return rc == DB_ROW ? DB_OK : rc;
}

int64_t notification_unread(struct db *db, int64_t user_id)
{
	return db_one_int(db, 0,
		"SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL "
		"LIMIT 100) AS unread", "i", user_id);
}

/* The page of a target the data names by "<kind>_id", other than the
 * subject's own kind: 1 with out, 0. */
static int named_target(json_t *data, const struct target_kind *subject_kind, char *out, size_t cap)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v) {
		size_t n = strlen(key);
		if (!json_is_integer(v) || n < 4 || n > 40 || strcmp(key + n - 3, "_id") != 0)
			continue;
		char name[40];
		memcpy(name, key, n - 3);
		name[n - 3] = '\0';
		const struct target_kind *k = target_kind_find(name);
		if (k && k != subject_kind && k->path) {
			snprintf(out, cap, "%s%" JSON_INTEGER_FORMAT, k->path, json_integer_value(v));
			return 1;
		}
	}
	return 0;
}

/* Where a notification leads (see notification_list). */
static void link_of(const char *subject, json_t *data, char *out, size_t cap)
{
	const struct target_kind *kind = NULL;
	int64_t id = 0;
	if (!target_parse_subject(subject, &kind, &id))
		kind = NULL;
	if (named_target(data, kind, out, cap))
		return;
	if (!kind || !kind->path) {
		snprintf(out, cap, "/");
		return;
	}
	json_t *comment = json_object_get(data, "comment_id");
	if (json_is_integer(comment))
		snprintf(out, cap, "%s%" PRId64 "#comment-%" JSON_INTEGER_FORMAT, kind->path, id, json_integer_value(comment));
	else
		snprintf(out, cap, "%s%" PRId64, kind->path, id);
}

json_t *notification_list(struct db *db, const char *lang, int64_t user_id, int64_t before_id, int limit)
{
	if (limit < 1 || limit > NOTIFICATION_PAGE_MAX)
		limit = NOTIFICATION_PAGE_DEFAULT;
	struct db_stmt *st = db_prepare(db,
		"SELECT id, kind, subject, data, created_at, read_at FROM notifications "
		"WHERE user_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3");
	enum { L_ID, L_KIND, L_SUBJECT, L_DATA, L_CREATED, L_READ };
	json_t *items = json_array();
	json_t *next = json_null();
	int rc = st ? db_bind(st, "iii", user_id, before_id, (int64_t)limit + 1) : DB_ERROR;
	if (rc == DB_OK) {
		int n = 0;
		int64_t last = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			if (n++ == limit) {
				json_decref(next);
				next = json_integer(last);
				break;
			}
			last = db_int(st, L_ID);
			char iso[32], date[32], url[96];
			json_t *data = json_loads(db_text(st, L_DATA), 0, NULL);
			if (!json_is_object(data)) {
				json_decref(data);
				data = json_object();
			}
			int64_t created = db_int(st, L_CREATED);
			clock_format_iso(created, iso, sizeof iso);
			clock_format_date(created, lang, date, sizeof date);
			link_of(db_text(st, L_SUBJECT), data, url, sizeof url);
			json_t *o = json_object();
			jset_int(o, "id", last);
			jset(o, "kind", json_string(db_text(st, L_KIND)));
			jset(o, "subject", json_string(db_text(st, L_SUBJECT)));
			jset_str(o, "url", url);
			jset(o, "data", data);
			jset_str(o, "created_at", iso);
			jset_str(o, "created_date", date);
			jset(o, "read", json_boolean(!db_is_null(st, L_READ)));
			json_array_append_new(items, o);
		}
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(items);
		json_decref(next);
		return NULL;
	}
	return json_pack("{so so}", "items", items, "next", next);
}

int notification_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t now)
{
	if (id && db_one_int(db, 0, "SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2", "ii", id,
			     user_id) != 1)
		return 1;
	int rc = db_run(db, "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL "
			    "AND ($2 = 0 OR id = $2)", "iii", user_id, id, now);
	return rc == DB_OK || rc == DB_ROW ? 0 : -1;
}
