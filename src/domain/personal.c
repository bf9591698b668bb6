#include "domain/personal.h"
#include "domain/target.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct personal_part *const *known;

void personal_parts_init(const struct personal_part *const *parts)
{
	known = parts;
}

const struct personal_part *const *personal_parts(void)
{
	static const struct personal_part *const none[] = { NULL };
	return known ? known : none;
}

const struct personal_part *personal_part_find(const char *name)
{
	for (size_t i = 0; name && known && known[i] && i < PERSONAL_PARTS_MAX; i++)
		if (strcmp(known[i]->name, name) == 0)
			return known[i];
	return NULL;
}

/* ---- rows ---- */

static struct personal_field *add(struct personal_row *r, const char *key, enum personal_type type)
{
	static _Thread_local struct personal_field dropped;
	if (r->n == PERSONAL_FIELDS_MAX)   /* a part with more fields is a programming error: they are dropped */
		return &dropped;
	struct personal_field *f = &r->f[r->n++];
	*f = (struct personal_field){ .key = key, .type = type };
	return f;
}

void personal_int(struct personal_row *r, const char *key, int64_t v)
{
	add(r, key, PERSONAL_INT)->num = v;
}

void personal_text(struct personal_row *r, const char *key, const char *s)
{
	add(r, key, s ? PERSONAL_TEXT : PERSONAL_NULL)->text = s;
}

void personal_time(struct personal_row *r, const char *key, int64_t t)
{
	add(r, key, t ? PERSONAL_TIME : PERSONAL_NULL)->num = t;
}

void personal_bool(struct personal_row *r, const char *key, bool v)
{
	add(r, key, PERSONAL_BOOL)->num = v;
}

void personal_json(struct personal_row *r, const char *key, const char *json_text)
{
	add(r, key, json_text && *json_text ? PERSONAL_JSON : PERSONAL_NULL)->text = json_text;
}

void personal_column_text(struct personal_row *r, const char *key, struct db_stmt *st, int col)
{
	personal_text(r, key, db_is_null(st, col) ? NULL : db_text(st, col));
}

void personal_column_time(struct personal_row *r, const char *key, struct db_stmt *st, int col)
{
	personal_time(r, key, db_is_null(st, col) ? 0 : db_int(st, col));
}

const struct personal_field *personal_get(const struct personal_row *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return &r->f[i];
	return NULL;
}

int personal_each(struct db_stmt *st, void (*fill)(struct db_stmt *st, struct personal_row *r), personal_sink sink,
		  void *ctx, int64_t *last)
{
	int rc = DB_OK;
	while ((rc = db_step(st)) == DB_ROW) {
		struct personal_row row = { 0 };
		fill(st, &row);
		*last = db_int(st, 0);
		if (sink(ctx, &row) != 0) {
			rc = DB_ERROR;
			break;
		}
	}
	db_done(st);
	return rc;
}

int personal_page(struct db *db, const char *sql, int64_t user_id, int64_t after, int limit,
		  void (*fill)(struct db_stmt *st, struct personal_row *r), personal_sink sink, void *ctx,
		  int64_t *last)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return DB_ERROR;
	if (db_bind(st, "iii", user_id, after, (int64_t)limit) != DB_OK) {
		db_done(st);
		return DB_ERROR;
	}
	return personal_each(st, fill, sink, ctx, last);
}

/* Runs a DELETE … RETURNING for the person ($1): *n rows removed. */
static int removed(struct db *db, const char *sql, int64_t user_id, int64_t *n)
{
	*n = 0;
	struct db_stmt *st = db_prepare(db, sql);
	int rc = st ? db_bind(st, "i", user_id) : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		++*n;
	}
	db_done(st);
	return rc;
}

static int64_t count(struct db *db, const char *sql, int64_t user_id)
{
	int64_t n = 0;
	return db_find_int(db, &n, sql, "i", user_id) < 0 ? -1 : n;
}

/* The page of a target, with anchor when there is one ("#comment-7"); NULL
 * for a kind without a page of its own. */
static const char *target_url(const char *kind_name, int64_t id, const char *anchor, int64_t anchor_id, char *out,
			      size_t cap)
{
	const struct target_kind *kind = target_kind_find(kind_name);
	if (!kind || !kind->path)
		return NULL;
	if (anchor)
		snprintf(out, cap, "%s%" PRId64 "#%s-%" PRId64, kind->path, id, anchor, anchor_id);
	else
		snprintf(out, cap, "%s%" PRId64, kind->path, id);
	return out;
}

/* ---- the account ---- */

