/* The versions of an edited idea (table idea_versions, written by
 * idea_edit) and what changed from one to the next, for the caretaker, the
 * team and the authors. */
#ifndef UNBOX_IDEA_VERSIONS_H
#define UNBOX_IDEA_VERSIONS_H
#include <jansson.h>
#include <stdint.h>
#include "db/db.h"

#define IDEA_VERSIONS_MAX 100         /* versions listed, the newest */
#define TEXT_DIFF_CELLS 4000000       /* lines × lines compared at most; beyond, the text counts as replaced */

/* The lines of b against a, in order: [{op: "same" | "del" | "ins", text}]
 * (the longest common subsequence of lines). Pure; NULL on out-of-memory. */
json_t *text_diff_lines(const char *a, const char *b);

/* The idea's versions, newest first: {count, items: [{version, title,
 * summary, description, field {slug, name}, stadtteil {nr, name}, location
 * {lat_text, lon_text} or null, needs [{key, name}], applicant_type {key,
 * name} or null, zielbilder [{slug, name}], editor, created_at,
 * created_date, first, changes: [{field, before, after} or, for the
 * description, {field, lines (text_diff_lines)}] against the version
 * before}]}. An idea never edited has one version, its row as it is. 1, 0
 * (no such idea) or -1. */
int idea_versions(struct db *db, const char *lang, int64_t id, json_t **out);

#endif
