/* The details of an idea beyond its texts: the Zielbilder it serves (a list
 * the team keeps in the table zielbilder), an optional point on the map,
 * what it needs, who hands it in, how it came in (channel, campaign code),
 * the consent to publication and the co-authors to invite. idea_submit and
 * idea_insert call these in their transaction. */
#ifndef UNBOX_IDEA_DETAILS_H
#define UNBOX_IDEA_DETAILS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/errors.h"
#include "domain/dialogue/idea.h"
#include "domain/user.h"

#define IDEA_ZIELBILDER_MAX 8
#define IDEA_CO_AUTHORS_MAX 5
#define IDEA_CAMPAIGN_MAX 40

extern const char *const idea_need_keys[];        /* mentoring, funding, ... NULL-terminated; bit i */
extern const char *const idea_applicant_types[];  /* private, association, ... NULL-terminated */
extern const char *const idea_channels[];         /* online, event, paper, meinungsmobil, campaign */

/* The bit of a need, 0 when unknown. */
int64_t idea_need_bit(const char *key);
bool idea_applicant_type_valid(const char *key);
/* A campaign code: 1 to 40 letters, digits, '-' or '_'. */
bool idea_campaign_valid(const char *code);

/* The Zielbilder (configurable list). */
int     zielbild_add(struct db *db, const char *slug, const char *name_de, const char *name_en, int64_t position);
int64_t zielbild_id(struct db *db, const char *slug);        /* 0 when unknown, -1 when the database failed */
json_t *zielbild_list(struct db *db, const char *lang);      /* [{slug, name}] in their order; NULL: failed */
/* [{key, name}] of the needs and of the applicant types, in the reader's language. */
json_t *idea_need_list(const char *lang);
json_t *idea_applicant_type_list(const char *lang);

/* What the details of one submission resolve to. */
struct idea_details {
	int64_t zielbild[IDEA_ZIELBILDER_MAX];
	int nzielbild;
	bool has_point;
	int64_t lat_e6, lon_e6;
	int64_t needs;
	const char *applicant_type;        /* "" when not given */
	const char *channel, *campaign;    /* campaign NULL unless channel is campaign */
	bool consent;
	char co_author[IDEA_CO_AUTHORS_MAX][EMAIL_MAX + 1];
	int nco_author;
};

/* Checks the details of in and records problems in fe. A point on the map
 * inside the city sets *teil and *bezirk (field error "location" otherwise).
 * author_email, when given, may not be among the co-authors. With in->form,
 * consent and the applicant type are required. Returns 0, or -1 when the
 * database failed on a lookup (fe then says nothing about the lookups). */
int idea_details_resolve(struct db *db, const struct idea_input *in, const char *author_email,
			 struct field_errors *fe, struct idea_details *d, int64_t *teil, int64_t *bezirk);
/* Stores the details of the idea id (inside the caller's transaction) and
 * queues the co-authors' invitations. DB_OK or an error. */
int idea_details_store(struct db *db, int64_t id, const struct idea_details *d, bool form,
		       const char *author_name, const char *title, const char *base_url, const char *lang);
/* The columns of ideas i that idea_details_row reads, for the caller's
 * statement, and their places counted from the first of them. */
#define IDEA_DETAILS_COLS \
	"i.lat_e6, i.lon_e6, i.needs, i.applicant_type, i.intake_channel, COALESCE(i.intake_campaign, '')"
enum { IDEA_DETAILS_LAT_E6, IDEA_DETAILS_LON_E6, IDEA_DETAILS_NEEDS, IDEA_DETAILS_APPLICANT_TYPE,
       IDEA_DETAILS_CHANNEL, IDEA_DETAILS_CAMPAIGN, IDEA_DETAILS_NCOLS };
/* Adds location, needs, applicant_type and channel to the idea's view model,
 * from the row of st that holds IDEA_DETAILS_COLS from column col on. */
void idea_details_row(struct db_stmt *st, int col, const char *lang, json_t *idea);
/* Adds zielbilder and co_authors (accepted ones, by name; read only when
 * co_authors says there are any), and whether there are any of these and of
 * needs (so call idea_details_row first). DB_OK, or DB_ERROR when the
 * database failed (idea then holds some of them). */
int idea_details_add(struct db *db, const char *lang, int64_t id, json_t *idea, bool co_authors);


#endif
