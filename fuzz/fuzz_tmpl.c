/* tmpl_parse on arbitrary template text; what parses is rendered against a
 * fixed model, with the template itself available as partial "t" (so
 * {{>t}} recurses until the depth limit stops it) and a fixed partial "p".
 *
 * Properties: no crash, leak or runaway recursion; a failed parse explains
 * itself; a render that overflows the output cap reports failure; and values
 * from the model never reach the output unescaped.
 *
 * The escaping check: model strings put a snowman (U+2603) right after most
 * of the characters & < > " ' ` = they contain, and no string starts with a
 * snowman. Escaped, such a character becomes an entity ending in ';', so "<☃"
 * and the like can only appear in the output when a value went out raw, or
 * when the template supplied a snowman itself. The check is therefore made
 * only for templates without "{{{" (raw output may contain anything) and
 * without the byte 0xE2 that starts a snowman. */
#include "fuzz.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "web/tmpl.h"

#define SNOWMAN "\xE2\x98\x83"

/* Names follow the real templates, so their seeds get far. Arrays hold at
 * most three elements and no falsy value sits below the top level, which
 * keeps the work of nested sections bounded (see max_nesting). */
static const char model_json[] =
	"{"
	" \"page\": {\"lang\": \"de\", \"title\": \"Ideen <\\u2603>&\\u2603 K\\u00f6ln\","
	"   \"path\": \"/ideas?a=1&\\u2603b=<\\u2603>\", \"nav_home\": true, \"nav_ideas\": 1,"
	"   \"switch\": {\"href\": \"/?lang=en&\\u2603\", \"lang\": \"en\", \"label\": \"English <\\u2603>\"},"
	"   \"user\": {\"name\": \"M\\u00fcller <\\u2603>\\\"\\u2603\", \"role\": \"admin\"},"
	"   \"csrf\": \"c\\\"\\u2603'\\u2603`\\u2603=\\u2603\", \"demo\": true,"
	"   \"content\": \"<p>inner</p>\"},"
	" \"title\": \"Idee <\\u2603>\\u2603 \\\"\\u2603eins\\\"\\u2603\","
	" \"summary\": \"a&\\u2603b`\\u2603c=\\u2603d>\\u2603e'\\u2603\","
	" \"name\": \"n<\\u2603/script>\\u2603\", \"message\": \"m'\\u2603<\\u2603>\\u2603\","
	" \"url\": \"/ideas/1?x=\\\"\\u2603\", \"slug\": \"fahrrad\", \"token\": \"tok<\\u2603\","
	" \"number\": 42, \"nr\": -7, \"pi\": 3.25, \"big\": -9223372036854775807, \"yes\": true,"
	" \"error\": {\"message\": \"E<\\u2603>\\u2603\", \"fields\": {\"title\": \"<\\u2603>bad\","
	"   \"summary\": \"s\", \"password\": \"p<\\u2603\", \"name\": \"x\", \"email\": \"e<\\u2603>\\u2603\","
	"   \"description\": \"d\", \"stadtteil\": \"st\", \"field\": \"f\"}},"
	" \"form\": {\"email\": \"a@b.de<\\u2603>\\u2603\", \"title\": \"t\", \"summary\": \"s&\\u2603\","
	"   \"next\": \"/n?a=\\u2603<\\u2603\", \"name\": \"nm\"},"
	" \"list\": [{\"title\": \"eins <\\u2603>\\u2603\", \"url\": \"/ideas/1\", \"field\": {\"name\": \"F<\\u2603\"},"
	"     \"stadtteil\": {\"name\": \"Ehrenfeld\"}, \"bezirk\": {\"name\": \"B<\\u2603\"},"
	"     \"created_at\": \"2024-01-02\", \"created_date\": \"2. 1. 2024\", \"summary\": \"s<\\u2603\"},"
	"   {\"title\": \"zwei\", \"tags\": [\"t<\\u2603\", \"u\"], \"field\": {\"name\": \"G\"}}],"
	" \"items\": [\"x<\\u2603>\\u2603\", 12, {\"name\": \"i'\\u2603\", \"items\": [[1, \"j=\\u2603\"], [true]]}],"
	" \"fields\": [{\"name\": \"F1<\\u2603\", \"slug\": \"f1\", \"selected\": true}, {\"name\": \"F2\", \"slug\": \"f2\"}],"
	" \"bezirke\": [{\"name\": \"B<\\u2603\", \"nr\": 1, \"current\": true, \"stadtteile\": [{\"name\": \"S>\\u2603\"}]}],"
	" \"paging\": {\"next\": \"/ideas?after=<\\u2603\", \"limit\": 20},"
	" \"off\": false, \"none\": null, \"zero\": 0, \"empty\": \"\", \"nothing\": [], \"obj\": {}"
	"}";

