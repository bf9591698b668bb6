/* The settings a city changes on the web: its name, its logo, how to reach
 * the team. They live in the database (table site_settings), so every
 * instance on one database shows the same; each change writes an audit row
 * ("settings.change", subject "setting:<key>") and a new content version in
 * one transaction, so no cached page keeps the old footer. A setting that
 * was never set reads as "". Every area shows them; they sit at the root. */
#ifndef UNBOX_SETTINGS_H
#define UNBOX_SETTINGS_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"
#include "domain/user.h"   /* EMAIL_MAX */

#define SETTINGS_LOGO_MAX (512 * 1024)   /* bytes of an uploaded logo */
/* the characters of every setting at its longest (setting_defs' max summed) */
#define SETTINGS_FORM_CHARS (80 + EMAIL_MAX + 40 + 500 + EMAIL_MAX + 500)

/* The keys a city sets, with what each may hold. */
struct setting_def {
	const char *key;
	int min, max;          /* characters; min 0: may be left empty */
	int multiline;
	enum { SETTING_TEXT, SETTING_EMAIL, SETTING_PHONE, SETTING_LOCAL_PATH } kind;
};
/* city_name (2..80), contact_email, contact_phone, contact_address
 * (multiline), feedback_email (where the accessibility feedback goes; empty:
 * contact_email), logo_url (an image on this site, "/static/…": the pages'
 * Content-Security-Policy admits images of this site only); ends with {0}. */
extern const struct setting_def setting_defs[];
/* Kept by settings_set_logo, not by the form: the uploaded logo's SHA-256
 * (domain/filestore.h) and its sniffed type. */
#define SETTING_LOGO_FILE "logo_file"
#define SETTING_LOGO_TYPE "logo_type"

enum settings_rc { SETTINGS_OK = 0, SETTINGS_INVALID, SETTINGS_ERROR };

/* Every setting of setting_defs and the logo's, as {key: value} ("" for
 * one never set). NULL when the database failed. */
json_t *settings_read(struct db *db);
/* Checks the given values ({key: string}; a key of setting_defs that is
 * absent stays as it is, any other key is refused as "unknown"). Pure;
 * returns the number of problems added to fe (field = the key). */
int settings_validate(json_t *values, struct field_errors *fe);
/* Validates, then stores the values that differ from the stored ones, each
 * with its audit row, and a new content version (when something changed),
 * in one transaction. *changed: how many settings changed. */
int settings_update(struct db *db, json_t *values, int64_t actor, int64_t now, struct field_errors *fe, int *changed);
/* The uploaded logo: moves the finished temporary file (its hash sha, its
 * sniffed type, which must be PNG, JPEG, GIF or WebP: else "file" "type")
 * into the file store and makes it the logo, with an audit row
 * ("settings.logo"); sha NULL removes the uploaded logo. */
int settings_set_logo(struct db *db, const char *files_dir, const char *temp_path, const char *sha,
		      const char *type, int64_t actor, int64_t now, struct field_errors *fe);

#endif
