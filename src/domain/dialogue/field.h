/* The innovation fields (Innovationsfelder) ideas are filed under. */
#ifndef UNBOX_FIELD_H
#define UNBOX_FIELD_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

/* [{slug, name}]; NULL when the database failed. */
json_t *field_list(struct db *db, const char *lang);
/* The id of the field slug; 0 when there is none (or slug is NULL), -1 when
 * the database failed. */
int64_t field_id(struct db *db, const char *slug);
int     field_add(struct db *db, const char *slug, const char *name_de, const char *name_en);

#endif