static void account_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { A_ID, A_EMAIL, A_NAME, A_ROLE, A_LANG, A_CREATED, A_CONFIRMED, A_BLOCKED, A_BLOCKED_REASON };
	personal_int(r, "id", db_int(st, A_ID));
	personal_text(r, "email", db_text(st, A_EMAIL));
	personal_text(r, "name", db_text(st, A_NAME));
	personal_text(r, "role", db_text(st, A_ROLE));
	personal_text(r, "lang", db_text(st, A_LANG));
	personal_column_time(r, "created_at", st, A_CREATED);
	personal_column_time(r, "confirmed_at", st, A_CONFIRMED);
	personal_column_time(r, "blocked_at", st, A_BLOCKED);
	personal_column_text(r, "blocked_reason", st, A_BLOCKED_REASON);
}

static int account_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			int64_t *last)
{
	return personal_page(db, "SELECT id, email, name, role, lang, created_at, confirmed_at, blocked_at, blocked_reason "
			"FROM users WHERE id = $1 AND id > $2 AND deleted_at IS NULL LIMIT $3",
		    user_id, after, limit, account_fill, sink, ctx, last);
}

/* What the account leaves outside its own row: the login throttling kept
 * under its address. (The row itself is erased last, by user_erase.) */
static int account_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	return db_run(db, "DELETE FROM throttle WHERE key = 'login:email:' || (SELECT email FROM users WHERE id = $1)",
		      "i", user_id);
}

const struct personal_part personal_account = {
	.name = "account", .title = "Account", .single = true, .rows = account_rows, .erase = account_erase,
};

/* ---- sessions ---- */

static void session_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { S_ID, S_CREATED, S_USED, S_EXPIRES, S_AGENT };
	personal_int(r, "id", db_int(st, S_ID));
	personal_column_time(r, "created_at", st, S_CREATED);
	personal_column_time(r, "last_used_at", st, S_USED);
	personal_column_time(r, "expires_at", st, S_EXPIRES);
	personal_text(r, "user_agent", db_text(st, S_AGENT));
}

static int session_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			int64_t *last)
{
	return personal_page(db, "SELECT id, created_at, last_used_at, expires_at, user_agent FROM sessions "
			"WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, session_fill, sink, ctx, last);
}

static int session_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	return db_run(db, "DELETE FROM sessions WHERE user_id = $1", "i", user_id);
}

const struct personal_part personal_sessions = {
	.name = "sessions", .title = "Sessions", .rows = session_rows, .erase = session_erase,
};

/* ---- changes of the e-mail address (and the confirmation links) ---- */

static void email_change_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { E_ID, E_EMAIL, E_CREATED, E_EXPIRES, E_USED };
	personal_int(r, "id", db_int(st, E_ID));
	personal_text(r, "new_email", db_text(st, E_EMAIL));
	personal_column_time(r, "created_at", st, E_CREATED);
	personal_column_time(r, "expires_at", st, E_EXPIRES);
	personal_column_time(r, "used_at", st, E_USED);
}

static int email_change_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink,
			     void *ctx, int64_t *last)
{
	return personal_page(db, "SELECT id, new_email, created_at, expires_at, used_at FROM email_changes "
			"WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, email_change_fill, sink, ctx, last);
}

static int email_change_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	int rc = db_run(db, "DELETE FROM email_changes WHERE user_id = $1", "i", user_id);
	return rc == DB_OK ? db_run(db, "DELETE FROM email_tokens WHERE user_id = $1", "i", user_id) : rc;
}

const struct personal_part personal_email_changes = {
	.name = "email_changes", .title = "Changes of the e-mail address", .rows = email_change_rows,
	.erase = email_change_erase,
};

/* ---- comments ---- */

static void comment_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { C_ID, C_KIND, C_TARGET, C_PARENT, C_BODY, C_CREATED, C_EDITED, C_DELETED, C_HIDDEN, C_REASON };
	static _Thread_local char url[96];
	personal_int(r, "id", db_int(st, C_ID));
	personal_text(r, "target_kind", db_text(st, C_KIND));
	personal_int(r, "target_id", db_int(st, C_TARGET));
	if (db_is_null(st, C_PARENT))
		personal_text(r, "parent_id", NULL);
	else
		personal_int(r, "parent_id", db_int(st, C_PARENT));
	personal_text(r, "body", db_text(st, C_BODY));
	personal_column_time(r, "created_at", st, C_CREATED);
	personal_column_time(r, "edited_at", st, C_EDITED);
	personal_column_time(r, "deleted_at", st, C_DELETED);
	personal_column_time(r, "hidden_at", st, C_HIDDEN);
	personal_column_text(r, "hidden_reason", st, C_REASON);
	personal_text(r, "url", target_url(db_text(st, C_KIND), db_int(st, C_TARGET), "comment", db_int(st, C_ID), url,
					   sizeof url));
}

