#include "domain/dialogue/field.h"
#include <string.h>

json_t *field_list(struct db *db, const char *lang)
{
	struct db_stmt *st = db_prepare(db, "SELECT slug, name_de, name_en FROM fields ORDER BY id");
	enum { FIELD_SLUG, FIELD_NAME_DE, FIELD_NAME_EN };
	if (!st)
		return NULL;
	json_t *out = json_array();
	bool en = lang && strcmp(lang, "en") == 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(out, json_pack("{ss ss}", "slug", db_text(st, FIELD_SLUG),
						     "name", db_text(st, en ? FIELD_NAME_EN : FIELD_NAME_DE)));
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int64_t field_id(struct db *db, const char *slug)
{
	int64_t id = 0;
	if (!slug)
		return 0;
	return db_find_int(db, &id, "SELECT id FROM fields WHERE slug = $1", "s", slug) < 0 ? -1 : id;
}

int field_add(struct db *db, const char *slug, const char *name_de, const char *name_en)
{
	return db_run(db, "INSERT INTO fields (slug, name_de, name_en) VALUES ($1, $2, $3) "
			  "ON CONFLICT (slug) DO UPDATE SET name_de = $2, name_en = $3",
		      "sss", slug, name_de, name_en);
}
