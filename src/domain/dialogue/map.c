#include "domain/dialogue/map.h"
#include "core/jsonx.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Without libm: the few helpers the projection needs. */
static double dmin(double a, double b) { return a < b ? a : b; }
static double dmax(double a, double b) { return a > b ? a : b; }
static double dabs(double a) { return a < 0 ? -a : a; }
static long tenths(double v) { return (long)(v * 10 + (v < 0 ? -0.5 : 0.5)); }
static double round1(double v) { return (double)tenths(v) / 10; }

const int64_t map_class_min[MAP_CLASSES] = { 0, 1, 2, 5, 10 };

int map_class(int64_t count)
{
	int c = 0;
	for (int i = 1; i < MAP_CLASSES; i++)
		if (count >= map_class_min[i])
			c = i;
	return c;
}

void map_bbox_init(struct map_bbox *bb)
{
	bb->minlon = bb->minlat = INFINITY;
	bb->maxlon = bb->maxlat = -INFINITY;
}

static bool position(const json_t *p, double *lon, double *lat)
{
	const json_t *a = json_array_get(p, 0), *b = json_array_get(p, 1);
	if (!json_is_number(a) || !json_is_number(b))
		return false;
	*lon = json_number_value(a);
	*lat = json_number_value(b);
	return isfinite(*lon) && isfinite(*lat);
}

/* The polygons of a geometry as an array of polygons (arrays of rings), or NULL. */
static const json_t *polygons(const json_t *geometry, json_t **wrapped)
{
	const char *type = json_string_value(json_object_get(geometry, "type"));
	json_t *coords = json_object_get(geometry, "coordinates");
	*wrapped = NULL;
	if (!type || !json_is_array(coords))
		return NULL;
	if (strcmp(type, "MultiPolygon") == 0)
		return coords;
	if (strcmp(type, "Polygon") == 0) {
		*wrapped = json_array();
		json_array_append(*wrapped, coords);
		return *wrapped;
	}
	return NULL;
}

int map_bbox_add(struct map_bbox *bb, const json_t *geometry)
{
	json_t *wrapped;
	const json_t *polys = polygons(geometry, &wrapped);
	if (!polys)
		return -1;
	size_t i, j, k;
	json_t *poly, *ring, *p;
	json_array_foreach(polys, i, poly) {
		json_array_foreach(poly, j, ring) {
			json_array_foreach(ring, k, p) {
				double lon, lat;
				if (!position(p, &lon, &lat))
					continue;
				bb->minlon = dmin(bb->minlon, lon);
				bb->maxlon = dmax(bb->maxlon, lon);
				bb->minlat = dmin(bb->minlat, lat);
				bb->maxlat = dmax(bb->maxlat, lat);
			}
		}
	}
	json_decref(wrapped);
	return 0;
}

void map_frame_fit(struct map_frame *fr, const struct map_bbox *bb, double w, double h, double pad)
{
	memset(fr, 0, sizeof *fr);
	if (!(bb->minlon <= bb->maxlon) || !(bb->minlat <= bb->maxlat))
		return;
	double c = MAP_COS_LAT;
	double dw = (bb->maxlon - bb->minlon) * c, dh = bb->maxlat - bb->minlat;
	double aw = w - 2 * pad, ah = h - 2 * pad;
	double k = dw > 0 && dh > 0 ? dmin(aw / dw, ah / dh) : dw > 0 ? aw / dw : dh > 0 ? ah / dh : 1.0;
	fr->k = k;
	fr->kx = k * c;
	fr->lon0 = bb->minlon;
	fr->lat1 = bb->maxlat;
	fr->ox = pad + (aw - dw * k) / 2;
	fr->oy = pad + (ah - dh * k) / 2;
	fr->ok = true;
}

void map_project(const struct map_frame *fr, double lon, double lat, double *x, double *y)
{
	*x = fr->ox + (lon - fr->lon0) * fr->kx;
	*y = fr->oy + (fr->lat1 - lat) * fr->k;
}

void map_unproject(const struct map_frame *fr, double x, double y, double *lon, double *lat)
{
	*lon = fr->lon0 + (x - fr->ox) / fr->kx;
	*lat = fr->lat1 - (y - fr->oy) / fr->k;
}

