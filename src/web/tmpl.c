#include "web/tmpl.h"
#include "core/escape.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_TRANSLATE };

struct node {
	enum node_kind kind;
	char *text;            /* literal text, name, partial name or msgid */
	size_t len;
	size_t first;          /* names: the length of the part before the first dot */
	struct node *children; /* sections */
	size_t nchildren;
};

struct tmpl {
	char *name;
	struct node root;
};

struct tmpl_set {
	struct tmpl **items;
	size_t count;
};

/* ---- parsing ---- */

struct parser {
	const char *start, *s, *end;
	char *err;
	size_t errlen;
	int line;
};

static void node_free(struct node *n)
{
	for (size_t i = 0; i < n->nchildren; i++)
		node_free(&n->children[i]);
	free(n->children);
	free(n->text);
}

static int push(struct node *parent, struct node child)
{
	struct node *c = realloc(parent->children, (parent->nchildren + 1) * sizeof *c);
	if (!c) {
		node_free(&child);
		return -1;
	}
	parent->children = c;
	c[parent->nchildren++] = child;
	return 0;
}

static char *dup_trimmed(const char *s, size_t n, size_t *out_len)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	if (out_len)
		*out_len = n;
	return p;
}

static int fail(struct parser *p, const char *msg)
{
	snprintf(p->err, p->errlen, "line %d: %s", p->line, msg);
	return -1;
}

static void count_lines(struct parser *p, const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from == '\n')
			p->line++;
}

/* A section, inverted section, closing tag or comment alone on its line
 * (only blanks beside it) leaves no trace in the output: not its blanks, not
 * its line break. Lists then cost no empty lines per item. When the tag from
 * open to after is standalone, drops the blanks before it from the text the
 * parent just got and returns where parsing goes on; otherwise returns after. */
static const char *standalone(struct parser *p, struct node *parent, const char *open, const char *after)
{
	const char *b = open;
	while (b > p->start && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	if (b > p->start && b[-1] != '\n')
		return after;
	const char *e = after;
	while (e < p->end && (*e == ' ' || *e == '\t' || *e == '\r'))
		e++;
	if (e < p->end && *e != '\n')
		return after;
	if (b < open) {   /* the blanks are the tail of the text node pushed just before the tag */
		struct node *t = &parent->children[parent->nchildren - 1];
		t->len -= (size_t)(open - b);
		t->text[t->len] = '\0';
		if (!t->len)
			node_free(&parent->children[--parent->nchildren]);
	}
	if (e < p->end) {
		p->line++;
		e++;
	}
	return e;
}

static size_t first_part(const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);
	return dot && len > 1 ? (size_t)(dot - name) : len;
}

/* Parses until end of input or the closing tag of `section` (NULL at top level). */
static int parse_into(struct parser *p, struct node *parent, const char *section, int depth)
{
	if (depth > TMPL_MAX_DEPTH)
		return fail(p, "sections nested too deeply");
	while (p->s < p->end) {
		const char *open = memmem(p->s, (size_t)(p->end - p->s), "{{", 2);
		const char *text_end = open ? open : p->end;
		if (text_end > p->s) {
			struct node t = { .kind = N_TEXT, .len = (size_t)(text_end - p->s) };
			t.text = malloc(t.len + 1);
			if (!t.text)
				return fail(p, "out of memory");
			memcpy(t.text, p->s, t.len);
			t.text[t.len] = '\0';
			count_lines(p, p->s, text_end);
			if (push(parent, t) < 0)
				return fail(p, "out of memory");
		}
		if (!open) {
			p->s = p->end;
			break;
		}
		bool triple = open + 2 < p->end && open[2] == '{';
		const char *inner = open + (triple ? 3 : 2);
		const char *close = memmem(inner, (size_t)(p->end - inner), triple ? "}}}" : "}}", triple ? 3 : 2);
		if (!close)
			return fail(p, "unclosed tag");
		size_t n = (size_t)(close - inner);
		count_lines(p, open, close);
		p->s = close + (triple ? 3 : 2);
		if (memchr(inner, '\n', n) && !(n && inner[0] == '!'))
			return fail(p, "line break inside a tag");
		char sigil = n ? inner[0] : '\0';
		if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!'))
			p->s = standalone(p, parent, open, p->s);
		struct node node = { 0 };
		if (triple) {
			node.kind = N_RAW;
			node.text = dup_trimmed(inner, n, &node.len);
		} else if (sigil == '!') {
			continue;
		} else if (sigil == '#' || sigil == '^') {
			node.kind = sigil == '#' ? N_SECTION : N_INVERTED;
			node.text = dup_trimmed(inner + 1, n - 1, &node.len);
			if (!node.text || !node.len) {
				free(node.text);
				return fail(p, "section without a name");
			}
			if (parse_into(p, &node, node.text, depth + 1) < 0) {
				node_free(&node);
				return -1;
			}
		} else if (sigil == '/') {
			size_t len;
			char *name = dup_trimmed(inner + 1, n - 1, &len);
			int ok = name && section && strcmp(name, section) == 0;
			free(name);
			if (!ok)
				return fail(p, section ? "closing tag does not match its section" : "closing tag without a section");
			return 0;
		} else if (sigil == '>') {
			node.kind = N_PARTIAL;
			node.text = dup_trimmed(inner + 1, n - 1, &node.len);
		} else if (sigil == '_') {
			node.kind = N_TRANSLATE;
			node.text = dup_trimmed(inner + 1, n - 1, &node.len);
		} else {
			node.kind = N_VAR;
			node.text = dup_trimmed(inner, n, &node.len);
		}
		if (!node.text)
			return fail(p, "out of memory");
		if (!node.len) {
			free(node.text);
			return fail(p, "empty tag");
		}
		node.first = first_part(node.text, node.len);
		if (push(parent, node) < 0)
			return fail(p, "out of memory");
	}
	if (section)
		return fail(p, "section is not closed");
	return 0;
}