static int comment_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			int64_t *last)
{
	return personal_page(db, "SELECT id, target_kind, target_id, parent_id, body_md, created_at, edited_at, deleted_at, "
			"  hidden_at, hidden_reason FROM comments WHERE author_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, comment_fill, sink, ctx, last);
}

static int64_t comment_count(struct db *db, int64_t user_id)
{
	return count(db, "SELECT COUNT(*) FROM comments WHERE author_id = $1 AND deleted_at IS NULL", user_id);
}


/* With remove_texts, the person's comments are deleted as they could delete
 * each (the text goes, "deleted" stays in its place, the target's count
 * goes down); otherwise they stay, shown as a deleted account's. */
static int comment_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	if (!remove_texts)
		return DB_OK;
	for (;;) {
		struct { const struct target_kind *kind; int64_t id, target; } batch[PERSONAL_ERASE_BATCH];
		int got = 0;
		struct db_stmt *st = db_prepare(db, "SELECT id, target_kind, target_id FROM comments "
						    "WHERE author_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2");
		int rc = st ? db_bind(st, "ii", user_id, (int64_t)PERSONAL_ERASE_BATCH) : DB_ERROR;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			batch[got].id = db_int(st, 0);
			batch[got].kind = target_kind_find(db_text(st, 1));
			batch[got].target = db_int(st, 2);
			got++;
		}
		db_done(st);
		if (rc != DB_OK)
			return rc;
		for (int i = 0; i < got; i++) {
			rc = db_run(db, "UPDATE comments SET deleted_at = $2, deleted_by = $3, body_md = '', body_html = '' "
					"WHERE id = $1 AND deleted_at IS NULL", "iii", batch[i].id, now, user_id);
			/* a kind this program does not know has no counter to keep */
			if (rc == DB_OK && batch[i].kind && batch[i].kind->comment_counted &&
			    batch[i].kind->comment_counted(db, batch[i].target, -1, now) < 0)
				rc = DB_ERROR;
			if (rc != DB_OK)
				return rc;
		}
		*n += got;
		if (got < PERSONAL_ERASE_BATCH)
			return DB_OK;
	}
}

const struct personal_part personal_comments = {
	.name = "comments", .title = "Comments", .rows = comment_rows, .count = comment_count, .erase = comment_erase,
};

/* ---- attachments the person uploaded ---- */

static void attachment_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { F_ID, F_KIND, F_TARGET, F_TITLE, F_NAME, F_TYPE, F_SIZE, F_CREATED, F_DELETED };
	static _Thread_local char url[96];
	personal_int(r, "id", db_int(st, F_ID));
	personal_text(r, "target_kind", db_text(st, F_KIND));
	personal_int(r, "target_id", db_int(st, F_TARGET));
	personal_text(r, "title", db_text(st, F_TITLE));
	personal_text(r, "file_name", db_text(st, F_NAME));
	personal_text(r, "content_type", db_text(st, F_TYPE));
	personal_int(r, "size", db_int(st, F_SIZE));
	personal_column_time(r, "created_at", st, F_CREATED);
	personal_column_time(r, "deleted_at", st, F_DELETED);
	personal_text(r, "url", target_url(db_text(st, F_KIND), db_int(st, F_TARGET), NULL, 0, url, sizeof url));
}

static int attachment_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
			   int64_t *last)
{
	return personal_page(db, "SELECT id, target_kind, target_id, title, file_name, content_type, size, created_at, deleted_at "
			"FROM attachments WHERE uploaded_by = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, attachment_fill, sink, ctx, last);
}

/* With remove_texts, the files the person attached are deleted as they
 * could delete each (the count of the target kept); else they stay. */
static int attachment_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	if (!remove_texts)
		return DB_OK;
	for (;;) {
		struct { int64_t id, target; char kind[32]; } batch[PERSONAL_ERASE_BATCH];
		int got = 0;
		struct db_stmt *st = db_prepare(db, "SELECT id, target_kind, target_id FROM attachments "
						    "WHERE uploaded_by = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2");
		int rc = st ? db_bind(st, "ii", user_id, (int64_t)PERSONAL_ERASE_BATCH) : DB_ERROR;
		while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
			rc = DB_OK;
			batch[got].id = db_int(st, 0);
			snprintf(batch[got].kind, sizeof batch[got].kind, "%s", db_text(st, 1));
			batch[got].target = db_int(st, 2);
			got++;
		}
		db_done(st);
		if (rc != DB_OK)
			return rc;
		for (int i = 0; i < got && rc == DB_OK; i++) {
			rc = db_run(db, "UPDATE attachments SET deleted_at = $2, deleted_by = $3 WHERE id = $1 AND deleted_at IS NULL",
				    "iii", batch[i].id, now, user_id);
			if (rc == DB_OK)
				rc = db_run(db, "UPDATE attachment_counts SET n = n - 1 WHERE target_kind = $1 AND target_id = $2 "
						"AND n > 0", "si", batch[i].kind, batch[i].target);
		}
		if (rc != DB_OK)
			return rc;
		*n += got;
		if (got < PERSONAL_ERASE_BATCH)
			return DB_OK;
	}
}

