/* Ideas: what residents hand in. Validation is pure; each function owns its SQL.
 * Reads return jansson objects, the view model the web layer renders. */
#ifndef UNBOX_IDEA_H
#define UNBOX_IDEA_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"

#define IDEA_TITLE_MIN 5
#define IDEA_TITLE_MAX 120
#define IDEA_SUMMARY_MIN 10
#define IDEA_SUMMARY_MAX 300
#define IDEA_DESCRIPTION_MIN 20
#define IDEA_DESCRIPTION_MAX 20000
#define IDEA_PAGE_DEFAULT 20
#define IDEA_PAGE_MAX 100

/* What a person typed, unchecked. */
struct idea_input {
	const char *title, *summary, *description, *field, *stadtteil;
	/* the details (domain/idea_details.h); lists separated by commas */
	const char *zielbilder;          /* slugs */
	const char *lat, *lon;           /* decimal degrees; the Stadtteil is then derived */
	const char *needs;               /* mentoring, funding, technology, space, data, partners */
	const char *applicant_type;      /* private, association, company, student_school, city_staff */
	const char *co_authors;          /* e-mail addresses to invite */
	const char *campaign;            /* campaign code (QR code): channel "campaign" */
	const char *consent;             /* "1" or "on": consent to publication */
	bool form;                       /* a person's own submission: consent and applicant type required */
	const char *author_email, *author_name;   /* of the submitter, for co-author invitations */
	const char *base_url, *lang;     /* for the links and language of those invitations */
};

enum idea_rc { IDEA_OK = 0, IDEA_INVALID, IDEA_CLOSED, IDEA_ERROR };

/* Texts only (no database); returns the number of problems added. */
int idea_validate_text(const struct idea_input *in, struct field_errors *fe);
/* Validates everything, then stores the idea in the cycle open for submission
 * (IDEA_CLOSED when there is none), with an audit row, in one transaction. */
int idea_submit(struct db *db, int64_t author_id, const struct idea_input *in, int64_t now,
		struct field_errors *fe, int64_t *id);
/* Stores an idea as given (demo content, imports): no window check, created_at as given. */
int idea_insert(struct db *db, int64_t cycle_id, int64_t author_id, const struct idea_input *in,
		int64_t created_at, int64_t *id);

struct idea_filter {
	const char *field;        /* slug or NULL */
	int64_t bezirk;           /* 0 = all */
	const char *zielbild;     /* slug or NULL */
	int64_t needs;            /* bits (idea_need_bit); ideas with any of them; 0 = all */
	int64_t before_t, before_id;   /* keyset cursor; 0 = from the newest */
	int limit;                /* 1..IDEA_PAGE_MAX */
};

/* Parses a cursor "T.ID"; returns 0 ok, -1 malformed. */
int idea_cursor_parse(const char *s, int64_t *t, int64_t *id);
/* Newest first. Returns {items: [...], next: "T.ID" or null}. */
json_t *idea_list(struct db *db, const char *lang, const struct idea_filter *f);
/* One idea with its description, or NULL. */
json_t *idea_get(struct db *db, const char *lang, int64_t id);

/* An idea as a list item, from a query elsewhere in the domain layer that
 * selects IDEA_COLS first (columns 0 to 11) from IDEA_JOINS (ideas i, with
 * fields f, stadtbezirke b, stadtteile t). */
#define IDEA_COLS \
	"i.id, i.title, i.summary, i.status, i.created_at, f.slug, f.name_de, f.name_en, " \
	"b.nr, b.name, t.nr, t.name"
#define IDEA_JOINS \
	"FROM ideas i JOIN fields f ON f.id = i.field_id JOIN stadtbezirke b ON b.nr = i.bezirk_nr " \
	"JOIN stadtteile t ON t.nr = i.stadtteil_nr "
json_t *idea_item(struct db_stmt *st, const char *lang);

#endif
