/* The texts of the information pages: the ones every public body must have
 * (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit, Kontakt)
 * and the ones that explain un:box, in plain language and in Leichte
 * Sprache. The team writes them in Markdown, rendered once on write with the
 * safe renderer (domain/markdown.h: raw HTML off). Every change is a new
 * version (table info_texts); nothing is overwritten, and each version has
 * an audit row ("text.edit", subject "text:<slug>:<lang>"). */
#ifndef UNBOX_INFOTEXT_H
#define UNBOX_INFOTEXT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define INFOTEXT_TITLE_MIN 2
#define INFOTEXT_TITLE_MAX 120
#define INFOTEXT_BODY_MAX 100000      /* characters: a full Datenschutzerklärung fits */
#define INFOTEXT_NOTE_MAX 200
#define INFOTEXT_HISTORY_DEFAULT 20   /* versions per page of the history ... */
#define INFOTEXT_HISTORY_MAX 100      /* ... and at most, on request */

struct infotext_page {
	const char *slug;       /* "impressum" */
	const char *path;       /* where it is shown: "/impressum" */
	bool german_only;       /* Leichte Sprache is German by its nature */
};
/* The pages, in the order the footer and the team's list show them; ends with {0}. */
extern const struct infotext_page infotext_pages[];
const struct infotext_page *infotext_page_by_slug(const char *slug);
const struct infotext_page *infotext_page_by_path(const char *path);

struct infotext_input {
	const char *slug, *lang;
	int64_t base_version;   /* the version the writer started from; 0: there was none */
	const char *title, *body_md, *note;
	bool demo;              /* a demo text (unbox seed --demo): the page says so */
	int64_t actor;          /* 0: the system (the demo content) */
};

enum infotext_rc {
	INFOTEXT_OK = 0,
	INFOTEXT_INVALID,       /* see the field errors */
	INFOTEXT_NOT_FOUND,     /* no such page, or a language the page is not written in */
	INFOTEXT_CONFLICT,      /* someone saved a newer version since base_version */
	INFOTEXT_ERROR,
};

/* Checks title (2..120 characters), body (1..100,000, Markdown whose
 * headings start at "##" and go down one level at a time: the page's title
 * is its only top heading, so the page's headings stay in order — codes
 * "heading_top", "heading_order") and note (up to 200). Pure. */
int infotext_validate(const struct infotext_input *in, struct field_errors *fe);
/* Validates and stores the next version, with its audit row and a new
 * content version, in one transaction. *version: the new version; an
 * unchanged text (the same title, body and demo mark) stores nothing and
 * answers the current one. INFOTEXT_CONFLICT with the newer version in
 * *version. */
int infotext_save(struct db *db, const struct infotext_input *in, int64_t now, struct field_errors *fe,
		  int64_t *version);

/* The current version of a page in lang: 1 with *out {id, slug, lang,
 * version, title, html, markdown, note, demo, updated_at (ISO 8601),
 * updated_date (in date_lang), updated_by {id, name} or null}, 0 when it
 * has none, -1. */
int infotext_get(struct db *db, const char *slug, const char *lang, const char *date_lang, json_t **out);
/* One version by its id, as infotext_get: 1, 0 or -1. */
int infotext_version(struct db *db, const char *date_lang, int64_t id, json_t **out);
/* The versions of a page in lang, newest first, below version before (0:
 * from the newest), at most limit: {items [{id, version, title, note, demo,
 * created_at, created_date, author {id, name} or null}], next (a version)
 * or null, limit}. NULL when the database failed. */
json_t *infotext_history(struct db *db, const char *slug, const char *lang, const char *date_lang, int64_t before,
			 int limit);

#endif
