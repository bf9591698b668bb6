#include "domain/dialogue/idea_details.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include "domain/dialogue/campaign.h"
#include "domain/dialogue/coauthor.h"
#include "domain/place.h"
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const idea_need_keys[] = { "mentoring", "funding", "technology", "space", "data", "partners", NULL };
static const char *const need_names[2][6] = {
	{ "Mentoring", "Förderung", "Technik", "Räume", "Daten", "Partner" },
	{ "Mentoring", "Funding", "Technology", "Space", "Data", "Partners" },
};
const char *const idea_applicant_types[] = { "private", "association", "company", "student_school", "city_staff", NULL };
static const char *const applicant_names[2][5] = {
	{ "Privatperson", "Verein oder Initiative", "Unternehmen (bis 20 Beschäftigte, mit Sitz in Köln)",
	  "Studierende oder Schule", "Beschäftigte der Stadt Köln" },
	{ "Private person", "Association or initiative", "Company (up to 20 staff, based in Cologne)",
	  "Student or school", "City of Cologne staff" },
};
const char *const idea_channels[] = { "online", "event", "paper", "meinungsmobil", "campaign", NULL };
static const char *const channel_names[2][5] = {
	{ "Online", "Veranstaltung", "Papier", "MeinungsMobil", "Kampagne (QR-Code)" },
	{ "Online", "Event", "Paper", "MeinungsMobil", "Campaign (QR code)" },
};

