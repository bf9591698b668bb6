#include "domain/place.h"
#include "core/jsonx.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *place_tree(struct db *db)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT b.nr, b.name, t.nr, t.name FROM stadtbezirke b "
		"JOIN stadtteile t ON t.bezirk_nr = b.nr ORDER BY b.nr, t.name");
	enum { TREE_BEZIRK_NR, TREE_BEZIRK_NAME, TREE_TEIL_NR, TREE_TEIL_NAME };
	if (!st)
		return NULL;
	json_t *out = json_array();
	json_t *cur = NULL;
	int64_t cur_nr = -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_int(st, TREE_BEZIRK_NR) != cur_nr) {
			cur_nr = db_int(st, TREE_BEZIRK_NR);
			cur = json_pack("{sI ss s[]}", "nr", (json_int_t)cur_nr, "name", db_text(st, TREE_BEZIRK_NAME),
					"stadtteile");
			json_array_append_new(out, cur);
		}
		json_array_append_new(json_object_get(cur, "stadtteile"),
				      json_pack("{sI ss}", "nr", (json_int_t)db_int(st, TREE_TEIL_NR),
						"name", db_text(st, TREE_TEIL_NAME)));
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *place_bezirke(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT nr, name FROM stadtbezirke ORDER BY nr");
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *b = json_object();
		jset_int(b, "nr", db_int(st, 0));
		jset_str(b, "name", db_text(st, 1));
		json_array_append_new(out, b);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int place_stadtteil(struct db *db, int64_t nr, int64_t *bezirk)
{
	return db_find_int(db, bezirk, "SELECT bezirk_nr FROM stadtteile WHERE nr = $1", "i", nr);
}

int place_bezirk_exists(struct db *db, int64_t nr)
{
	int64_t one;
	return db_find_int(db, &one, "SELECT 1 FROM stadtbezirke WHERE nr = $1", "i", nr);
}

/* Even-odd rule: a ray from the point to the east crosses the ring's edges. */
static bool in_ring(json_t *ring, double x, double y)
{
	bool in = false;
	size_t n = json_array_size(ring);
	for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
		json_t *a = json_array_get(ring, i), *b = json_array_get(ring, j);
		double xi = json_number_value(json_array_get(a, 0)), yi = json_number_value(json_array_get(a, 1));
		double xj = json_number_value(json_array_get(b, 0)), yj = json_number_value(json_array_get(b, 1));
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

/* A polygon's coordinates: the outer ring, then holes. */
static bool in_polygon(json_t *rings, double x, double y)
{
	if (!in_ring(json_array_get(rings, 0), x, y))
		return false;
	for (size_t k = 1; k < json_array_size(rings); k++)
		if (in_ring(json_array_get(rings, k), x, y))
			return false;
	return true;
}

static bool in_geometry(json_t *g, double x, double y)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	if (!type || !json_is_array(coords))
		return false;
	if (strcmp(type, "Polygon") == 0)
		return in_polygon(coords, x, y);
	if (strcmp(type, "MultiPolygon") == 0)
		for (size_t k = 0; k < json_array_size(coords); k++)
			if (in_polygon(json_array_get(coords, k), x, y))
				return true;
	return false;
}

int place_locate(struct db *db, double lat, double lon, int64_t *teil, int64_t *bezirk)
{
	*teil = *bezirk = 0;
	if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))   /* NaN too */
		return 0;
	struct db_stmt *st = db_prepare(db, "SELECT nr, bezirk_nr, geometry FROM stadtteile ORDER BY nr");
	enum { LOCATE_NR, LOCATE_BEZIRK_NR, LOCATE_GEOMETRY };
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *g = json_loads(db_text(st, LOCATE_GEOMETRY), 0, NULL);
		bool in = g && in_geometry(g, lon, lat);
		json_decref(g);
		if (in) {
			*teil = db_int(st, LOCATE_NR);
			*bezirk = db_int(st, LOCATE_BEZIRK_NR);
			break;
		}
	}
	db_done(st);
	if (rc != DB_OK && rc != DB_ROW) {
		*teil = *bezirk = 0;
		return -1;
	}
	return *teil != 0;
}

static int import_one(struct db *db, const char *text, int teile, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *fc = json_loads(text, 0, &jerr);
	json_t *features = json_object_get(fc, "features");
	if (!json_is_array(features)) {
		snprintf(err, errlen, "not a GeoJSON FeatureCollection (%s)", jerr.text);
		json_decref(fc);
		return -1;
	}
	size_t i;
	json_t *f;
	int n = 0;
	json_array_foreach(features, i, f) {
		json_t *props = json_object_get(f, "properties");
		json_int_t nr = json_integer_value(json_object_get(props, "nr"));
		const char *name = json_string_value(json_object_get(props, "name"));
		char *geometry = json_dumps(json_object_get(f, "geometry"), JSON_COMPACT);
		int rc;
		if (!nr || !name || !geometry) {
			rc = DB_ERROR;
		} else if (teile) {
			json_int_t bezirk = json_integer_value(json_object_get(props, "stadtbezirk_nr"));
			rc = db_run(db, "INSERT INTO stadtteile (nr, name, bezirk_nr, geometry) VALUES ($1, $2, $3, $4) "
				    "ON CONFLICT (nr) DO UPDATE SET name = $2, bezirk_nr = $3, geometry = $4",
				    "isis", (int64_t)nr, name, (int64_t)bezirk, geometry);
		} else {
			rc = db_run(db, "INSERT INTO stadtbezirke (nr, name, geometry) VALUES ($1, $2, $3) "
				    "ON CONFLICT (nr) DO UPDATE SET name = $2, geometry = $3",
				    "iss", (int64_t)nr, name, geometry);
		}
		free(geometry);
		if (rc != DB_OK) {
			snprintf(err, errlen, "feature %zu (%s) could not be stored", i, name ? name : "?");
			json_decref(fc);
			return -1;
		}
		n++;
	}
	json_decref(fc);
	return n;
}

int place_import(struct db *db, const char *bezirke, const char *teile, char *err, size_t errlen)
{
	int a = import_one(db, bezirke, 0, err, errlen);
	if (a < 0)
		return -1;
	int b = import_one(db, teile, 1, err, errlen);
	return b < 0 ? -1 : a + b;
}