struct tmpl *tmpl_parse(const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	struct tmpl *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->name = strdup(name ? name : "");
	struct parser p = { .start = src, .s = src, .end = src + len, .err = err, .errlen = errlen, .line = 1 };
	if (!t->name || parse_into(&p, &t->root, NULL, 0) < 0) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	node_free(&t->root);
	free(t->name);
	free(t);
}

/* ---- sets ---- */

struct tmpl_set *tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

/* The set is kept sorted by name: a page looks up its layout and partials
 * by name while it renders, among some sixty templates. */
static size_t find(const struct tmpl_set *set, const char *name, bool *found)
{
	size_t lo = 0, hi = set->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->items[mid]->name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

int tmpl_set_add(struct tmpl_set *set, struct tmpl *t)
{
	bool found;
	size_t at = find(set, t->name, &found);
	if (found) {
		tmpl_free(set->items[at]);
		set->items[at] = t;
		return 0;
	}
	struct tmpl **items = realloc(set->items, (set->count + 1) * sizeof *items);
	if (!items)
		return -1;
	set->items = items;
	memmove(items + at + 1, items + at, (set->count - at) * sizeof *items);
	items[at] = t;
	set->count++;
	return 0;
}

const struct tmpl *tmpl_set_get(const struct tmpl_set *set, const char *name)
{
	bool found;
	if (!set)
		return NULL;
	size_t at = find(set, name, &found);
	return found ? set->items[at] : NULL;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

static int load_file(struct tmpl_set *set, const char *path, const char *name, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	buf_init(&b, 1 << 20);
	char chunk[8192];
	size_t got;
	while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	if (f)
		fclose(f);
	char perr[256] = "";
	struct tmpl *t = f && !b.overflow ? tmpl_parse(name, b.data ? b.data : "", b.len, perr, sizeof perr) : NULL;
	buf_free(&b);
	if (!t || tmpl_set_add(set, t) < 0) {
		snprintf(err, errlen, "%s: %s", path, perr[0] ? perr : "cannot read");
		tmpl_free(t);
		return -1;
	}
	return 0;
}

/* Every *.html under dir/prefix, one level of area folders deep (prefix ""
 * or "dialogue/"): the template "dialogue/idea" is dir/dialogue/idea.html. */
static int load_dir(struct tmpl_set *set, const char *dir, const char *prefix, char *err, size_t errlen)
{
	char here[4096];
	snprintf(here, sizeof here, "%s%s%s", dir, *prefix ? "/" : "", prefix);
	DIR *d = opendir(here);
	if (!d) {
		snprintf(err, errlen, "cannot open template directory %s", here);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[4096], name[sizeof e->d_name + 8];   /* a folder's name and "/" */
		if (snprintf(path, sizeof path, "%s%s%s", here, *prefix ? "" : "/", e->d_name) >= (int)sizeof path)
			continue;
		struct stat sb;
		if (!*prefix && e->d_name[0] != '.' && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (snprintf(name, sizeof name, "%s/", e->d_name) < (int)sizeof name)
				rc = load_dir(set, dir, name, err, errlen);
			continue;
		}
		if (n <= 5 || strcmp(e->d_name + n - 5, ".html") != 0)
			continue;
		snprintf(name, sizeof name, "%s%.*s", prefix, (int)(n - 5), e->d_name);
		rc = load_file(set, path, name, err, errlen);
	}
	closedir(d);
	return rc;
}

struct tmpl_set *tmpl_set_load(const char *dir, const char *theme_dir, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	if (!set)
		return NULL;
	if (load_dir(set, dir, "", err, errlen) < 0 ||
	    (theme_dir && *theme_dir && load_dir(set, theme_dir, "", err, errlen) < 0)) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* ---- rendering ---- */

/* The partials a render has used, by the name in the node: a list repeats
 * the same few partials for every item. */
#define PARTIALS_SEEN 16

struct render {
	const struct tmpl_set *partials;
	tmpl_translate_fn tr;
	void *tr_ctx;
	struct buf *out;
	json_t *stack[TMPL_MAX_DEPTH * 2];
	int depth;
	int partial_depth;
	struct { const char *name; const struct tmpl *t; } seen[PARTIALS_SEEN];
	int nseen;
};

/* The value a name of node n stands for: "." the current context; else the
 * first part in the innermost context that has it, the rest (a.b.c) inside
 * that value. */
static json_t *lookup(struct render *r, const struct node *n)
{
	if (n->len == 1 && n->text[0] == '.')
		return r->stack[r->depth - 1];
	json_t *v = NULL;
	for (int i = r->depth - 1; i >= 0 && !v; i--) {
		if (json_is_object(r->stack[i]))
			v = json_object_getn(r->stack[i], n->text, n->first);
	}
	for (size_t at = n->first; v && at < n->len;) {
		const char *seg = n->text + at + 1;
		const char *dot = memchr(seg, '.', n->len - at - 1);
		size_t len = dot ? (size_t)(dot - seg) : n->len - at - 1;
		v = json_is_object(v) ? json_object_getn(v, seg, len) : NULL;
		at += len + 1;
	}
	return v;
}

/* The partial of that name; the node's name pointer finds it again. */
static const struct tmpl *partial(struct render *r, const char *name)
{
	for (int i = 0; i < r->nseen; i++)
		if (r->seen[i].name == name)
			return r->seen[i].t;
	const struct tmpl *t = tmpl_set_get(r->partials, name);
	if (t && r->nseen < PARTIALS_SEEN) {
		r->seen[r->nseen].name = name;
		r->seen[r->nseen++].t = t;
	}
	return t;
}

static bool truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return true;
}

static void put_value(struct render *r, json_t *v, bool escape)
{
	char num[64];
	const char *s = NULL;
	size_t n = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {   /* by hand: ids are on every line of a list, snprintf shows in profiles */
		json_int_t i = json_integer_value(v);
		unsigned long long u = i < 0 ? 0 - (unsigned long long)i : (unsigned long long)i;
		char *p = num + sizeof num;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (i < 0)
			*--p = '-';
		s = p;
		n = (size_t)(num + sizeof num - p);
	} else if (json_is_real(v)) {
		n = (size_t)snprintf(num, sizeof num, "%g", json_real_value(v));
		s = num;
	} else if (json_is_true(v)) {
		s = "true";
		n = 4;
	}
	if (!s)
		return;
	if (escape)
		html_escape(r->out, s, n);
	else
		buf_add(r->out, s, n);
}

static int render_nodes(struct render *r, const struct node *nodes, size_t count);

static int render_section(struct render *r, const struct node *n)
{
	json_t *v = lookup(r, n);
	if (n->kind == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(r, n->children, n->nchildren);
	if (!truthy(v))
		return 0;
	if (r->depth >= (int)(sizeof r->stack / sizeof r->stack[0]))
		return -1;
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			r->stack[r->depth++] = item;
			int rc = render_nodes(r, n->children, n->nchildren);
			r->depth--;
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	r->stack[r->depth++] = v;
	int rc = render_nodes(r, n->children, n->nchildren);
	r->depth--;
	return rc;
}

static int render_nodes(struct render *r, const struct node *nodes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct node *n = &nodes[i];
		switch (n->kind) {
		case N_TEXT:
			buf_add(r->out, n->text, n->len);
			break;
		case N_VAR:
		case N_RAW:
			put_value(r, lookup(r, n), n->kind == N_VAR);
			break;
		case N_SECTION:
		case N_INVERTED:
			if (render_section(r, n) < 0)
				return -1;
			break;
		case N_PARTIAL: {
			const struct tmpl *p = partial(r, n->text);
			if (!p || r->partial_depth >= TMPL_MAX_DEPTH)
				return -1;
			r->partial_depth++;
			int rc = render_nodes(r, p->root.children, p->root.nchildren);
			r->partial_depth--;
			if (rc < 0)
				return -1;
			break;
		}
		case N_TRANSLATE: {
			const char *s = r->tr ? r->tr(r->tr_ctx, n->text) : n->text;
			html_escape(r->out, s, strlen(s));
			break;
		}
		}
	}
	return r->out->overflow ? -1 : 0;
}

int tmpl_render(const struct tmpl *t, const struct tmpl_set *partials, json_t *model,
		tmpl_translate_fn tr, void *tr_ctx, struct buf *out)
{
	struct render r = { .partials = partials, .tr = tr, .tr_ctx = tr_ctx, .out = out };
	r.stack[r.depth++] = model;
	return render_nodes(&r, t->root.children, t->root.nchildren);
}
