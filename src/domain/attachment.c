#include "domain/attachment.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/filestore.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool kind_valid(const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;
	if (n == 0 || n > ATTACHMENT_KIND_MAX)
		return false;
	return strspn(kind, "abcdefghijklmnopqrstuvwxyz_") == n;
}

int attachment_validate(const struct attachment_input *in, const struct attachment_rules *r,
			struct field_errors *fe)
{
	size_t before = fe->count;
	if (!in->temp_path || in->size <= 0) {
		field_error(fe, "file", "required");
	} else if (in->size > r->max_size) {
		field_error(fe, "file", "too_big");
	} else {
		bool accepted = false;
		for (size_t i = 0; r->types && r->types[i] && !accepted; i++)
			accepted = in->type && strcmp(in->type, r->types[i]) == 0;
		if (!accepted)
			field_error(fe, "file", "type");
	}
	if (in->title && in->title[strspn(in->title, " \t\r\n")]) {
		if (!text_valid(in->title, false))
			field_error(fe, "title", "invalid");
		else if (utf8_chars(in->title) > ATTACHMENT_TITLE_MAX)
			field_error_limit(fe, "title", "too_long", ATTACHMENT_TITLE_MAX, (long)utf8_chars(in->title));
	}
	return (int)(fe->count - before);
}

/* The target's count goes up by one unless it is at the limit: one row per
 * target, so concurrent uploads to one target queue on it and the limit
 * holds on PostgreSQL too. 1 counted, 0 full, -1 error. */
static int count_one_more(struct db *db, const char *kind, int64_t target_id, int max)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO attachment_counts (target_kind, target_id, n) VALUES ($1, $2, 1) "
		"ON CONFLICT (target_kind, target_id) DO UPDATE SET n = attachment_counts.n + 1 "
		"WHERE attachment_counts.n < $3 RETURNING n");
	int rc = -1;
	if (st && db_bind(st, "sii", kind, target_id, (int64_t)max) == DB_OK) {
		int step = db_step(st);
		rc = step == DB_ROW ? 1 : step == DB_OK ? 0 : -1;
	}
	db_done(st);
	return rc;
}

int attachment_add(struct db *db, const char *files_dir, const struct attachment_input *in,
		   const struct attachment_rules *r, int64_t now, struct field_errors *fe, int64_t *id)
{
	if (!kind_valid(in->kind) || in->target_id <= 0 || !filestore_sha_valid(in->sha256) || !in->file_name)
		return ATTACHMENT_ERROR;
	if (attachment_validate(in, r, fe))
		return ATTACHMENT_INVALID;
	char title[4 * ATTACHMENT_TITLE_MAX + 1];
	text_trim(in->title ? in->title : "", title, sizeof title);
	if (db_begin(db) != DB_OK)
		return ATTACHMENT_ERROR;
	int counted = count_one_more(db, in->kind, in->target_id, r->max_count);
	if (counted <= 0) {
		db_rollback(db);
		if (counted < 0)
			return ATTACHMENT_ERROR;
		field_error(fe, "file", "too_many");
		return ATTACHMENT_INVALID;
	}
	/* into the store before the row that names it: a row never points to
	 * a missing file (a file whose row then fails to commit is only unused) */
	if (filestore_put(files_dir, in->temp_path, in->sha256) < 0) {
		db_rollback(db);
		return ATTACHMENT_ERROR;
	}
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO attachments (target_kind, target_id, title, file_name, content_type, size, sha256, "
		"uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
	int rc = DB_ERROR;
	if (st && db_bind(st, "sisssisii", in->kind, in->target_id, title, in->file_name, in->type, in->size,
			  in->sha256, in->user_id, now) == DB_OK && (in->user_id || db_bind_null(st, 8) == DB_OK)) {
		if ((rc = db_step(st)) == DB_ROW) {
			*id = db_int(st, 0);
			rc = DB_OK;
		}
	}
	db_done(st);
	if (rc == DB_OK) {
		char subject[64], detail[512];
		snprintf(subject, sizeof subject, "%s:%" PRId64, in->kind, in->target_id);
		snprintf(detail, sizeof detail, "attachment %" PRId64 ": %s (%s, %" PRId64 " bytes, sha256 %s)", *id,
			 in->file_name, in->type, in->size, in->sha256);
		rc = audit_add(db, in->user_id, "attachment.add", subject, detail);
	}
	if (rc == DB_OK)
		rc = content_changed(db);   /* the target's page lists its attachments */
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return ATTACHMENT_ERROR;
	}
	return ATTACHMENT_OK;
}

void attachment_size_text(int64_t bytes, const char *lang, char *out, size_t cap)
{
	bool de = !lang || strcmp(lang, "en") != 0;
	if (bytes < 1024) {
		snprintf(out, cap, "%" PRId64 " %s", bytes, de ? "Byte" : bytes == 1 ? "byte" : "bytes");
		return;
	}
	if (bytes < 1024 * 1024) {
		snprintf(out, cap, "%" PRId64 " KB", (bytes + 1023) / 1024);
		return;
	}
	int64_t tenths = (bytes * 10 + 1024 * 1024 - 1) / (1024 * 1024);   /* rounded up */
	snprintf(out, cap, "%" PRId64 "%c%" PRId64 " MB", tenths / 10, de ? ',' : '.', tenths % 10);
}

