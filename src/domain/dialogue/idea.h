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
 * (IDEA_CLOSED when there is none), with an audit row, in one transaction.
 * IDEA_ERROR when the database failed, also on a lookup while validating. */
int idea_submit(struct db *db, int64_t author_id, const struct idea_input *in, int64_t now,
		struct field_errors *fe, int64_t *id);
/* Editing by the authors (the author and accepted co-authors) while the
 * idea is submitted or in dialogue, and neither hidden nor merged. */
enum idea_edit_rc {
	IDEA_EDIT_OK = 0,
	IDEA_EDIT_UNCHANGED,     /* nothing differs from the idea as it is: no new version */
	IDEA_EDIT_INVALID,       /* see the field errors */
	IDEA_EDIT_NOT_FOUND,
	IDEA_EDIT_FORBIDDEN,     /* not one of its authors */
	IDEA_EDIT_NOT_NOW,       /* past the dialogue (or hidden, merged): the idea stays as it is */
	IDEA_EDIT_ERROR,
};
/* Whether user_id may edit the idea now: IDEA_EDIT_OK or the refusal. */
int idea_may_edit(struct db *db, int64_t id, int64_t user_id, const char *email);
/* Changes the texts, field, place and details (zielbilder, needs, applicant
 * type: in->form is not used; co-authors, campaign and consent stay as they
 * were) in one transaction: the first edit keeps the idea as it was handed
 * in as version 1 of idea_versions, every edit adds the new version (*version)
 * with who made it, an audit row "idea.edit", the followers' and the
 * caretaker's notification NOTIFY_IDEA_EDITED and the content version. */
int idea_edit(struct db *db, int64_t id, int64_t user_id, const char *email, const struct idea_input *in, int64_t now,
	      struct field_errors *fe, int64_t *version);
/* Stores an idea as given (demo content, imports): no window check, created_at as given. */
int idea_insert(struct db *db, int64_t cycle_id, int64_t author_id, const struct idea_input *in,
		int64_t created_at, int64_t *id);

/* The orders of the list; each has an index on (key DESC, id DESC). */
enum idea_sort {
	IDEA_SORT_NEWEST = 0,     /* created_at */
	IDEA_SORT_SUPPORTED,      /* supports */
	IDEA_SORT_DISCUSSED,      /* comment_count */
	IDEA_SORT_ACTIVE,         /* last_activity_at */
	IDEA_SORT_COUNT
};
/* "newest", "supported", "discussed", "active" */
extern const char *const idea_sort_keys[IDEA_SORT_COUNT];
/* The sort named key, or -1 when there is none by that name. */
int idea_sort_parse(const char *key);

struct idea_filter {
	const char *field;        /* slug or NULL */
	int64_t bezirk;           /* 0 = all */
	const char *zielbild;     /* slug or NULL */
	int64_t needs;            /* bits (idea_need_bit); ideas with any of them; 0 = all */
	const char *status;       /* a state of the workflow (idea_status.h) or NULL */
	int64_t cycle;            /* cycle number; 0 = all */
	const char *phase;        /* cycle_phase_keys: ideas of the cycles now in that phase; NULL = all */
	int64_t now;              /* for phase */
	int sort;                 /* enum idea_sort */
	int64_t before_t, before_id;   /* keyset cursor: sort key and id; before_id 0 = from the top */
	int limit;                /* 1..IDEA_PAGE_MAX */
};

/* Parses a cursor "T.ID" of the newest-first order; returns 0 ok, -1 malformed. */
int idea_cursor_parse(const char *s, int64_t *t, int64_t *id);
/* Parses a cursor of the given sort: "T.ID" for newest first, else the
 * sort's letter, key and id ("s12.345": 12 supports, idea 345). Returns 0 ok,
 * -1 malformed or a cursor of another sort. */
int idea_cursor_parse_sort(const char *s, int sort, int64_t *key, int64_t *id);

/* A filter resolved to ids, for SQL on ideas i (idea_where_sql). */
struct idea_where {
	int64_t field_id, bezirk, zielbild_id, needs;
	const char *status;       /* "" = all */
	int64_t cycle_id;         /* 0 = all; -1 = see cycles */
	char cycles[512];         /* ",3,5,": several cycles; "" */
	bool none;                /* nothing can match (a cycle or phase without ideas) */
};
/* Resolves slugs, the cycle number and the phase (an unknown one sets none).
 * 0 ok, -1 database error. */