const struct personal_part personal_attachments = {
	.name = "attachments", .title = "Attachments", .rows = attachment_rows, .erase = attachment_erase,
};

/* ---- follows ---- */

static void follow_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { W_ID, W_KIND, W_TARGET, W_CREATED };
	static _Thread_local char url[96];
	personal_int(r, "id", db_int(st, W_ID));
	personal_text(r, "target_kind", db_text(st, W_KIND));
	personal_int(r, "target_id", db_int(st, W_TARGET));
	personal_column_time(r, "created_at", st, W_CREATED);
	personal_text(r, "url", target_url(db_text(st, W_KIND), db_int(st, W_TARGET), NULL, 0, url, sizeof url));
}

static int follow_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		       int64_t *last)
{
	return personal_page(db, "SELECT id, target_kind, target_id, created_at FROM follows "
			"WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, follow_fill, sink, ctx, last);
}

static int follow_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	return removed(db, "DELETE FROM follows WHERE user_id = $1 RETURNING id", user_id, n);
}

const struct personal_part personal_follows = {
	.name = "follows", .title = "What you follow", .rows = follow_rows, .erase = follow_erase,
};

/* ---- notifications ---- */

static void notification_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { N_ID, N_KIND, N_SUBJECT, N_DATA, N_CREATED, N_READ };
	personal_int(r, "id", db_int(st, N_ID));
	personal_text(r, "kind", db_text(st, N_KIND));
	personal_text(r, "subject", db_text(st, N_SUBJECT));
	personal_json(r, "data", db_text(st, N_DATA));
	personal_column_time(r, "created_at", st, N_CREATED);
	personal_column_time(r, "read_at", st, N_READ);
}

static int notification_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink,
			     void *ctx, int64_t *last)
{
	return personal_page(db, "SELECT id, kind, subject, data, created_at, read_at FROM notifications "
			"WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, notification_fill, sink, ctx, last);
}

/* The person's notifications go; in other people's, the person's name goes
 * (the sentence then names no one: "New comment on …"). */
static int notification_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	int rc = db_run(db, "DELETE FROM notifications WHERE user_id = $1", "i", user_id);
	return rc == DB_OK ? personal_notifications_drop_actor(db, user_id) : rc;
}

const struct personal_part personal_notifications = {
	.name = "notifications", .title = "Notifications", .rows = notification_rows, .erase = notification_erase,
};

/* ---- reports the person made ---- */

static void report_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { R_ID, R_KIND, R_TARGET, R_REASON, R_CREATED, R_DECIDED, R_OUTCOME };
	personal_int(r, "id", db_int(st, R_ID));
	personal_text(r, "target_kind", db_text(st, R_KIND));
	personal_int(r, "target_id", db_int(st, R_TARGET));
	personal_text(r, "reason", db_text(st, R_REASON));
	personal_column_time(r, "created_at", st, R_CREATED);
	personal_column_time(r, "decided_at", st, R_DECIDED);
	personal_column_text(r, "outcome", st, R_OUTCOME);
}

static int report_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		       int64_t *last)
{
	return personal_page(db, "SELECT id, target_kind, target_id, reason, created_at, decided_at, outcome FROM reports "
			"WHERE reporter_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, report_fill, sink, ctx, last);
}

static int64_t report_count(struct db *db, int64_t user_id)
{
	return count(db, "SELECT COUNT(*) FROM reports WHERE reporter_id = $1", user_id);
}

/* Reports stay with the moderation (its decisions rest on them), naming
 * only the deleted account: no erase. */
const struct personal_part personal_reports = {
	.name = "reports", .title = "Reports you made", .rows = report_rows, .count = report_count,
};

/* ---- e-mails sent to the person ---- */

static void mail_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { M_ID, M_SUBJECT, M_BODY, M_CREATED, M_SENT };
	personal_int(r, "id", db_int(st, M_ID));
	personal_text(r, "subject", db_text(st, M_SUBJECT));
	personal_text(r, "body", db_text(st, M_BODY));
	personal_column_time(r, "created_at", st, M_CREATED);
	personal_column_time(r, "sent_at", st, M_SENT);
}

