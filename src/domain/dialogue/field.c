#include "domain/dialogue/field.h"
#include <string.h>

json_t *field_list(struct db *db, const char *lang)
{
	json_t *out = json_array();
	struct db_stmt *st = db_prepare(db, "SELECT slug, name_de, name_en FROM fields ORDER BY id");
	bool en = lang && strcmp(lang, "en") == 0;
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(out, json_pack("{ss ss}", "slug", db_text(st, 0),
						     "name", db_text(st, en ? 2 : 1)));
	db_done(st);
	return out;
}

int64_t field_id(struct db *db, const char *slug)
{
	return slug ? db_one_int(db, 0, "SELECT id FROM fields WHERE slug = $1", "s", slug) : 0;
}

int field_add(struct db *db, const char *slug, const char *name_de, const char *name_en)
{
	return db_run(db, "INSERT INTO fields (slug, name_de, name_en) VALUES ($1, $2, $3) "
			  "ON CONFLICT (slug) DO UPDATE SET name_de = $2, name_en = $3",
		      "sss", slug, name_de, name_en);
}
