/* What the platform holds about a person, in parts: the account, its
 * sessions, comments, follows, notifications … at the root, and each area's
 * own (the dialogue area's ideas and supports, domain/dialogue/personal.h).
 * One list of parts serves the person's own lists on the profile, the
 * export of all their data (DSGVO Art. 15 and 20, domain/export.h) and the
 * deletion of their account (Art. 17, account_delete), so a new kind of
 * data is in all three once its area lists its part. src/areas.c hands the
 * list to personal_parts_init at start-up, like the kinds of target.
 *
 * A part gives its rows one at a time as a list of typed fields, read
 * straight from the database statement: the export writes each to a file
 * as it comes (memory stays that of one row, however big the account), a
 * page of the profile makes JSON of them. */
#ifndef UNBOX_PERSONAL_H
#define UNBOX_PERSONAL_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

#define PERSONAL_FIELDS_MAX 16
#define PERSONAL_PAGE_MAX 200        /* rows a part gives per call */

enum personal_type {
	PERSONAL_NULL,
	PERSONAL_INT,
	PERSONAL_TEXT,
	PERSONAL_TIME,     /* seconds since the epoch: ISO 8601 in the export */
	PERSONAL_BOOL,
	PERSONAL_JSON,     /* text that is a JSON value (notification data), written as it is */
};

struct personal_field {
	const char *key;
	enum personal_type type;
	const char *text;  /* valid while the sink runs */
	int64_t num;
};

struct personal_row {
	int n;
	struct personal_field f[PERSONAL_FIELDS_MAX];
};

/* Takes one row; 0 to go on, -1 to stop (the part answers DB_ERROR). */
typedef int (*personal_sink)(void *ctx, const struct personal_row *row);

struct personal_part {
	const char *name;        /* the key in the export and the part of the pages: "comments" */
	const char *title;       /* its heading, a msgid: "Comments" */
	bool single;             /* one object (the account), not a list */
	/* The person's rows with an id above after, in id order, at most limit
	 * (1..PERSONAL_PAGE_MAX), each to sink; *last: the id of the last row
	 * given (unchanged when none). DB_OK or an error. */
	int (*rows)(struct db *db, int64_t user_id, int64_t after, int limit, personal_sink sink, void *ctx,
		    int64_t *last);
	/* How many there are, for the person's page of the team; NULL: not
	 * shown there (supports and follows are nobody else's business).
	 * >= 0, or -1 when the database failed. */
	int64_t (*count)(struct db *db, int64_t user_id);
	/* When the account is deleted, in the caller's transaction, before the
	 * account's own row is erased (so the part may still read the address):
	 * removes what is personal; with remove_texts also the texts the
	 * person wrote, keeping placeholders. *n: rows changed or removed (for
	 * the audit row). NULL: the part keeps its rows. DB_OK or an error. */
	int (*erase)(struct db *db, int64_t user_id, bool remove_texts, int64_t now, int64_t *n);
};

#define PERSONAL_PARTS_MAX 24

/* The parts, NULL-terminated, in the order the export lists them; kept,
 * not copied. */
void personal_parts_init(const struct personal_part *const *parts);
const struct personal_part *const *personal_parts(void);
const struct personal_part *personal_part_find(const char *name);

/* The parts of the root (the account first). */
extern const struct personal_part personal_account, personal_sessions, personal_email_changes,
	personal_comments, personal_attachments, personal_follows, personal_notifications, personal_reports,
	personal_mails, personal_audit;

/* Filling a row: a field each, in the order the export shows them; NULL
 * text and time 0 are written as null. */
void personal_int(struct personal_row *r, const char *key, int64_t v);
void personal_text(struct personal_row *r, const char *key, const char *s);
void personal_time(struct personal_row *r, const char *key, int64_t t);
void personal_bool(struct personal_row *r, const char *key, bool v);
void personal_json(struct personal_row *r, const char *key, const char *json_text);
/* Column col of st: its text, or null when the column is NULL; a time. */
void personal_column_text(struct personal_row *r, const char *key, struct db_stmt *st, int col);
void personal_column_time(struct personal_row *r, const char *key, struct db_stmt *st, int col);
/* The field named key, or NULL. */
const struct personal_field *personal_get(const struct personal_row *r, const char *key);

/* For the parts: steps through st (bound, with the id as column 0), one row
 * per result row made by fill, to sink. DB_OK or an error; always db_done. */
int personal_each(struct db_stmt *st, void (*fill)(struct db_stmt *st, struct personal_row *r), personal_sink sink,
		  void *ctx, int64_t *last);
/* One page of a part's statement, which takes the person ($1),
 * the id to start after ($2) and the limit ($3) and has the row's id as
 * column 0; each result row is made by fill and given to sink, *last is the
 * last id. DB_OK or an error. */
int personal_page(struct db *db, const char *sql, int64_t user_id, int64_t after, int limit,
		  void (*fill)(struct db_stmt *st, struct personal_row *r), personal_sink sink, void *ctx,
		  int64_t *last);
/* Rows an erase changes per statement, so a big account never holds them all. */
#define PERSONAL_ERASE_BATCH 200

/* Dialect spots of erasing (SQLite's JSON functions, PostgreSQL's jsonb),
 * on the JSON object in notifications.data: the actor's name goes from the
 * notifications actor_id caused; the title becomes title in those about
 * subject ("idea:42"), and in those of kind that actor_id caused. DB_OK or
 * an error. */
int personal_notifications_drop_actor(struct db *db, int64_t actor_id);
int personal_notifications_set_title(struct db *db, const char *subject, const char *title);
int personal_notifications_set_title_of(struct db *db, int64_t actor_id, const char *kind, const char *title);

#endif
