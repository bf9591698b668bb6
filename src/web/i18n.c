#include "web/i18n.h"
#include "core/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *id, *str;
};

struct catalog {
	const char *lang;
	struct entry *items;
	size_t count;
};

static struct catalog catalogs[] = { { "de", NULL, 0 }, { "en", NULL, 0 } };
#define NCAT (sizeof catalogs / sizeof catalogs[0])

static struct catalog *catalog_for(const char *lang)
{
	for (size_t i = 0; i < NCAT; i++)
		if (lang && strcmp(catalogs[i].lang, lang) == 0)
			return &catalogs[i];
	return NULL;
}

static void catalog_clear(struct catalog *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->items[i].id);
		free(c->items[i].str);
	}
	free(c->items);
	c->items = NULL;
	c->count = 0;
}

void i18n_free(void)
{
	for (size_t i = 0; i < NCAT; i++)
		catalog_clear(&catalogs[i]);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

/* bsearch: the key is the msgid, the element an entry */
static int by_msgid(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entry *)elem)->id);
}

/* Appends the C-style quoted string at s (after optional blanks) to out. */
static int unquote(const char *s, struct buf *out)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '"')
		return -1;
	for (; *s && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return -1;
			}
		}
		buf_putc(out, c);
	}
	if (*s != '"')
		return -1;
	for (s++; *s; s++)
		if (!isspace((unsigned char)*s))
			return -1;
	return 0;
}

/* Stores the entry collected in id/str; the header (empty id) and
 * untranslated entries are skipped. */
static int finish(struct catalog *c, struct buf *id, struct buf *str)
{
	if (id->overflow || str->overflow)   /* too long, or no memory: the entry is not whole */
		return -1;
	if (id->len && str->len) {
		struct entry *items = realloc(c->items, (c->count + 1) * sizeof *items);
		if (!items)
			return -1;
		c->items = items;
		char *sid = strdup(id->data), *sstr = strdup(str->data);
		if (!sid || !sstr) {
			free(sid);
			free(sstr);
			return -1;
		}
		items[c->count].id = sid;
		items[c->count].str = sstr;
		c->count++;
	}
	buf_clear(id);
	buf_clear(str);
	return 0;
}

int i18n_parse_po(const char *lang, const char *text, char *err, unsigned long errlen)
{
	struct catalog *c = catalog_for(lang);
	if (!c) {
		snprintf(err, errlen, "unsupported language %s", lang ? lang : "(null)");
		return -1;
	}
	catalog_clear(c);
	struct buf id, str, *cur = NULL;
	buf_init(&id, 1 << 16);
	buf_init(&str, 1 << 16);
	int lineno = 0, rc = 0;
	bool have = false;
	const char *p = text;
	while (rc == 0) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096];
		if (n >= sizeof line) {
			snprintf(err, errlen, "line %d too long", lineno + 1);
			rc = -1;
			break;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		lineno++;
		bool last = !nl;
		char *l = line;
		while (*l == ' ' || *l == '\t')
			l++;
		bool starts_id = strncmp(l, "msgid ", 6) == 0;
		if (starts_id && have && finish(c, &id, &str) < 0)
			rc = -1;
		if (starts_id) {
			cur = &id;
			have = true;
			if (unquote(l + 5, cur) < 0)
				rc = -1;
		} else if (strncmp(l, "msgstr ", 7) == 0 && have) {
			cur = &str;
			if (unquote(l + 6, cur) < 0)
				rc = -1;
		} else if (*l == '"' && cur) {
			if (unquote(l, cur) < 0)
				rc = -1;
		} else if (*l == '#' || *l == '\0' || strcmp(l, "\r") == 0 || strncmp(l, "msgctxt", 7) == 0) {
			/* comments, blank lines (also CRLF ones); contexts are not used */
		} else {
			rc = -1;
		}
		if (rc < 0)
			snprintf(err, errlen, "line %d: cannot parse", lineno);
		if (last)
			break;
		p = nl + 1;
	}
	if (rc == 0 && have && finish(c, &id, &str) < 0)
		rc = -1;
	if (id.overflow || str.overflow) {
		snprintf(err, errlen, "line %d: entry too long (or out of memory)", lineno);
		rc = -1;
	}
	buf_free(&id);
	buf_free(&str);
	if (rc < 0) {
		catalog_clear(c);
		return -1;
	}
	if (c->count)   /* items is NULL when there are none; qsort(NULL, 0) is undefined */
		qsort(c->items, c->count, sizeof *c->items, by_id);
	return (int)c->count;
}

int i18n_load(const char *po_dir, char *err, unsigned long errlen)
{
	for (size_t i = 0; i < NCAT; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.po", po_dir, catalogs[i].lang);
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(err, errlen, "cannot open %s", path);
			return -1;
		}
		struct buf b;
		buf_init(&b, 4 << 20);
		char chunk[8192];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
		char perr[200];
		int rc = b.overflow ? -1 : i18n_parse_po(catalogs[i].lang, b.data ? b.data : "", perr, sizeof perr);
		buf_free(&b);
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s", path, perr);
			return -1;
		}
	}
	return 0;
}

const char *i18n_get(const char *lang, const char *msgid)
{
	struct catalog *c = catalog_for(lang);
	if (!c || !c->count)
		return msgid;
	struct entry *e = bsearch(msgid, c->items, c->count, sizeof *c->items, by_msgid);
	return e ? e->str : msgid;
}

const char *i18n_pick(const char *choice, const char *accept, const char *def)
{
	struct catalog *c = catalog_for(choice);
	if (c)
		return c->lang;
	/* Accept-Language: take languages in the order given; q-values are rarely
	 * out of order in practice, and the explicit choice overrides anyway. */
	for (const char *p = accept; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		for (size_t i = 0; i < NCAT; i++) {
			size_t n = strlen(catalogs[i].lang);
			if (strncasecmp(p, catalogs[i].lang, n) == 0 && (p[n] == '\0' || p[n] == '-' ||
									  p[n] == ';' || p[n] == ',' || p[n] == ' '))
				return catalogs[i].lang;
		}
		p = strchr(p, ',');
	}
	c = catalog_for(def);
	return c ? c->lang : "de";
}

char *i18n_number(const char *lang, long long n, char *out, unsigned long cap)
{
	char digits[32], grouped[48];
	unsigned long long u = n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", u);
	char sep = lang && strcmp(lang, "en") == 0 ? ',' : '.';
	size_t j = 0;
	if (n < 0)
		grouped[j++] = '-';
	for (int i = 0; i < len; i++) {   /* 20 digits and 6 separators at most: it fits */
		if (i && (len - i) % 3 == 0)
			grouped[j++] = sep;
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	if (cap)
		snprintf(out, cap, "%s", grouped);
	return out;
}