int map_city_frame(struct db *db, struct map_frame *fr)
{
	struct map_bbox bb;
	map_bbox_init(&bb);
	struct db_stmt *st = db_prepare(db, "SELECT geometry FROM stadtbezirke ORDER BY nr");
	int rc = st ? DB_OK : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_t *g = json_loads(db_text(st, 0), 0, NULL);
		if (g)
			map_bbox_add(&bb, g);
		json_decref(g);
	}
	db_done(st);
	map_frame_fit(fr, &bb, MAP_W, MAP_H, MAP_PAD);
	return rc == DB_OK ? 0 : -1;
}

/* Coordinates in tenths, so that equal points after rounding are skipped. */
static void put_tenths(struct buf *out, long v)
{
	if (v < 0) {
		buf_putc(out, '-');
		v = -v;
	}
	buf_printf(out, "%ld.%ld", v / 10, v % 10);
}

int map_path(const struct map_frame *fr, const json_t *geometry, struct buf *out, double *cx, double *cy)
{
	json_t *wrapped;
	const json_t *polys = polygons(geometry, &wrapped);
	if (!polys || !fr->ok) {
		json_decref(wrapped);
		return -1;
	}
	double best = -1;
	*cx = *cy = 0;
	size_t i, j, k;
	json_t *poly, *ring, *p;
	json_array_foreach(polys, i, poly) {
		json_array_foreach(poly, j, ring) {
			long lx = 0, ly = 0;
			size_t n = 0;
			double a2 = 0, sx = 0, sy = 0, px = 0, py = 0, fx = 0, fy = 0;
			json_array_foreach(ring, k, p) {
				double lon, lat, x, y;
				if (!position(p, &lon, &lat))
					continue;
				map_project(fr, lon, lat, &x, &y);
				long tx = tenths(x), ty = tenths(y);
				if (n == 0) {
					fx = x;
					fy = y;
				} else {
					double cr = px * y - x * py;   /* shoelace: area and centroid */
					a2 += cr;
					sx += (px + x) * cr;
					sy += (py + y) * cr;
				}
				px = x;
				py = y;
				if (n > 0 && tx == lx && ty == ly) {
					n++;
					continue;
				}
				buf_putc(out, n == 0 ? 'M' : ' ');
				put_tenths(out, tx);
				buf_putc(out, ',');
				put_tenths(out, ty);
				lx = tx;
				ly = ty;
				n++;
			}
			if (n == 0)
				continue;
			double cr = px * fy - fx * py;   /* close the ring */
			a2 += cr;
			sx += (px + fx) * cr;
			sy += (py + fy) * cr;
			buf_putc(out, 'Z');
			if (j == 0 && dabs(a2) > best && a2 != 0) {   /* outer rings only */
				best = dabs(a2);
				*cx = sx / (3 * a2);
				*cy = sy / (3 * a2);
			}
		}
	}
	json_decref(wrapped);
	return 0;
}

/* The list's conditions (IDEA_WHERE_SQL, $1..$7 bound by idea_where_bind):
 * the same ideas as GET /ideas under the same filters. */
#define MAP_WHERE \
	"i.hidden_at IS NULL AND i.merged_into IS NULL " \
	"AND " IDEA_WHERE_SQL("$1", "$2", "$3", "$4", "$5", "$6", "$7")