/* columns 0..6: id, title, file_name, content_type, size, created_at, sha256 */
static json_t *item(struct db_stmt *st, const char *lang)
{
	json_t *o = json_object();
	char iso[32], date[32], size[32];
	jset_int(o, "id", db_int(st, 0));
	jset_str(o, "title", db_text(st, 1)[0] ? db_text(st, 1) : db_text(st, 2));
	jset_str(o, "file_name", db_text(st, 2));
	jset_str(o, "type", db_text(st, 3));
	jset_int(o, "size", db_int(st, 4));
	attachment_size_text(db_int(st, 4), lang, size, sizeof size);
	jset_str(o, "size_text", size);
	clock_format_iso(db_int(st, 5), iso, sizeof iso);
	clock_format_date(db_int(st, 5), lang, date, sizeof date);
	jset_str(o, "created_at", iso);
	jset_str(o, "created_date", date);
	jset_str(o, "sha256", db_text(st, 6));
	return o;
}

int attachment_get(struct db *db, const char *lang, int64_t id, json_t **out)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, title, file_name, content_type, size, created_at, sha256, target_kind, target_id "
		"FROM attachments WHERE id = $1 AND deleted_at IS NULL");
	enum { G_KIND = 7, G_TARGET = 8 };   /* after item()'s columns */
	*out = NULL;
	int rc = st ? db_bind(st, "i", id) : DB_ERROR;
	if (rc == DB_OK)
		rc = db_step(st);
	if (rc == DB_ROW) {
		*out = item(st, lang);
		json_t *target = json_object();
		jset_str(target, "kind", db_text(st, G_KIND));
		jset_int(target, "id", db_int(st, G_TARGET));
		jset(*out, "target", target);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_OK ? 0 : -1;
}

int64_t attachment_count(struct db *db, const char *kind, int64_t target_id)
{
	int64_t n = 0;
	int found = db_find_int(db, &n, "SELECT n FROM attachment_counts WHERE target_kind = $1 AND target_id = $2", "si",
				kind, target_id);
	return found < 0 ? -1 : found ? n : 0;
}

json_t *attachment_list(struct db *db, const char *lang, const char *kind, int64_t target_id, int64_t after_id,
			int limit)
{
	if (limit < 1 || limit > ATTACHMENT_PAGE_MAX)
		limit = ATTACHMENT_PAGE_DEFAULT;
	struct db_stmt *st = db_prepare(db,
		"SELECT id, title, file_name, content_type, size, created_at, sha256 FROM attachments "
		"WHERE target_kind = $1 AND target_id = $2 AND deleted_at IS NULL AND id > $3 ORDER BY id LIMIT $4");
	if (!st || db_bind(st, "siii", kind, target_id, after_id, (int64_t)limit + 1) != DB_OK) {
		db_done(st);
		return NULL;
	}
	json_t *items = json_array();
	int rc, n = 0;
	int64_t last = 0;
	bool more = false;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			more = true;
			break;
		}
		json_t *o = item(st, lang);
		json_object_del(o, "sha256");   /* the list has no use for it */
		json_array_append_new(items, o);
		last = db_int(st, 0);
		n++;
	}
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return NULL;
	}
	int64_t count = attachment_count(db, kind, target_id);
	if (count < 0) {
		json_decref(items);
		return NULL;
	}
	char next[24];
	snprintf(next, sizeof next, "%" PRId64, last);
	json_t *page = json_object();
	jset(page, "items", items);
	jset(page, "next", more ? json_string(next) : json_null());
	jset_int(page, "limit", limit);
	jset_int(page, "count", count);
	return page;
}

int attachment_delete(struct db *db, const char *kind, int64_t target_id, int64_t id, int64_t actor_id,
		      int64_t now)
{
	if (db_begin(db) != DB_OK)
		return ATTACHMENT_ERROR;
	/* only the first of two concurrent deletions counts */
	struct db_stmt *st = db_prepare(db,
		"UPDATE attachments SET deleted_at = $4, deleted_by = $5 "
		"WHERE id = $1 AND target_kind = $2 AND target_id = $3 AND deleted_at IS NULL RETURNING file_name");
	int rc = DB_ERROR;
	char detail[256] = "";
	bool found = false;
	if (st && db_bind(st, "isiii", id, kind, target_id, now, actor_id) == DB_OK) {
		rc = db_step(st);
		if (rc == DB_ROW) {
			found = true;
			snprintf(detail, sizeof detail, "attachment %" PRId64 ": %s", id, db_text(st, 0));
			rc = DB_OK;
		}
	}
	db_done(st);
	if (rc == DB_OK && !found) {
		db_rollback(db);
		return ATTACHMENT_NOT_FOUND;
	}
	if (rc == DB_OK) {
		char subject[64];
		snprintf(subject, sizeof subject, "%s:%" PRId64, kind, target_id);
		rc = audit_add(db, actor_id, "attachment.delete", subject, detail);
	}
	if (rc == DB_OK)
		rc = content_changed(db);
	if (rc == DB_OK)   /* the target's count last: the row every writer of the target updates */
		rc = db_run(db, "UPDATE attachment_counts SET n = n - 1 WHERE target_kind = $1 AND target_id = $2 "
			    "AND n > 0", "si", kind, target_id);
	if (rc != DB_OK || db_commit(db) != DB_OK) {
		db_rollback(db);
		return ATTACHMENT_ERROR;
	}
	return ATTACHMENT_OK;
}