static int mail_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		     int64_t *last)
{
	return personal_page(db, "SELECT id, subject, body, created_at, sent_at FROM outbox "
			"WHERE to_addr = (SELECT email FROM users WHERE id = $1) AND id > $2 ORDER BY id LIMIT $3",
		    user_id, after, limit, mail_fill, sink, ctx, last);
}

static int mail_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	return removed(db, "DELETE FROM outbox WHERE to_addr = (SELECT email FROM users WHERE id = $1) RETURNING id",
		       user_id, n);
}

const struct personal_part personal_mails = {
	.name = "emails", .title = "E-mails to you", .rows = mail_rows, .erase = mail_erase,
};

/* ---- the audit log: what the person did, and what was done to the account ---- */

static void audit_fill(struct db_stmt *st, struct personal_row *r)
{
	enum { L_ID, L_AT, L_ACTION, L_SUBJECT, L_DETAIL };
	personal_int(r, "id", db_int(st, L_ID));
	personal_column_time(r, "at", st, L_AT);
	personal_text(r, "action", db_text(st, L_ACTION));
	personal_text(r, "subject", db_text(st, L_SUBJECT));
	personal_text(r, "detail", db_text(st, L_DETAIL));
}

static int audit_rows(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		      int64_t *last)
{
	char subject[40];
	snprintf(subject, sizeof subject, "user:%" PRId64, user_id);
	struct db_stmt *st = db_prepare(db, "SELECT id, at, action, subject, detail FROM audit "
					    "WHERE (actor_id = $1 OR subject = $4) AND id > $2 ORDER BY id LIMIT $3");
	if (!st)
		return DB_ERROR;
	if (db_bind(st, "iiis", user_id, after, (int64_t)limit, subject) != DB_OK) {
		db_done(st);
		return DB_ERROR;
	}
	return personal_each(st, audit_fill, sink, ctx, last);
}

/* The decisions stay, naming only the deleted account; what they say about
 * the person goes: the address registered with, the client addresses of
 * logins (account.*), the address an account was added with. */
static int audit_erase(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n)
{
	*n = 0;
	int rc = db_run(db, "UPDATE audit SET detail = '' WHERE actor_id = $1 AND action LIKE 'account.%' AND detail <> ''",
			"i", user_id);
	if (rc == DB_OK)
		rc = db_run(db, "UPDATE audit SET detail = '' WHERE action = 'user.add' "
				"AND detail = (SELECT email FROM users WHERE id = $1)", "i", user_id);
	return rc;
}

const struct personal_part personal_audit = {
	.name = "audit", .title = "Audit log entries about you", .rows = audit_rows, .erase = audit_erase,
};

/* ---- dialect spots ---- */

static bool postgres(struct db *db)
{
	return strcmp(db_backend(db), "postgres") == 0;
}

int personal_notifications_drop_actor(struct db *db, int64_t actor_id)
{
	return db_run(db, postgres(db)
		? "UPDATE notifications SET data = (data::jsonb - 'actor')::text WHERE actor_id = $1"
		: "UPDATE notifications SET data = json_remove(data, '$.actor') WHERE actor_id = $1", "i", actor_id);
}

int personal_notifications_set_title(struct db *db, const char *subject, const char *title)
{
	return db_run(db, postgres(db)
		? "UPDATE notifications SET data = jsonb_set(data::jsonb, '{title}', to_jsonb($2::text))::text "
		  "WHERE subject = $1"
		: "UPDATE notifications SET data = json_set(data, '$.title', $2) WHERE subject = $1", "ss", subject, title);
}

int personal_notifications_set_title_of(struct db *db, int64_t actor_id, const char *kind, const char *title)
{
	return db_run(db, postgres(db)
		? "UPDATE notifications SET data = jsonb_set(data::jsonb, '{title}', to_jsonb($3::text))::text "
		  "WHERE actor_id = $1 AND kind = $2"
		: "UPDATE notifications SET data = json_set(data, '$.title', $3) WHERE actor_id = $1 AND kind = $2",
		"iss", actor_id, kind, title);
}