json_t *map_districts(struct db *db, const struct idea_where *w, struct map_frame *fr)
{
	json_t *districts = json_array();
	json_t *geoms = json_array();
	struct map_bbox bb;
	map_bbox_init(&bb);
	struct db_stmt *st = db_prepare(db, "SELECT nr, name, geometry FROM stadtbezirke ORDER BY nr");
	enum { DISTRICT_NR, DISTRICT_NAME, DISTRICT_GEOMETRY };
	int rc = st ? DB_OK : DB_ERROR;
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		json_t *g = json_loads(db_text(st, DISTRICT_GEOMETRY), 0, NULL);
		json_t *d = json_object();
		jset_int(d, "nr", db_int(st, DISTRICT_NR));
		jset_str(d, "name", db_text(st, DISTRICT_NAME));
		jset_int(d, "count", 0);
		json_array_append_new(districts, d);
		if (g)
			map_bbox_add(&bb, g);
		json_array_append_new(geoms, g ? g : json_null());
	}
	db_done(st);

	/* the counts, under the same filters as the list */
	int64_t total = 0;
	st = rc != DB_OK || w->none ? NULL
		: db_prepare(db, "SELECT i.bezirk_nr, COUNT(*) FROM ideas i WHERE " MAP_WHERE "GROUP BY i.bezirk_nr");
	if (rc == DB_OK && !w->none)
		rc = st ? idea_where_bind(st, 1, w) : DB_ERROR;
	while (st && rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		int64_t nr = db_int(st, 0), n = db_int(st, 1);
		size_t i;
		json_t *d;
		total += n;
		json_array_foreach(districts, i, d)
			if (json_integer_value(json_object_get(d, "nr")) == nr)
				jset_int(d, "count", n);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(districts);
		json_decref(geoms);
		return NULL;
	}

	map_frame_fit(fr, &bb, MAP_W, MAP_H, MAP_PAD);
	struct buf path;
	buf_init(&path, 4 << 20);
	size_t i;
	json_t *d;
	json_array_foreach(districts, i, d) {
		double cx = 0, cy = 0;
		buf_clear(&path);
		map_path(fr, json_array_get(geoms, i), &path, &cx, &cy);
		jset_int(d, "class", map_class(json_integer_value(json_object_get(d, "count"))));
		jset(d, "path", json_stringn_nocheck(path.data ? path.data : "", path.len));
		jset(d, "label_x", json_real(round1(cx)));
		jset(d, "label_y", json_real(round1(cy)));
	}
	buf_free(&path);
	json_decref(geoms);
	json_t *out = json_object();
	jset(out, "districts", districts);
	jset_int(out, "total", total);
	return out;
}

int map_has_points(struct db *db)
{
	struct db_column *cols = NULL;
	int n = db_table_columns(db, "ideas", &cols);
	if (n < 0)
		return -1;
	bool lat = false, lon = false;
	for (int i = 0; i < n; i++) {
		lat = lat || strcmp(cols[i].name, "lat_e6") == 0;
		lon = lon || strcmp(cols[i].name, "lon_e6") == 0;
	}
	if (n > 0)
		db_free_columns(cols, n);
	return lat && lon;
}

json_t *map_points(struct db *db, const struct idea_where *w, const struct map_frame *fr)
{
	int points = fr->ok && !w->none ? map_has_points(db) : 0;
	if (points <= 0)
		return points < 0 ? NULL : json_array();
	struct db_stmt *st = db_prepare(db,
		"SELECT i.id, i.title, i.lat_e6, i.lon_e6 FROM ideas i "
		"WHERE i.lat_e6 IS NOT NULL AND i.lon_e6 IS NOT NULL AND " MAP_WHERE
		"ORDER BY i.created_at DESC, i.id DESC LIMIT $8");
	enum { POINT_ID, POINT_TITLE, POINT_LAT_E6, POINT_LON_E6 };
	if (!st)
		return NULL;
	json_t *out = json_array();
	int rc = idea_where_bind(st, 1, w);
	if (rc == DB_OK)
		rc = db_bind_int(st, 8, MAP_POINTS_MAX);
	while (rc == DB_OK && (rc = db_step(st)) == DB_ROW) {
		rc = DB_OK;
		double lat = (double)db_int(st, POINT_LAT_E6) / 1e6, lon = (double)db_int(st, POINT_LON_E6) / 1e6, x, y;
		map_project(fr, lon, lat, &x, &y);
		if (x < 0 || y < 0 || x > MAP_W || y > MAP_H)
			continue;
		json_t *p = json_object();
		jset_int(p, "id", db_int(st, POINT_ID));
		jset_str(p, "title", db_text(st, POINT_TITLE));
		jset(p, "lat", json_real(lat));
		jset(p, "lon", json_real(lon));
		jset(p, "x", json_real(round1(x)));
		jset(p, "y", json_real(round1(y)));
		json_array_append_new(out, p);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}
