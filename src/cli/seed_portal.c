/* unbox seed --demo, the portal's part: the city's settings and the demo
 * texts of the information pages for Cologne, from data/demo/portal.json and
 * data/demo/pages/<slug>.<lang>.md (a "# Title" line, then the text). The
 * texts are stored as demo texts, which the pages mark as such. */
#include "cli/cli.h"
#include "core/clock.h"
#include "domain/portal/infotext.h"
#include "domain/settings.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, malloc'd, or NULL when it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1))) {
			if (fread(s, 1, (size_t)n, f) == (size_t)n) {
				s[n] = '\0';
			} else {
				free(s);
				s = NULL;
			}
		}
	}
	fclose(f);
	return s;
}

static int load_text(struct db *db, const char *data, const struct infotext_page *p, const char *lang)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/demo/pages/%s.%s.md", data, p->slug, lang);
	char *text = slurp(path);
	if (!text) {
		fprintf(stderr, "unbox: cannot read %s\n", path);
		return -1;
	}
	char *nl = strchr(text, '\n');
	if (strncmp(text, "# ", 2) != 0 || !nl) {
		fprintf(stderr, "unbox: %s: the first line must be \"# Title\"\n", path);
		free(text);
		return -1;
	}
	*nl = '\0';
	const char *body = nl + 1 + strspn(nl + 1, "\n");
	struct infotext_input in = { .slug = p->slug, .lang = lang, .title = text + 2, .body_md = body, .demo = true };
	struct field_errors fe = { 0 };
	int64_t version = 0;
	/* on top of what is there: seeding twice adds nothing (an unchanged text is not stored again) */
	json_t *cur = NULL;
	int found = infotext_get(db, p->slug, lang, "de", &cur);
	if (found == 1)
		in.base_version = json_integer_value(json_object_get(cur, "version"));
	json_decref(found == 1 ? cur : NULL);
	int rc = found < 0 ? INFOTEXT_ERROR : infotext_save(db, &in, clock_now(), &fe, &version);
	if (rc != INFOTEXT_OK)
		fprintf(stderr, "unbox: %s: not stored (%d%s%s)\n", path, rc, fe.count ? ": " : "",
			fe.count ? fe.items[0].code : "");
	free(text);
	return rc == INFOTEXT_OK ? 0 : -1;
}

int seed_portal(struct db *db, const char *data)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/demo/portal.json", data);
	json_error_t jerr;
	json_t *portal = json_load_file(path, 0, &jerr);
	if (!portal) {
		fprintf(stderr, "unbox: %s: %s\n", path, jerr.text);
		return -1;
	}
	struct field_errors fe = { 0 };
	int changed = 0;
	int stored = settings_update(db, json_object_get(portal, "settings"), 0, clock_now(), &fe, &changed);
	int rc = stored == SETTINGS_OK ? 0 : -1;
	if (rc)
		fprintf(stderr, "unbox: %s: the settings were not stored%s%s\n", path, fe.count ? ": " : "",
			fe.count ? fe.items[0].field : "");
	json_decref(portal);
	int texts = 0;
	for (const struct infotext_page *p = infotext_pages; rc == 0 && p->slug; p++) {
		rc = load_text(db, data, p, "de");
		if (rc == 0 && !p->german_only)
			rc = load_text(db, data, p, "en");
		texts += p->german_only ? 1 : 2;
	}
	if (rc == 0)
		printf("portal: the city's settings and %d demo texts of the information pages\n", texts);
	return rc;
}
