#include "domain/notification.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTIFICATION_DATA_MAX (64 * 1024)

/* The caller's data as an object, with the idea's title (when idea_title)
 * and the actor's name filled in. */
static json_t *complete(struct db *db, const char *data_json, bool idea_title, int64_t subject_id,
			int64_t actor_id)
{
	json_t *data = data_json && *data_json ? json_loads(data_json, 0, NULL) : json_object();
	if (!json_is_object(data)) {
		json_decref(data);
		return NULL;
	}
	/* title and actor in one statement: with a database server each is a round trip */
	bool title = idea_title && !json_object_get(data, "title");
	bool actor = actor_id && !json_object_get(data, "actor");
	struct db_stmt *st = !title && !actor ? NULL : db_prepare(db,
		"SELECT (SELECT title FROM ideas WHERE id = $1), (SELECT name FROM users WHERE id = $2)");
	if (st && db_bind(st, "ii", title ? subject_id : 0, actor ? actor_id : 0) == DB_OK && db_step(st) == DB_ROW) {
		if (title && !db_is_null(st, 0))
			json_object_set_new(data, "title", json_string(db_text(st, 0)));
		if (actor && !db_is_null(st, 1))
			json_object_set_new(data, "actor", json_string(db_text(st, 1)));
	}
	db_done(st);
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

static int fan_out(struct db *db, const char *sql, bool idea_title, const char *prefix, int64_t id,
		   int64_t actor_id, const char *kind, const char *data_json)
{
	struct buf text;
	if (!data_text(&text, complete(db, data_json, idea_title, id, actor_id)))
		return DB_ERROR;
	char subject[48];
	snprintf(subject, sizeof subject, "%s:%" PRId64, prefix, id);
	int rc = db_run(db, sql, "issisi", id, kind, subject, actor_id, text.data, clock_now());
	buf_free(&text);
	return rc == DB_ROW ? DB_OK : rc;
}

int notify_followers_of_idea(struct db *db, int64_t idea_id, int64_t actor_id, const char *kind,
			     const char *data_json)
{
	return fan_out(db,
		"INSERT INTO notifications (user_id, kind, subject, actor_id, data, created_at) "
		"SELECT user_id, $2, $3, NULLIF($4, 0), $5, $6 FROM idea_follows WHERE idea_id = $1 AND user_id <> $4",
		true, "idea", idea_id, actor_id, kind, data_json);
}

int notify_followers_of_cycle(struct db *db, int64_t cycle_id, int64_t actor_id, const char *kind,
			      const char *data_json)
{
	return fan_out(db,
		"INSERT INTO notifications (user_id, kind, subject, actor_id, data, created_at) "
		"SELECT user_id, $2, $3, NULLIF($4, 0), $5, $6 FROM cycle_follows WHERE cycle_id = $1 AND user_id <> $4",
		false, "cycle", cycle_id, actor_id, kind, data_json);
}

int notify_user(struct db *db, int64_t user_id, int64_t actor_id, const char *kind, const char *subject,
		const char *data_json)
{
	if (!user_id || user_id == actor_id)
		return DB_OK;
	int64_t idea = 0;
	if (strncmp(subject, "idea:", 5) == 0)
		idea = strtoll(subject + 5, NULL, 10);
	struct buf text;
	if (!data_text(&text, complete(db, data_json, idea != 0, idea,
				       actor_id)))
		return DB_ERROR;
	int rc = db_run(db, "INSERT INTO notifications (user_id, kind, subject, actor_id, data, created_at) "
			    "VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6)", "issisi", user_id, kind, subject, actor_id,
			text.data, clock_now());
	buf_free(&text);
	return rc == DB_ROW ? DB_OK : rc;
}

int notify_new_idea(struct db *db, int64_t cycle_id, int64_t idea_id, int64_t author_id, const char *title)
{
	json_t *data = json_object();
	jset_int(data, "idea_id", idea_id);
	json_object_set_new(data, "title", json_string(title ? title : ""));
	struct buf text;
	if (!data_text(&text, data))
		return DB_ERROR;
	int rc = notify_followers_of_cycle(db, cycle_id, author_id, NOTIFY_CYCLE_IDEA, text.data);
	buf_free(&text);
	return rc;
}

int64_t notification_unread(struct db *db, int64_t user_id)
{
	return db_one_int(db, 0,
		"SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL "
		"LIMIT 100) AS unread", "i", user_id);
}

/* Where a notification leads: the idea (at the comment), else the list. */
static void link_of(const char *subject, json_t *data, char *out, size_t cap)
{
	int64_t idea = 0;
	if (strncmp(subject, "idea:", 5) == 0)
		idea = strtoll(subject + 5, NULL, 10);
	json_t *other = json_object_get(data, "idea_id");
	if (!idea && json_is_integer(other))
		idea = json_integer_value(other);
	if (!idea) {
		snprintf(out, cap, "/ideas");
		return;
	}
	json_t *comment = json_object_get(data, "comment_id");
	if (json_is_integer(comment))
		snprintf(out, cap, "/ideas/%" PRId64 "#comment-%" JSON_INTEGER_FORMAT, idea, json_integer_value(comment));
	else
		snprintf(out, cap, "/ideas/%" PRId64, idea);
}

json_t *notification_list(struct db *db, const char *lang, int64_t user_id, int64_t before_id, int limit)
{
	if (limit < 1 || limit > NOTIFICATION_PAGE_MAX)
		limit = NOTIFICATION_PAGE_DEFAULT;
	struct db_stmt *st = db_prepare(db,
		"SELECT id, kind, subject, data, created_at, read_at FROM notifications "
		"WHERE user_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3");
	json_t *items = json_array();
	json_t *next = json_null();
	if (st && db_bind(st, "iii", user_id, before_id, (int64_t)limit + 1) == DB_OK) {
		int n = 0;
		int64_t last = 0;
		while (db_step(st) == DB_ROW) {
			if (n++ == limit) {
				json_decref(next);
				next = json_integer(last);
				break;
			}
			last = db_int(st, 0);
			char iso[32], date[32], url[96];
			json_t *data = json_loads(db_text(st, 3), 0, NULL);
			if (!json_is_object(data)) {
				json_decref(data);
				data = json_object();
			}
			int64_t created = db_int(st, 4);
			clock_format_iso(created, iso, sizeof iso);
			clock_format_date(created, lang, date, sizeof date);
			link_of(db_text(st, 2), data, url, sizeof url);
			json_t *o = json_object();
			jset_int(o, "id", last);
			jset(o, "kind", json_string(db_text(st, 1)));
			jset(o, "subject", json_string(db_text(st, 2)));
			jset_str(o, "url", url);
			jset(o, "data", data);
			jset_str(o, "created_at", iso);
			jset_str(o, "created_date", date);
			jset(o, "read", json_boolean(!db_is_null(st, 5)));
			json_array_append_new(items, o);
		}
	}
	db_done(st);
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
