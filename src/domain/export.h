/* Everything the platform holds about a person, for them to take away
 * (DSGVO Art. 15 and 20): every part of domain/personal.h, as one JSON
 * document written row by row, or page by page for the readable pages. */
#ifndef UNBOX_EXPORT_H
#define UNBOX_EXPORT_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include "db/db.h"
#include "domain/personal.h"

#define EXPORT_FORMAT "un:box export"
#define EXPORT_VERSION 1
#define EXPORT_PAGE_DEFAULT 20      /* rows of a part per page on the pages ... */
#define EXPORT_PAGE_MAX 100         /* ... and at most, on request */

/* Writes {"format", "version", "exported_at", "user_id", and per part its
 * name: an object (single) or an array of rows} to out. Each part is read
 * PERSONAL_PAGE_MAX rows at a time and each row written as it comes, so the
 * memory used is that of one row, whatever the size of the account. 0, or
 * -1 when the database or the writing failed (out then holds a part). */
int export_write(struct db *db, int64_t user_id, int64_t now, FILE *out);
/* One page of a part: {name, title (the msgid), items [rows as objects:
 * times in ISO 8601 with "<key>_date" beside them in lang], next (the id to
 * go on after, or null), limit}. after 0: from the start; limit
 * 1..EXPORT_PAGE_MAX. NULL when the database failed. */
json_t *export_page(struct db *db, const char *lang, int64_t user_id, const struct personal_part *part,
		    int64_t after, int limit);

#endif
