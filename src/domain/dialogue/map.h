/* The map of ideas: district outlines projected from GeoJSON (WGS84 lon/lat)
 * into SVG path data, ideas counted per district, ideas with a place as
 * points. No tiles: everything comes from the boundaries in the database. */
#ifndef UNBOX_MAP_H
#define UNBOX_MAP_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/buf.h"
#include "db/db.h"
#include "domain/dialogue/idea.h"

#define MAP_W 800.0            /* the map area of the viewBox */
#define MAP_H 800.0
#define MAP_PAD 10.0
#define MAP_COS_LAT 0.63013387 /* cos(50.94°), Cologne: scales longitudes */
#define MAP_POINTS_MAX 500     /* points drawn at most, newest first */
#define MAP_CLASSES 5

/* Equirectangular projection fitted into a box: x = ox + (lon - lon0) * kx,
 * y = oy + (lat1 - lat) * k. */
struct map_frame {
	double lon0, lat1, k, kx, ox, oy;
	bool ok;
};

/* Bounding box in degrees; empty when minlon > maxlon. */
struct map_bbox {
	double minlon, minlat, maxlon, maxlat;
};

void map_bbox_init(struct map_bbox *bb);
/* Extends bb by every position of a GeoJSON Polygon or MultiPolygon. */
int map_bbox_add(struct map_bbox *bb, const json_t *geometry);
/* Fits bb into w × h (with pad on each side), keeping the aspect ratio of
 * the projection; centred. */
void map_frame_fit(struct map_frame *fr, const struct map_bbox *bb, double w, double h, double pad);
void map_project(const struct map_frame *fr, double lon, double lat, double *x, double *y);
/* The inverse: the place (lon, lat) drawn at (x, y). */
void map_unproject(const struct map_frame *fr, double x, double y, double *lon, double *lat);
/* The frame every map of the city is drawn in (map_districts fits the same
 * one: all Stadtbezirke into MAP_W × MAP_H), for turning a click on the map
 * back into a place. 0, or -1 when the database failed (fr->ok false when
 * there are no boundaries). */
int map_city_frame(struct db *db, struct map_frame *fr);
/* Appends SVG path data ("M x,y x,y … Z" per ring, one decimal) for a GeoJSON
 * Polygon or MultiPolygon; cx, cy get the centroid of the largest ring (a place
 * for a label). Returns 0, or -1 when the geometry is not one of these. */
int map_path(const struct map_frame *fr, const json_t *geometry, struct buf *out, double *cx, double *cy);

/* The shading class of a count: 0 (none), 1 (1), 2 (2–4), 3 (5–9), 4 (10 or more). */
int map_class(int64_t count);
/* Lower bound of each class, for the legend. */
extern const int64_t map_class_min[MAP_CLASSES];

/* The filters are those of the idea list (domain/idea.h: an idea_filter
 * resolved by idea_where_resolve), so the map counts exactly the ideas the
 * list shows under the same query; hidden and merged ideas never count. */

/* The Stadtbezirke with outlines and idea counts (one GROUP BY under the
 * filter w): {districts: [{nr, name, count, class, path, label_x, label_y}],
 * total}; NULL when the database failed. fr is fitted to all of them. */
json_t *map_districts(struct db *db, const struct idea_where *w, struct map_frame *fr);
/* 1 when ideas carry an optional place (columns lat_e6 and lon_e6,
 * millionths of a degree), 0 when not, -1 when the database failed. */
int map_has_points(struct db *db);
/* Ideas with a place under the filter w, newest first, at most MAP_POINTS_MAX:
 * [{id, title, lat, lon, x, y}]; [] when ideas have no place columns; NULL
 * when the database failed. */
json_t *map_points(struct db *db, const struct idea_where *w, const struct map_frame *fr);

#endif
