/* The innovation fields (Innovationsfelder) ideas are filed under. */
#ifndef UNBOX_FIELD_H
#define UNBOX_FIELD_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

json_t *field_list(struct db *db, const char *lang);     /* [{slug, name}] */
int64_t field_id(struct db *db, const char *slug);       /* 0 when unknown */
int     field_add(struct db *db, const char *slug, const char *name_de, const char *name_en);

#endif
