/* FTS5 tokenizer "unbox_german": SQLite's unicode61 tokenizer, then the
 * same treatment of each token as PostgreSQL's 'german' text search
 * configuration (german_stem dictionary), so that searches find the same
 * ideas on both backends:
 *   - unicode61 splits at everything but letters and digits and lower-cases;
 *     remove_diacritics 0 keeps the umlauts for the stemmer (which maps
 *     ä, ö, ü to a, o, u after stemming, and ß to ss);
 *   - German stop words (PostgreSQL's german.stop, the Snowball list) are
 *     dropped;
 *   - tokens with a digit are kept as they are (PostgreSQL maps such
 *     "numword" and number tokens to the 'simple' dictionary);
 *   - tokens longer than 1000 bytes are not stemmed (as in PostgreSQL);
 *   - every other token is replaced by its Snowball German stem. */
#include "db/sqlite_stem.h"
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL's tsearch_data/german.stop, in strcmp order (über in octal: a hex
 * escape would take the b along). */
static const char *const stop_words[] = {
	"aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
	"andere", "anderem", "anderen", "anderer", "anderes", "anderm", "andern", "anderr", "anders",
	"auch", "auf", "aus", "bei", "bin", "bis", "bist", "da", "damit", "dann", "das", "dasselbe",
	"dazu", "da\xc3\x9f", "dein", "deine", "deinem", "deinen", "deiner", "deines", "dem",
	"demselben", "den", "denn", "denselben", "der", "derer", "derselbe", "derselben", "des",
	"desselben", "dessen", "dich", "die", "dies", "diese", "dieselbe", "dieselben", "diesem",
	"diesen", "dieser", "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine", "einem",
	"einen", "einer", "eines", "einig", "einige", "einigem", "einigen", "einiger", "einiges",
	"einmal", "er", "es", "etwas", "euch", "euer", "eure", "eurem", "euren", "eurer", "eures",
	"f\xc3\xbcr", "gegen", "gewesen", "hab", "habe", "haben", "hat", "hatte", "hatten", "hier",
	"hin", "hinter", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer",
	"ihres", "im", "in", "indem", "ins", "ist", "jede", "jedem", "jeden", "jeder", "jedes",
	"jene", "jenem", "jenen", "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem",
	"keinen", "keiner", "keines", "k\xc3\xb6nnen", "k\xc3\xb6nnte", "machen", "man", "manche",
	"manchem", "manchen", "mancher", "manches", "mein", "meine", "meinem", "meinen", "meiner",
	"meines", "mich", "mir", "mit", "muss", "musste", "nach", "nicht", "nichts", "noch", "nun",
	"nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "seinem", "seinen", "seiner", "seines",
	"selbst", "sich", "sie", "sind", "so", "solche", "solchem", "solchen", "solcher", "solches",
	"soll", "sollte", "sondern", "sonst", "um", "und", "uns", "unse", "unsem", "unsen", "unser",
	"unses", "unter", "viel", "vom", "von", "vor", "war", "waren", "warst", "was", "weg", "weil",
	"weiter", "welche", "welchem", "welchen", "welcher", "welches", "wenn", "werde", "werden",
	"wie", "wieder", "will", "wir", "wird", "wirst", "wo", "wollen", "wollte",
	"w\xc3\xa4hrend", "w\xc3\xbcrde", "w\xc3\xbcrden", "zu", "zum", "zur", "zwar", "zwischen",
	"\303\274ber",
};

#define STOP_WORD_MAX 16      /* bytes; the longest is 9 */
#define STEM_MAX_BYTES 1000   /* longer tokens are kept as they are */

static int by_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int is_stop_word(const char *tok, int n)
{
	char w[STOP_WORD_MAX + 1];
	if (n > STOP_WORD_MAX)
		return 0;
	memcpy(w, tok, (size_t)n);
	w[n] = '\0';
	return bsearch(w, stop_words, sizeof stop_words / sizeof stop_words[0], sizeof stop_words[0],
		       by_word) != NULL;
}

static int has_digit(const char *tok, int n)
{
	for (int i = 0; i < n; i++)
		if (tok[i] >= '0' && tok[i] <= '9')
			return 1;
	return 0;
}

struct german {
	fts5_tokenizer inner_api;      /* unicode61's methods */
	Fts5Tokenizer *inner;
	struct sb_stemmer *stemmer;
};

/* One xTokenize call: where the stemmed tokens go. */
struct pass {
	struct german *g;
	void *ctx;
	int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end);
};

static void german_delete(Fts5Tokenizer *t)
{
	struct german *g = (struct german *)t;
	if (!g)
		return;
	if (g->inner)
		g->inner_api.xDelete(g->inner);
	if (g->stemmer)
		sb_stemmer_delete(g->stemmer);
	free(g);
}

static int german_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out)
{
	fts5_api *api = ctx;
	static const char *inner_args[] = { "remove_diacritics", "0" };
	void *inner_ctx = NULL;
	*out = NULL;
	if (nargs > 0)
		return SQLITE_ERROR;       /* the rules are fixed: they must match PostgreSQL's */
	struct german *g = calloc(1, sizeof *g);
	if (!g)
		return SQLITE_NOMEM;
	int rc = api->xFindTokenizer(api, "unicode61", &inner_ctx, &g->inner_api);
	if (rc == SQLITE_OK)
		rc = g->inner_api.xCreate(inner_ctx, inner_args, 2, &g->inner);
	if (rc == SQLITE_OK) {
		g->stemmer = sb_stemmer_new("german", "UTF_8");
		if (!g->stemmer)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_OK) {
		german_delete((Fts5Tokenizer *)g);
		return rc;
	}
	*out = (Fts5Tokenizer *)g;
	return SQLITE_OK;
}

static int each_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	struct pass *p = ctx;
	if (n <= 0 || is_stop_word(tok, n))
		return SQLITE_OK;
	if (has_digit(tok, n) || n > STEM_MAX_BYTES)
		return p->token(p->ctx, flags, tok, n, start, end);
	const sb_symbol *stem = sb_stemmer_stem(p->g->stemmer, (const sb_symbol *)tok, n);
	if (!stem)
		return SQLITE_NOMEM;
	return p->token(p->ctx, flags, (const char *)stem, sb_stemmer_length(p->g->stemmer), start, end);
}

static int german_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
			   int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end))
{
	struct german *g = (struct german *)t;
	struct pass p = { .g = g, .ctx = ctx, .token = token };
	return g->inner_api.xTokenize(g->inner, &p, flags, text, n, each_token);
}

int sqlite_register_german(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
		rc = sqlite3_finalize(st);
	}
	if (rc != SQLITE_OK)
		return rc;
	if (!api)
		return SQLITE_ERROR;       /* SQLite without FTS5 */
	static fts5_tokenizer german = {
		.xCreate = german_create, .xDelete = german_delete, .xTokenize = german_tokenize,
	};
	return api->xCreateTokenizer(api, "unbox_german", api, &german, NULL);
}
