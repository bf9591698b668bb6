#include "domain/dialogue/personal.h"
#include "domain/dialogue/targets.h"
#include <inttypes.h>
#include <stdio.h>

static const char *idea_url(int64_t id, char *out, size_t cap)
{
	snprintf(out, cap, "/ideas/%" PRId64, id);
	return out;
}

/* ---- ideas ---- */

static void idea_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { I_ID, I_TITLE, I_SUMMARY, I_DESCRIPTION, I_STATUS, I_FIELD, I_STADTTEIL, I_CREATED, I_UPDATED,
	       I_SUPPORTS, I_COMMENTS, I_HIDDEN, I_MERGED };
	static _Thread_local char url[48];
	personal_int(r, "id", db_int(st, I_ID));
	personal_text(r, "title", db_text(st, I_TITLE));
	personal_text(r, "summary", db_text(st, I_SUMMARY));
	personal_text(r, "description", db_text(st, I_DESCRIPTION));
	personal_text(r, "status", db_text(st, I_STATUS));
	personal_text(r, "field", db_text(st, I_FIELD));
	personal_text(r, "stadtteil", db_text(st, I_STADTTEIL));
	personal_column_time(r, "created_at", st, I_CREATED);
	personal_column_time(r, "updated_at", st, I_UPDATED);
	personal_int(r, "supports", db_int(st, I_SUPPORTS));
	personal_int(r, "comment_count", db_int(st, I_COMMENTS));
	personal_column_time(r, "hidden_at", st, I_HIDDEN);
	if (db_is_null(st, I_MERGED))
		personal_text(r, "merged_into", NULL);
	else
		personal_int(r, "merged_into", db_int(st, I_MERGED));
	personal_text(r, "url", idea_url(db_int(st, I_ID), url, sizeof url));
}

static int idea_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		     int64_t *last)
{
	return personal_page(db, "SELECT i.id, i.title, i.summary, i.description_md, i.status, f.slug, t.name, i.created_at, "
			"  i.updated_at, i.supports, i.comment_count, i.hidden_at, i.merged_into "
			"FROM ideas i JOIN fields f ON f.id = i.field_id JOIN stadtteile t ON t.nr = i.stadtteil_nr "
			"WHERE i.author_id = $1 AND i.id > $2 ORDER BY i.id LIMIT $3",
		    user_id, after, limit, idea_fill, sink, ctx, last);
}

static int64_t idea_count(struct db *db, int64_t user_id)
{
	int64_t n = 0;
	return db_find_int(db, &n, "SELECT COUNT(*) FROM ideas WHERE author_id = $1", "i", user_id) < 0 ? -1 : n;
}

/* The ideas stay, shown as a deleted account's; the person no longer takes
 * care of others' ideas. With remove_texts their texts give way to a
 * placeholder, also where notifications quoted the title. */
static int idea_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	int rc = db_run(db, "UPDATE ideas SET caretaker_id = NULL WHERE caretaker_id = $1", "i", user_id);
	if (rc != DB_OK || !remove_texts)
		return rc;
	int64_t after = 0;
	for (;;) {
		int64_t batch[PERSONAL_ERASE_BATCH];
		int got = 0;
		struct db_stmt *st = db_prepare(db, "SELECT id FROM ideas WHERE author_id = $1 AND id > $2 ORDER BY id LIMIT $3");
		rc = st ? db_bind(st, "iii", user_id, after, (int64_t)PERSONAL_ERASE_BATCH) : DB_ERROR;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			batch[got++] = db_int(st, 0);
		}
		db_done(st);
		for (int i = 0; i < got && rc == DB_OK; i++) {
			char subject[40];
			snprintf(subject, sizeof subject, "idea:%" PRId64, batch[i]);
			rc = db_run(db, "UPDATE ideas SET title = $2, summary = $3, description_md = $3, "
					"  description_html = '<p>' || $3 || '</p>' WHERE id = $1",
				    "iss", batch[i], IDEA_REMOVED_TITLE, IDEA_REMOVED_TEXT);
			if (rc == DB_OK)
				rc = personal_notifications_set_title(db, subject, IDEA_REMOVED_TITLE);
			after = batch[i];
		}
		if (rc != DB_OK)
			return rc;
		*n += got;
		if (got < PERSONAL_ERASE_BATCH)
			break;
	}
	/* the new ideas announced to the followers of a cycle */
	return personal_notifications_set_title_of(db, user_id, NOTIFY_CYCLE_IDEA, IDEA_REMOVED_TITLE);
}