static bool english(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

static int index_of(const char *const *keys, const char *key)
{
	for (int i = 0; key && keys[i]; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

int64_t idea_need_bit(const char *key)
{
	int i = index_of(idea_need_keys, key);
	return i < 0 ? 0 : (int64_t)1 << i;
}

bool idea_applicant_type_valid(const char *key)
{
	return index_of(idea_applicant_types, key) >= 0;
}

bool idea_campaign_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 1 || n > IDEA_CAMPAIGN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && code[i] != '-' && code[i] != '_')
			return false;
	return true;
}

int zielbild_add(struct db *db, const char *slug, const char *name_de, const char *name_en, int64_t position)
{
	return db_run(db, "INSERT INTO zielbilder (slug, name_de, name_en, position) VALUES ($1, $2, $3, $4) "
			  "ON CONFLICT (slug) DO UPDATE SET name_de = $2, name_en = $3, position = $4",
		      "sssi", slug, name_de, name_en, position);
}

int64_t zielbild_id(struct db *db, const char *slug)
{
	int64_t id = 0;
	if (!slug || !*slug)
		return 0;
	return db_find_int(db, &id, "SELECT id FROM zielbilder WHERE slug = $1", "s", slug) < 0 ? -1 : id;
}

/* [{slug, name}] from a statement that selects slug, name_de, name_en; NULL when it failed. */
enum { ZB_SLUG, ZB_NAME_DE, ZB_NAME_EN };
static json_t *zielbild_rows(struct db_stmt *st, const char *lang)
{
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		jset_str(o, "slug", db_text(st, ZB_SLUG));
		jset_str(o, "name", db_text(st, english(lang) ? ZB_NAME_EN : ZB_NAME_DE));
		json_array_append_new(out, o);
	}
	db_done(st);
	if (rc != DB_OK) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *zielbild_list(struct db *db, const char *lang)
{
	struct db_stmt *st = db_prepare(db, "SELECT slug, name_de, name_en FROM zielbilder ORDER BY position, id");
	return st ? zielbild_rows(st, lang) : NULL;
}

static json_t *key_list(const char *const *keys, const char *const *names)
{
	json_t *out = json_array();
	for (int i = 0; keys[i]; i++)
		json_array_append_new(out, json_pack("{ss ss}", "key", keys[i], "name", names[i]));
	return out;
}

json_t *idea_need_list(const char *lang)
{
	return key_list(idea_need_keys, need_names[english(lang)]);
}

json_t *idea_applicant_type_list(const char *lang)
{
	return key_list(idea_applicant_types, applicant_names[english(lang)]);
}

/* Calls fn for each item of a list separated by commas, semicolons or white space. */
static void each_item(const char *s, void (*fn)(const char *item, size_t n, void *ctx), void *ctx)
{
	while (s && *s) {
		s += strspn(s, ", ;\t\r\n");
		size_t n = strcspn(s, ", ;\t\r\n");
		if (n)
			fn(s, n, ctx);
		s += n;
	}
}

struct collect {
	struct db *db;
	struct field_errors *fe;
	struct idea_details *d;
	const char *author_email;
	bool failed;      /* the database failed on a lookup */
};

static void add_zielbild(const char *item, size_t n, void *ctx)
{
	struct collect *c = ctx;
	char slug[64];
	int64_t id = 0;
	if (n < sizeof slug) {
		memcpy(slug, item, n);
		slug[n] = '\0';
		id = zielbild_id(c->db, slug);
	}
	if (id < 0) {
		c->failed = true;
		return;
	}
	if (!id) {
		field_error(c->fe, "zielbilder", "invalid");
		return;
	}
	for (int i = 0; i < c->d->nzielbild; i++)
		if (c->d->zielbild[i] == id)
			return;
	if (c->d->nzielbild == IDEA_ZIELBILDER_MAX) {
		field_error(c->fe, "zielbilder", "too_many");
		return;
	}
	c->d->zielbild[c->d->nzielbild++] = id;
}

static void add_need(const char *item, size_t n, void *ctx)
{
	struct collect *c = ctx;
	char key[32];
	int64_t bit = 0;
	if (n < sizeof key) {
		memcpy(key, item, n);
		key[n] = '\0';
		bit = idea_need_bit(key);
	}
	if (!bit)
		field_error(c->fe, "needs", "invalid");
	c->d->needs |= bit;
}

static void add_co_author(const char *item, size_t n, void *ctx)
{
	struct collect *c = ctx;
	char raw[EMAIL_MAX + 2], email[EMAIL_MAX + 1];
	if (n > EMAIL_MAX) {
		field_error(c->fe, "co_authors", "invalid");
		return;
	}
	memcpy(raw, item, n);
	raw[n] = '\0';
	if (!email_normalize(raw, email) || !email_valid(email)) {
		field_error(c->fe, "co_authors", "invalid");
		return;
	}
	if (c->author_email && strcmp(email, c->author_email) == 0) {
		field_error(c->fe, "co_authors", "self");
		return;
	}
	for (int i = 0; i < c->d->nco_author; i++)
		if (strcmp(c->d->co_author[i], email) == 0)
			return;
	if (c->d->nco_author == IDEA_CO_AUTHORS_MAX) {
		field_error(c->fe, "co_authors", "too_many");
		return;
	}
	memcpy(c->d->co_author[c->d->nco_author++], email, sizeof email);
}

/* A decimal number in [lo, hi] with at most 7 digits after the point. */
static bool parse_degrees(const char *s, double lo, double hi, double *out)
{
	if (!s || !*s || strlen(s) > 20)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' && *p != '+')
			return false;
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool given(const char *s)
{
	return s && s[strspn(s, " \t")] != '\0';
}

int idea_details_resolve(struct db *db, const struct idea_input *in, const char *author_email,
			 struct field_errors *fe, struct idea_details *d, int64_t *teil, int64_t *bezirk)
{
	memset(d, 0, sizeof *d);
	d->applicant_type = "";
	d->channel = "online";
	struct collect c = { db, fe, d, author_email, false };
	each_item(in->zielbilder, add_zielbild, &c);
	each_item(in->needs, add_need, &c);
	each_item(in->co_authors, add_co_author, &c);

	if (given(in->lat) || given(in->lon)) {
		double lat, lon;
		int found = 0;
		if (!parse_degrees(in->lat, -90, 90, &lat) || !parse_degrees(in->lon, -180, 180, &lon)) {
			field_error(fe, "location", "invalid");
		} else if ((found = place_locate(db, lat, lon, teil, bezirk)) < 0) {
			c.failed = true;
		} else if (!found) {
			field_error(fe, "location", "outside_city");
		} else {
			d->has_point = true;
			d->lat_e6 = (int64_t)(lat * 1e6 + (lat < 0 ? -0.5 : 0.5));
			d->lon_e6 = (int64_t)(lon * 1e6 + (lon < 0 ? -0.5 : 0.5));
		}
	}

	if (given(in->applicant_type)) {
		if (idea_applicant_type_valid(in->applicant_type))
			d->applicant_type = in->applicant_type;
		else
			field_error(fe, "applicant_type", "invalid");
	} else if (in->form) {
		field_error(fe, "applicant_type", "required");
	}

	if (given(in->campaign)) {
		int known = idea_campaign_valid(in->campaign) ? campaign_exists(db, in->campaign) : 0;
		if (known > 0) {
			d->channel = "campaign";
			d->campaign = in->campaign;
		} else if (known < 0) {
			c.failed = true;
		} else {   /* mistyped, or a campaign that is not (or no longer) there */
			field_error(fe, "campaign", idea_campaign_valid(in->campaign) ? "unknown" : "invalid");
		}
	}

	const char *consent = in->consent;
	d->consent = consent && (strcmp(consent, "1") == 0 || strcmp(consent, "on") == 0 ||
				 strcmp(consent, "true") == 0 || strcmp(consent, "yes") == 0);
	if (in->form && !d->consent)
		field_error(fe, "consent", "required");
	return c.failed ? -1 : 0;
}

int idea_details_store(struct db *db, int64_t id, const struct idea_details *d, bool form,
		       const char *author_name, const char *title, const char *base_url, const char *lang)
{
	int rc = DB_OK;
	for (int i = 0; rc == DB_OK && i < d->nzielbild; i++)
		rc = db_run(db, "INSERT INTO idea_zielbilder (idea_id, zielbild_id) VALUES ($1, $2)", "ii", id,
			    d->zielbild[i]);
	if (rc == DB_OK && (d->has_point || d->needs || *d->applicant_type)) {
		struct db_stmt *st = db_prepare(db, "UPDATE ideas SET lat_e6 = $1, lon_e6 = $2, needs = $3, "
						    "applicant_type = $4 WHERE id = $5");
		rc = DB_ERROR;
		if (st && db_bind(st, "iiisi", d->lat_e6, d->lon_e6, d->needs, d->applicant_type, id) == DB_OK &&
		    (d->has_point || (db_bind_null(st, 1) == DB_OK && db_bind_null(st, 2) == DB_OK)))
			rc = db_step(st);
		db_done(st);
	}
	/* how it came in, for a person's own submission (assisted ones set these themselves) */
	if (rc == DB_OK && form)
		rc = db_run(db, "UPDATE ideas SET intake_channel = $1, intake_campaign = $2, intake_consent = $3 "
				"WHERE id = $4", "ssii", d->channel, d->campaign, (int64_t)d->consent, id);
	for (int i = 0; rc == DB_OK && i < d->nco_author; i++)
		rc = coauthor_invite(db, id, d->co_author[i], author_name && *author_name ? author_name : "un:box",
				     title, base_url ? base_url : "", lang, clock_now());
	return rc;
}

void idea_details_row(struct db_stmt *st, int col, const char *lang, json_t *idea)
{
	bool en = english(lang);
	int lat_col = col + IDEA_DETAILS_LAT_E6, lon_col = col + IDEA_DETAILS_LON_E6;
	if (!db_is_null(st, lat_col) && !db_is_null(st, lon_col)) {
		double lat = (double)db_int(st, lat_col) / 1e6, lon = (double)db_int(st, lon_col) / 1e6;
		char lat_text[32], lon_text[32];
		snprintf(lat_text, sizeof lat_text, "%.6f", lat);
		snprintf(lon_text, sizeof lon_text, "%.6f", lon);
		json_t *loc = json_object();
		jset(loc, "lat", json_real(lat));
		jset(loc, "lon", json_real(lon));
		jset_str(loc, "lat_text", lat_text);
		jset_str(loc, "lon_text", lon_text);
		jset(idea, "location", loc);
	} else {
		jset(idea, "location", json_null());
	}
	int64_t needs = db_int(st, col + IDEA_DETAILS_NEEDS);
	json_t *nl = json_array();
	for (int i = 0; idea_need_keys[i]; i++)
		if (needs & ((int64_t)1 << i))
			json_array_append_new(nl, json_pack("{ss ss}", "key", idea_need_keys[i], "name", need_names[en][i]));
	jset(idea, "needs", nl);
	int a = index_of(idea_applicant_types, db_text(st, col + IDEA_DETAILS_APPLICANT_TYPE));
	jset(idea, "applicant_type", a < 0 ? json_null()
		: json_pack("{ss ss}", "key", idea_applicant_types[a], "name", applicant_names[en][a]));
	const char *key = db_text(st, col + IDEA_DETAILS_CHANNEL), *campaign = db_text(st, col + IDEA_DETAILS_CAMPAIGN);
	int ch = index_of(idea_channels, key);
	json_t *channel = json_pack("{ss ss}", "key", ch < 0 ? key : idea_channels[ch],
				    "name", ch < 0 ? key : channel_names[en][ch]);
	if (*campaign)
		jset_str(channel, "campaign", campaign);
	jset(idea, "channel", channel);
}

int idea_details_add(struct db *db, const char *lang, int64_t id, json_t *idea, bool co_authors)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT z.slug, z.name_de, z.name_en FROM idea_zielbilder iz JOIN zielbilder z ON z.id = iz.zielbild_id "
		"WHERE iz.idea_id = $1 ORDER BY z.position, z.id");   /* the columns of zielbild_rows */
	if (!st)
		return DB_ERROR;
	if (db_bind(st, "i", id) != DB_OK) {
		db_done(st);
		return DB_ERROR;
	}
	json_t *zb = zielbild_rows(st, lang);
	if (!zb)
		return DB_ERROR;
	jset(idea, "zielbilder", zb);
	json_t *co = co_authors ? coauthor_accepted(db, id) : json_array();
	if (!co)
		return DB_ERROR;
	/* for templates: a section over an array repeats, so these say whether there is any */
	jset(idea, "has_co_authors", json_boolean(json_array_size(co) > 0));
	jset(idea, "has_zielbilder", json_boolean(json_array_size(zb) > 0));
	jset(idea, "has_needs", json_boolean(json_array_size(json_object_get(idea, "needs")) > 0));
	jset(idea, "co_authors", co);
	return DB_OK;
}
