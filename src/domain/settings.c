#include "domain/settings.h"
#include "core/sniff.h"
#include "core/utf8.h"
#include "domain/audit.h"
#include "domain/content.h"
#include "domain/filestore.h"
#include "domain/user.h"
#include <string.h>

const struct setting_def setting_defs[] = {
	{ "city_name", 2, 80, 0, SETTING_TEXT },
	{ "contact_email", 0, EMAIL_MAX, 0, SETTING_EMAIL },
	{ "contact_phone", 0, 40, 0, SETTING_PHONE },
	{ "contact_address", 0, 500, 1, SETTING_TEXT },
	{ "feedback_email", 0, EMAIL_MAX, 0, SETTING_EMAIL },
	{ "logo_url", 0, 500, 0, SETTING_LOCAL_PATH },
	{ 0 },
};

static const struct setting_def *def_of(const char *key)
{
	for (const struct setting_def *d = setting_defs; d->key; d++)
		if (strcmp(d->key, key) == 0)
			return d;
	return NULL;
}

json_t *settings_read(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT key, value FROM site_settings");
	enum { S_KEY, S_VALUE };
	if (!st)
		return NULL;
	json_t *out = json_object();
	for (const struct setting_def *d = setting_defs; d->key; d++)
		json_object_set_new(out, d->key, json_string(""));
	json_object_set_new(out, SETTING_LOGO_FILE, json_string(""));
	json_object_set_new(out, SETTING_LOGO_TYPE, json_string(""));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *key = db_text(st, S_KEY);
		if (json_object_get(out, key))     /* a key this program no longer knows is left out */
			json_object_set_new(out, key, json_string(db_text(st, S_VALUE)));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* "+49 221 221-0", "0221 / 221 0": digits and the signs people write
 * between them, at least 3 digits. */
static bool phone_valid(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+-/() .", *p))
			return false;
	}
	return digits >= 3;
}

/* A path on this site: "/…", never "//…", no spaces, control characters
 * or backslashes (the same rule as a form's "next"). */
static bool local_path_valid(const char *s)
{
	if (s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7F || *p == '\\' || *p == '"')
			return false;
	return true;
}

static void validate_one(const struct setting_def *d, const char *v, struct field_errors *fe)
{
	if (!*v && d->min == 0)
		return;     /* left empty: allowed */
	if (!check_text(fe, d->key, v, (size_t)(d->min ? d->min : 1), (size_t)d->max, d->multiline))
		return;
	if ((d->kind == SETTING_EMAIL && !email_valid(v)) || (d->kind == SETTING_PHONE && !phone_valid(v)) ||
	    (d->kind == SETTING_LOCAL_PATH && !local_path_valid(v)))
		field_error(fe, d->key, "invalid");
}

int settings_validate(json_t *values, struct field_errors *fe)
{
	size_t before = fe->count;
	const char *key;
	json_t *v;
	json_object_foreach(values, key, v) {
		const struct setting_def *d = def_of(key);
		if (!d)
			field_error(fe, key, "unknown");
		else if (!json_is_string(v))
			field_error(fe, d->key, "invalid");
		else
			validate_one(d, json_string_value(v), fe);
	}
	return (int)(fe->count - before);
}

/* Stores one setting and, when action is given, its audit row (detail: the new value). */
static int put(struct db *db, const char *key, const char *value, int64_t actor, int64_t now, const char *action)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO site_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
		"updated_by = excluded.updated_by");
	int rc = st ? db_bind(st, "ssii", key, value, now, actor) : DB_ERROR;
	if (rc == DB_OK && !actor)
		rc = db_bind_null(st, 4);
	if (rc == DB_OK)
		rc = db_step(st);
	db_done(st);
	char subject[64];
	snprintf(subject, sizeof subject, "setting:%s", key);
	return rc == DB_OK && action ? audit_add(db, actor, action, subject, value) : rc;
}

static int finish(struct db *db, int rc)
{
	if (rc != DB_OK) {
		db_rollback(db);
		return SETTINGS_ERROR;
	}
	return db_commit(db) == DB_OK ? SETTINGS_OK : SETTINGS_ERROR;
}

int settings_update(struct db *db, json_t *values, int64_t actor, int64_t now, struct field_errors *fe, int *changed)
{
	*changed = 0;
	if (settings_validate(values, fe))
		return SETTINGS_INVALID;
	if (db_begin(db) != DB_OK)
		return SETTINGS_ERROR;
	json_t *stored = settings_read(db);    /* inside the transaction: what the change is measured against */
	int rc = stored ? DB_OK : DB_ERROR;
	const char *key;
	json_t *v;
	json_object_foreach(values, key, v) {
		if (rc != DB_OK)
			break;
		char value[2048];
		text_trim(json_string_value(v), value, sizeof value);
		if (strcmp(value, json_string_value(json_object_get(stored, key))) == 0)
			continue;
		rc = put(db, key, value, actor, now, "settings.change");
		(*changed)++;
	}
	json_decref(stored);
	if (rc == DB_OK && *changed)
		rc = content_changed(db);
	return finish(db, rc);
}

int settings_set_logo(struct db *db, const char *files_dir, const char *temp_path, const char *sha,
		      const char *type, int64_t actor, int64_t now, struct field_errors *fe)
{
	if (sha) {
		const char *t = sniff_known(type ? type : "");
		if (!t || (strcmp(t, SNIFF_PNG) != 0 && strcmp(t, SNIFF_JPEG) != 0 && strcmp(t, SNIFF_GIF) != 0 &&
			   strcmp(t, SNIFF_WEBP) != 0)) {
			field_error(fe, "file", "type");
			return SETTINGS_INVALID;
		}
		if (!filestore_sha_valid(sha) || !temp_path || filestore_put(files_dir, temp_path, sha) != 0)
			return SETTINGS_ERROR;
	}
	if (db_begin(db) != DB_OK)
		return SETTINGS_ERROR;
	int rc = put(db, SETTING_LOGO_FILE, sha ? sha : "", actor, now, "settings.logo");
	if (rc == DB_OK)
		rc = put(db, SETTING_LOGO_TYPE, sha ? type : "", actor, now, NULL);
	if (rc == DB_OK)
		rc = content_changed(db);
	return finish(db, rc);
}