const struct personal_part personal_ideas = {
	.name = "ideas", .title = "Ideas", .rows = idea_rows, .count = idea_count, .erase = idea_erase,
};

/* ---- supports ---- */

static void support_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { S_ID, S_IDEA, S_TITLE, S_CREATED };
	static _Thread_local char url[48];
	personal_int(r, "id", db_int(st, S_ID));
	personal_int(r, "idea_id", db_int(st, S_IDEA));
	personal_text(r, "title", db_text(st, S_TITLE));
	personal_column_time(r, "created_at", st, S_CREATED);
	personal_text(r, "url", idea_url(db_int(st, S_IDEA), url, sizeof url));
}

static int support_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			int64_t *last)
{
	return personal_page(db, "SELECT s.id, s.idea_id, i.title, s.created_at FROM idea_supports s "
			"JOIN ideas i ON i.id = s.idea_id WHERE s.user_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3",
		    user_id, after, limit, support_fill, sink, ctx, last);
}

/* Each support is withdrawn as the person could withdraw it: the row goes
 * and the idea's count goes down with it, in the same transaction (only
 * what this transaction removed is counted, so a withdrawal running at the
 * same time cannot count twice). */
static int support_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	for (;;) {
		int64_t batch[PERSONAL_ERASE_BATCH];
		int got = 0, rc;
		struct db_stmt *st = db_prepare(db, "SELECT idea_id FROM idea_supports WHERE user_id = $1 ORDER BY id LIMIT $2");
		rc = st ? db_bind(st, "ii", user_id, (int64_t)PERSONAL_ERASE_BATCH) : DB_ERROR;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			batch[got++] = db_int(st, 0);
		}
		db_done(st);
		for (int i = 0; i < got && rc == DB_OK; i++) {
			int64_t one;
			int gone = db_find_int(db, &one, "DELETE FROM idea_supports WHERE idea_id = $1 AND user_id = $2 "
							 "RETURNING 1", "ii", batch[i], user_id);
			if (gone < 0)
				rc = DB_ERROR;
			else if (gone)
				rc = db_run(db, "UPDATE ideas SET supports = supports - 1 WHERE id = $1 AND supports > 0", "i",
					    batch[i]);
		}
		if (rc != DB_OK)
			return rc;
		*n += got;
		if (got < PERSONAL_ERASE_BATCH)
			return DB_OK;
	}
}

const struct personal_part personal_supports = {
	.name = "supports", .title = "Ideas you support", .rows = support_rows, .erase = support_erase,
};

/* ---- co-authorships ---- */

static void co_author_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { A_ID, A_IDEA, A_EMAIL, A_STATUS, A_NAME, A_INVITED, A_ANSWERED };
	static _Thread_local char url[48];
	personal_int(r, "id", db_int(st, A_ID));
	personal_int(r, "idea_id", db_int(st, A_IDEA));
	personal_text(r, "email", db_text(st, A_EMAIL));
	personal_text(r, "status", db_text(st, A_STATUS));
	personal_text(r, "name", db_text(st, A_NAME));
	personal_column_time(r, "invited_at", st, A_INVITED);
	personal_column_time(r, "answered_at", st, A_ANSWERED);
	personal_text(r, "url", idea_url(db_int(st, A_IDEA), url, sizeof url));
}

static int co_author_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			  int64_t *last)
{
	return personal_page(db, "SELECT id, idea_id, email, status, name, invited_at, answered_at FROM co_authors "
			"WHERE (user_id = $1 OR email = (SELECT email FROM users WHERE id = $1)) AND id > $2 "
			"ORDER BY id LIMIT $3",
		    user_id, after, limit, co_author_fill, sink, ctx, last);
}

/* Invitations to the address and the co-authorships go: a co-author's name
 * is shown with the idea. */
static int co_author_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	struct db_stmt *st = db_prepare(db, "DELETE FROM co_authors "
					    "WHERE user_id = $1 OR email = (SELECT email FROM users WHERE id = $1) RETURNING id");
	int rc = st ? db_bind(st, "i", user_id) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		++*n;
	}
	db_done(st);
	return rc;
}

const struct personal_part personal_co_authorships = {
	.name = "co_authorships", .title = "Co-authorships", .rows = co_author_rows, .erase = co_author_erase,
};
