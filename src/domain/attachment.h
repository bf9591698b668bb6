/* Attachments: files (domain/filestore.h) fastened to any target, named by
 * kind and id ("idea", 42), with no foreign key, so every area can use them.
 * The caller, the area's handler, decides who may attach to and delete from
 * a target and whether a visitor may see it; this module checks the limits
 * the caller's rules set (size, type, count per target), moves the file into
 * the store, and writes the row, its audit row and the content version in one
 * transaction. Deleting is soft: the row keeps the file's facts and the file
 * stays (others may have the same content). */
#ifndef UNBOX_ATTACHMENT_H
#define UNBOX_ATTACHMENT_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define ATTACHMENT_KIND_MAX 24      /* bytes of a target kind: lower-case letters and '_' */
#define ATTACHMENT_TITLE_MAX 120    /* characters of the optional title */
#define ATTACHMENT_PAGE_DEFAULT 20
#define ATTACHMENT_PAGE_MAX 50

/* What one kind of target accepts. */
struct attachment_rules {
	int64_t max_size;               /* bytes per file */
	int max_count;                  /* attachments per target (deleted ones do not count) */
	const char *const *types;       /* the sniffed types (core/sniff.h) accepted, NULL-terminated */
};

struct attachment_input {
	const char *kind;
	int64_t target_id;
	const char *title;              /* optional; the file name is shown when empty */
	const char *file_name;          /* as sent, made safe (core/filename.h) */
	const char *type;               /* sniffed from the content */
	int64_t size;                   /* bytes received */
	const char *sha256;             /* hex, of the content */
	const char *temp_path;          /* the finished temporary file (filestore_temp_finish); NULL: no file */
	int64_t user_id;
};

enum attachment_rc { ATTACHMENT_OK = 0, ATTACHMENT_INVALID, ATTACHMENT_NOT_FOUND, ATTACHMENT_ERROR };

/* Checks the input against the rules without the database: fe gets "file"
 * ("required": no file or an empty one, "too_big", "type") and "title"
 * ("too_long", "invalid"). Returns the number of problems added. */
int attachment_validate(const struct attachment_input *in, const struct attachment_rules *r,
			struct field_errors *fe);
/* Validates, then, in one transaction, counts the attachment against the
 * target's limit ("file" "too_many" when it is full), moves the temporary
 * file into files_dir (filestore_put) and stores the row, an audit row
 * ("attachment.add") and a new content version. ATTACHMENT_OK with *id,
 * ATTACHMENT_INVALID with fe, or ATTACHMENT_ERROR. */
int attachment_add(struct db *db, const char *files_dir, const struct attachment_input *in,
		   const struct attachment_rules *r, int64_t now, struct field_errors *fe, int64_t *id);

/* One attachment that is not deleted, as the lists show it (attachment_list),
 * with target {kind, id} and sha256: 1 with *out, 0 (none) or -1. */
int attachment_get(struct db *db, const char *lang, int64_t id, json_t **out);
/* A target's attachments, oldest first, from after the cursor after_id (0:
 * from the start), at most limit (1..ATTACHMENT_PAGE_MAX): {items: [{id,
 * title, file_name, type, size, size_text, created_at, created_date,
 * uploaded_by: {id, name} or null}], next: cursor or null, limit, count (all
 * the target's attachments)}. NULL on a database error. */
json_t *attachment_list(struct db *db, const char *lang, const char *kind, int64_t target_id, int64_t after_id,
			int limit);
/* How many attachments the target has (kept on write, not counted); -1
 * when the database failed. */
int64_t attachment_count(struct db *db, const char *kind, int64_t target_id);
/* Soft-deletes attachment id of the target (ATTACHMENT_NOT_FOUND when it is
 * not one of its attachments or deleted already) with an audit row
 * ("attachment.delete") and a new content version, in one transaction. */
int attachment_delete(struct db *db, const char *kind, int64_t target_id, int64_t id, int64_t actor_id,
		      int64_t now);
/* "12 KB", "3.4 MB" (en) or "3,4 MB" (de). */
void attachment_size_text(int64_t bytes, const char *lang, char *out, size_t cap);

#endif