int idea_where_resolve(struct db *db, const struct idea_filter *f, struct idea_where *w);
/* The conditions on ideas i for a statement, with the parameters $A..$A+6
 * (pass the numbers as strings), bound by idea_where_bind(st, A, w). */
#define IDEA_WHERE_SQL(a, b, c, d, e, g, h) \
	"(" a " = 0 OR i.field_id = " a ") AND (" b " = 0 OR i.bezirk_nr = " b ") " \
	"AND (" c " = 0 OR EXISTS (SELECT 1 FROM idea_zielbilder iz WHERE iz.idea_id = i.id AND iz.zielbild_id = " c ")) " \
	"AND (" d " = 0 OR (i.needs & " d ") <> 0) AND (" e " = '' OR i.status = " e ") " \
	"AND (" g " = 0 OR i.cycle_id = " g " OR (" h " <> '' AND " h " LIKE '%,' || CAST(i.cycle_id AS TEXT) || ',%')) "
int idea_where_bind(struct db_stmt *st, int first, const struct idea_where *w);

/* One page in the filter's sort order, ties by id (newest first by default).
 * Returns {items: [...] (idea_item), next: cursor or null, limit}; NULL when
 * the database failed. */
json_t *idea_list(struct db *db, const char *lang, const struct idea_filter *f);
/* How many ideas the list shows under the filter, counted up to cap + 1 and
 * no further (a page view never counts everything): cap + 1 means "more than
 * cap". -1 when the database failed. */
#define IDEA_COUNT_CAP 1000
int64_t idea_list_count(struct db *db, const struct idea_filter *f, int64_t cap);
/* One idea with its description, details (idea_details.h), supports (the
 * count), caretaker ({id, name} or null, as caretaker_of), hidden (and, when
 * hidden by the moderation, hidden_reason and hidden_text, both public),
 * closed (hidden, archived or withdrawn: it takes no new comments, supports
 * or follows) and
 * has_merged_from (whether visible ideas were merged into it): 1 found (*out,
 * one reference), 0 there is no such idea, -1 the database failed (*out NULL
 * unless found). */
int idea_get(struct db *db, const char *lang, int64_t id, json_t **out);
/* idea_get, and from the same row the idea it was merged into (0: none),
 * which the idea page checks first. merged_into may be NULL. */
int idea_get_merged(struct db *db, const char *lang, int64_t id, json_t **out, int64_t *merged_into);

/* What deciding who may see or change an idea needs, from its row alone:
 * the author (0: none left), whether the moderation hides it, the idea it
 * was merged into (0: none). 1, 0 when there is no such idea, or -1. */
int idea_access(struct db *db, int64_t id, int64_t *author_id, bool *hidden, int64_t *merged_into);
/* Whether user_id (with the account's e-mail) is an author of the idea: its
 * author or an accepted co-author (coauthor_is_accepted). 1, 0 or -1. */
int idea_is_author(struct db *db, int64_t id, int64_t user_id, const char *email);

/* An idea as a list item, from a query elsewhere in the domain layer that
 * selects IDEA_COLS first (columns IDEA_COL_ID to IDEA_NCOLS - 1) from
 * IDEA_JOINS (ideas i, with fields f, stadtbezirke b, stadtteile t). */
#define IDEA_COLS \
	"i.id, i.title, i.summary, i.status, i.created_at, f.slug, f.name_de, f.name_en, " \
	"b.nr, b.name, t.nr, t.name, i.supports, i.comment_count"
enum { IDEA_COL_ID, IDEA_COL_TITLE, IDEA_COL_SUMMARY, IDEA_COL_STATUS, IDEA_COL_CREATED_AT, IDEA_COL_FIELD_SLUG,
       IDEA_COL_FIELD_NAME_DE, IDEA_COL_FIELD_NAME_EN, IDEA_COL_BEZIRK_NR, IDEA_COL_BEZIRK_NAME,
       IDEA_COL_STADTTEIL_NR, IDEA_COL_STADTTEIL_NAME, IDEA_COL_SUPPORTS, IDEA_COL_COMMENTS, IDEA_NCOLS };
#define IDEA_JOINS \
	"FROM ideas i JOIN fields f ON f.id = i.field_id JOIN stadtbezirke b ON b.nr = i.bezirk_nr " \
	"JOIN stadtteile t ON t.nr = i.stadtteil_nr "
json_t *idea_item(struct db_stmt *st, const char *lang);

#endif