static const char partial_p[] = "<b>{{name}}</b>{{#items}}<i>{{.}}</i>{{/items}}{{^off}}{{_No}}{{/off}}";

static const char *const bad[] = {
	"&" SNOWMAN, "<" SNOWMAN, ">" SNOWMAN, "\"" SNOWMAN, "'" SNOWMAN, "`" SNOWMAN, "=" SNOWMAN,
};

/* Translations: msgids starting with 'X' get text that needs escaping. */
static const char *translate(void *ctx, const char *msgid)
{
	(void)ctx;
	return msgid[0] == 'X' ? "\xC3\x9C" "bersetzt <" SNOWMAN ">" SNOWMAN : msgid;
}

/* The deepest section nesting, found the way the parser finds tags. With at
 * most three elements per array, nested sections cost up to 3^depth. */
static int max_nesting(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int depth = 0, max = 0;
	while (p < end) {
		const char *open = memmem(p, (size_t)(end - p), "{{", 2);
		if (!open)
			break;
		bool triple = open + 2 < end && open[2] == '{';
		const char *inner = open + (triple ? 3 : 2);
		const char *close = memmem(inner, (size_t)(end - inner), triple ? "}}}" : "}}", triple ? 3 : 2);
		if (!close)
			break;
		p = close + (triple ? 3 : 2);
		if (triple || close == inner)
			continue;
		if (*inner == '#' || *inner == '^') {
			if (++depth > max)
				max = depth;
		} else if (*inner == '/' && depth) {
			depth--;
		}
	}
	return max;
}

static json_t *model(void)
{
	static json_t *m;
	if (!m) {
		json_error_t e;
		m = json_loads(model_json, 0, &e);
		if (!m)
			abort();
	}
	return m;
}

static void render(const struct tmpl *t, const struct tmpl_set *set, json_t *m, bool check)
{
	struct buf out;
	buf_init(&out, 1 << 16);
	int rc = tmpl_render(t, set, m, set ? translate : NULL, NULL, &out);
	if (rc != 0 && rc != -1)
		abort();
	if (out.overflow && rc == 0)
		abort();
	if (out.data && out.data[out.len] != '\0')
		abort();
	if (check && out.data) {
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			if (memmem(out.data, out.len, bad[i], strlen(bad[i])))
				abort();
	}
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	char err[256] = "";
	struct tmpl *t = tmpl_parse("t", src, size, err, sizeof err);
	if (!t) {
		if (!err[0])
			abort();
		return 0;
	}
	if (max_nesting(src, size) > 12) {
		tmpl_free(t);
		return 0;
	}
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl *p = tmpl_parse("p", partial_p, sizeof partial_p - 1, err, sizeof err);
	if (!set || !p || tmpl_set_add(set, t) < 0 || tmpl_set_add(set, p) < 0)
		abort();
	bool check = !memmem(src, size, "{{{", 3) && !memchr(src, 0xE2, size);
	json_t *m = model();
	render(t, set, m, check);
	/* the same template against a non-object context, without partials or translations */
	render(t, NULL, json_object_get(m, "items"), check);
	tmpl_set_free(set);
	return 0;
}
