/* Cologne's 9 Stadtbezirke and 86 Stadtteile (or any city's districts). */
#ifndef UNBOX_PLACE_H
#define UNBOX_PLACE_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

/* [{nr, name, stadtteile: [{nr, name}]}] ordered by number; NULL when the
 * database failed. */
json_t *place_tree(struct db *db);
/* [{nr, name}] of the Stadtbezirke only, ordered by number; NULL when the
 * database failed. */
json_t *place_bezirke(struct db *db);
/* 1 when the Stadtteil exists (its Stadtbezirk in *bezirk), 0 when it does
 * not, -1 when the database failed. */
int place_stadtteil(struct db *db, int64_t nr, int64_t *bezirk);
/* 1 when the Stadtbezirk exists, 0 when not, -1 when the database failed. */
int place_bezirk_exists(struct db *db, int64_t nr);
/* The Stadtteil (and its Stadtbezirk) whose boundary (stadtteile.geometry,
 * GeoJSON Polygon or MultiPolygon in WGS84 lon/lat) contains the point.
 * 1 found, 0 outside every Stadtteil (outside the city), -1 the database
 * failed. */
int place_locate(struct db *db, double lat, double lon, int64_t *teil, int64_t *bezirk);
/* Imports GeoJSON FeatureCollections (properties nr, name[, stadtbezirk_nr]).
 * Returns the number of features imported, or -1 with a message in err. */
int place_import(struct db *db, const char *bezirke_geojson, const char *stadtteile_geojson,
		 char *err, size_t errlen);

#endif
