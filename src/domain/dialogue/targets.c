/* Ideas and cycles as targets of the shared dialogue services. */
#include "domain/dialogue/targets.h"
#include "core/buf.h"
#include "core/jsonx.h"
#include "domain/comment.h"
#include "domain/dialogue/idea_status.h"
#include "domain/notification.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- ideas ---- */

static int idea_state(struct db *db, int64_t id, bool lock)
{
	/* FOR SHARE (PostgreSQL): a merge that holds the idea (merge locks both
	 * ideas first) is waited for, and its merged_into seen. SQLite's
	 * transactions already run one writer at a time. */
	bool pg = lock && strcmp(db_backend(db), "postgres") == 0;
	struct db_stmt *st = db_prepare(db, pg
		? "SELECT merged_into, hidden_at, status FROM ideas WHERE id = $1 FOR SHARE"
		: "SELECT merged_into, hidden_at, status FROM ideas WHERE id = $1");
	enum { S_MERGED, S_HIDDEN, S_STATUS };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	int state = rc == DB_ROW ? (!db_is_null(st, S_MERGED) ? TARGET_MERGED
				    : !db_is_null(st, S_HIDDEN) ? TARGET_HIDDEN
				    : idea_status_closed(db_text(st, S_STATUS)) ? TARGET_CLOSED : TARGET_OPEN)
		  : rc == DB_OK ? 0 : -1;
	db_done(st);
	return state;
}

static int idea_ref(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT title FROM ideas WHERE id = $1");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		char url[40];
		snprintf(url, sizeof url, "/ideas/%" PRId64, id);
		*out = json_pack("{sI ss ss}", "id", (json_int_t)id, "title", db_text(st, 0), "url", url);
	}
	db_done(st);
	return rc == DB_ROW ? (*out ? 1 : -1) : rc == DB_OK ? 0 : -1;
}

static int idea_comment_counted(struct db *db, int64_t id, int delta, int64_t now)
{
	/* a new comment: not on an idea merged, hidden, archived or withdrawn
	 * meanwhile (the update waits for a merge or a status change that holds
	 * the row, then sees it); a deletion follows the comment wherever a
	 * merge moved it */
	struct db_stmt *st = db_prepare(db, delta > 0
		? "UPDATE ideas SET comment_count = comment_count + 1, "
		  "last_activity_at = CASE WHEN last_activity_at < $2 THEN $2 ELSE last_activity_at END "
		  "WHERE id = $1 AND " IDEA_STATUS_TAKES_PART " RETURNING 1"
		: "UPDATE ideas SET comment_count = comment_count - 1 WHERE id = $1 RETURNING 1");
	int rc = !st ? DB_ERROR : delta > 0 ? db_bind(st, "ii", id, now) : db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int idea_set_hidden(struct db *db, int64_t id, const char *reason, int64_t now)
{
	struct db_stmt *st = db_prepare(db, reason
		? "UPDATE ideas SET hidden_at = COALESCE(hidden_at, $2), hidden_reason = $3 WHERE id = $1 RETURNING id"
		: "UPDATE ideas SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1 RETURNING id");
	int rc = !st ? DB_ERROR : reason ? db_bind(st, "iis", id, now, reason) : db_bind(st, "i", id);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

static int idea_moderation_item(struct db *db, int64_t id, json_t *item)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT i.title, i.summary, i.description_html, i.hidden_at, "
		"  u.id, COALESCE(u.name, ''), COALESCE(u.role, ''), u.blocked_at "
		"FROM ideas i LEFT JOIN users u ON u.id = i.author_id WHERE i.id = $1");
	enum { M_TITLE, M_SUMMARY, M_HTML, M_HIDDEN, M_AUTHOR, M_NAME, M_ROLE, M_BLOCKED };
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		char url[40];
		snprintf(url, sizeof url, "/ideas/%" PRId64, id);
		json_t *page = json_pack("{sI ss ss}", "id", (json_int_t)id, "title", db_text(st, M_TITLE), "url", url);
		jset(item, "idea", json_incref(page));
		jset(item, "on_page", page);
		jset_str(item, "url", url);
		jset_str(item, "summary", db_text(st, M_SUMMARY));
		jset_str(item, "content_html", db_text(st, M_HTML));
		jset(item, "hidden", json_boolean(!db_is_null(st, M_HIDDEN)));
		json_t *author = json_null();
		if (!db_is_null(st, M_AUTHOR))
			author = json_pack("{sI ss ss sb}", "id", (json_int_t)db_int(st, M_AUTHOR), "name", db_text(st, M_NAME),
					   "role", db_text(st, M_ROLE), "blocked", !db_is_null(st, M_BLOCKED));
		jset(item, "author", author);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

const struct target_kind idea_target = {
	.name = "idea",
	.path = "/ideas/",
	.state = idea_state,
	.ref = idea_ref,
	.comment_threads_sql = COMMENT_THREADS_SQL("ideas", "comment_count"),
	.comment_counted = idea_comment_counted,
	.notify_sql = NOTIFY_TITLE_SQL("SELECT title FROM ideas WHERE id = $1"),
	.set_hidden = idea_set_hidden,
	.moderation_item = idea_moderation_item,
};

/* ---- cycles ---- */

static int cycle_state(struct db *db, int64_t id, bool lock)
{
	(void)lock;
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM cycles WHERE id = $1");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? TARGET_OPEN : rc == DB_OK ? 0 : -1;
}

static int cycle_ref(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_prepare(db, "SELECT number, theme_de FROM cycles WHERE id = $1");
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		char url[40];
		snprintf(url, sizeof url, "/cycles/%" PRId64, id);
		*out = json_pack("{sI ss ss}", "id", (json_int_t)id, "title", db_text(st, 1), "url", url);
	}
	db_done(st);
	return rc == DB_ROW ? (*out ? 1 : -1) : rc == DB_OK ? 0 : -1;
}

/* Followed only; the notifications about a cycle bring their title. */
const struct target_kind cycle_target = {
	.name = "cycle",
	.path = "/cycles/",
	.state = cycle_state,
	.ref = cycle_ref,
};

int notify_new_idea(struct db *db, int64_t cycle_id, int64_t idea_id, int64_t author_id, const char *title)
{
	json_t *data = json_object();
	jset_int(data, "idea_id", idea_id);
	json_object_set_new(data, "title", json_string(title ? title : ""));
	struct buf text;
	buf_init(&text, 64 * 1024);
	json_write(&text, data);
	json_decref(data);
	int rc = text.overflow || !text.data ? DB_ERROR
		: notify_followers(db, &cycle_target, cycle_id, author_id, NOTIFY_CYCLE_IDEA, text.data);
	buf_free(&text);
	return rc;
}
