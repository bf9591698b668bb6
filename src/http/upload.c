#include "http/upload.h"
#include "core/buf.h"
#include "core/filename.h"
#include "core/sniff.h"
#include "core/utf8.h"
#include "domain/filestore.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The part being read. */
struct part {
	char *name;
	char *filename;             /* as sent; NULL for a text field */
	uint64_t received;
	bool dropped;               /* a file part read and not written */
	struct buf text;            /* a text field's value */
	struct filestore_temp temp; /* a file part's content */
	struct sniff sniff;
};

/* libmicrohttpd 0.9.75 leaks the nested boundary of a multipart/mixed part
 * (found by fuzz/fuzz_multipart.c: some bytes per such part, so a large
 * body of them grows the process). RFC 7578 has deprecated multipart/mixed
 * inside form data and browsers never send it, so a body with one is
 * refused before the post processor sees that part. The guard only watches
 * the part headers for it: the delimiter "CRLF--boundary" ends content,
 * the lines after it up to an empty one are headers. */
#define NESTED "multipart/mixed"
#define NESTED_LEN (sizeof NESTED - 1)

struct nest_guard {
	char delim[4 + UPLOAD_BOUNDARY_MAX];   /* "\r\n--" and the boundary */
	unsigned short fail[4 + UPLOAD_BOUNDARY_MAX];   /* Knuth-Morris-Pratt: of delim, and of delim + 2 */
	unsigned short fail_pre[2 + UPLOAD_BOUNDARY_MAX];
	size_t dlen, matched;
	/* before the first delimiter the post processor skips anything up to "--boundary" */
	enum { IN_PREAMBLE, IN_CONTENT, AFTER_DELIM, IN_HEADERS, AFTER_END } state;
	size_t line_len;            /* bytes of the current header line */
	char prev;                  /* the byte before, for CRLF */
	char window[NESTED_LEN];    /* the last bytes of the header line, lower-cased */
};

struct field {
	char *name, *value;
};

struct upload {
	struct MHD_PostProcessor *pp;
	struct nest_guard guard;
	const char *files_dir;
	const struct upload_rule *rule;
	bool keep_files;
	enum upload_status status;
	bool finished;
	bool in_part;
	struct part cur;
	size_t parts;               /* every part seen, files and text */
	size_t text_bytes;
	struct field fields[FORM_MAX_FIELDS];
	size_t nfields;
	struct upload_file *files;  /* rule->files_max entries */
	size_t nfiles;
	int file_parts;             /* file parts seen, dropped ones included */
};

bool upload_is_multipart(const char *type)
{
	return type && strncasecmp(type, "multipart/form-data", 19) == 0 &&
	       (type[19] == '\0' || type[19] == ';' || type[19] == ' ');
}

/* fail[i]: the length of the longest proper prefix of pat[0..i] that is
 * also its suffix. */
static void kmp_table(const char *pat, size_t n, unsigned short *fail)
{
	fail[0] = 0;
	for (size_t i = 1, k = 0; i < n; i++) {
		while (k && pat[i] != pat[k])
			k = fail[k - 1];
		if (pat[i] == pat[k])
			k++;
		fail[i] = (unsigned short)k;
	}
}

/* One byte more of the text: true when pat has just been matched whole. */
static bool kmp_step(const char *pat, size_t n, const unsigned short *fail, size_t *matched, char c)
{
	size_t k = *matched;
	while (k && c != pat[k])
		k = fail[k - 1];
	if (c == pat[k])
		k++;
	*matched = k == n ? 0 : k;
	return k == n;
}

/* The boundary as the post processor reads it from the Content-Type: what
 * follows "boundary=", enclosing quotes removed. false when it cannot be used. */
static bool guard_init(struct nest_guard *g, const char *type)
{
	const char *b = type ? strstr(type + 19, "boundary=") : NULL;
	if (!b)
		return false;
	b += 9;
	size_t n = strlen(b);
	if (n >= 2 && b[0] == '"' && b[n - 1] == '"') {
		b++;
		n -= 2;
	}
	if (n == 0 || n > UPLOAD_BOUNDARY_MAX)
		return false;
	memcpy(g->delim, "\r\n--", 4);
	memcpy(g->delim + 4, b, n);
	g->dlen = n + 4;
	kmp_table(g->delim, g->dlen, g->fail);
	kmp_table(g->delim + 2, g->dlen - 2, g->fail_pre);
	g->matched = 0;
	g->state = IN_PREAMBLE;
	return true;
}

/* False once a part's headers name multipart/mixed. */
static bool guard_feed(struct nest_guard *g, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		switch (g->state) {
		case IN_PREAMBLE:
		case IN_CONTENT:
			if (g->state == IN_PREAMBLE ? kmp_step(g->delim + 2, g->dlen - 2, g->fail_pre, &g->matched, c)
						    : kmp_step(g->delim, g->dlen, g->fail, &g->matched, c)) {
				g->state = AFTER_DELIM;
				g->line_len = 0;
			}
			break;
		case AFTER_DELIM:   /* the rest of the delimiter's line: "--" ends the body */
			if (g->line_len == 0 && c == '-') {
				g->state = AFTER_END;
			} else if (c == '\r' || c == '\n') {
				g->state = IN_HEADERS;
				g->line_len = 0;
				memset(g->window, 0, sizeof g->window);
			} else {
				g->line_len++;
			}
			break;
		case IN_HEADERS:
			if (c == '\n' && g->prev == '\r')
				break;
			if (c == '\r' || c == '\n') {
				if (g->line_len == 0) {
					g->state = IN_CONTENT;   /* the empty line: content follows */
					g->matched = 0;
				}
				g->line_len = 0;
				memset(g->window, 0, sizeof g->window);
				break;
			}
			g->line_len++;
			memmove(g->window, g->window + 1, NESTED_LEN - 1);
			g->window[NESTED_LEN - 1] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			if (memcmp(g->window, NESTED, NESTED_LEN) == 0)
				return false;
			break;
		case AFTER_END:
			return true;
		}
		g->prev = c;
	}
	return true;
}

static void fail(struct upload *u, enum upload_status s)
{
	if (u->status == UPLOAD_OK)
		u->status = s;
}

static void part_clear(struct part *p)
{
	free(p->name);
	free(p->filename);
	buf_free(&p->text);
	memset(p, 0, sizeof *p);
	p->temp.fd = -1;
}

/* The current part has ended: a text field joins the fields, a file the files. */
static void part_end(struct upload *u)
{
	struct part *p = &u->cur;
	if (!u->in_part)
		return;
	u->in_part = false;
	if (u->status != UPLOAD_OK) {
		if (p->filename && !p->dropped)
			filestore_temp_discard(&p->temp);
		part_clear(p);
		return;
	}
	if (!p->filename) {
		const char *v = p->text.data ? p->text.data : "";
		if (memchr(v, '\0', p->text.len) || !utf8_valid(v, p->text.len)) {
			fail(u, UPLOAD_BAD);
		} else {
			u->fields[u->nfields].name = p->name;
			u->fields[u->nfields].value = buf_detach(&p->text, NULL);
			if (!u->fields[u->nfields].value)
				u->fields[u->nfields].value = strdup("");
			if (!u->fields[u->nfields].value)
				fail(u, UPLOAD_FAILED);
			else
				u->nfields++;
			p->name = NULL;
		}
		part_clear(p);
		return;
	}
	if (p->dropped) {
		part_clear(p);
		return;
	}
	struct upload_file *f = &u->files[u->nfiles];
	memset(f, 0, sizeof *f);
	if (filestore_temp_finish(&p->temp, f->sha256) < 0) {
		fail(u, UPLOAD_FAILED);
		filestore_temp_discard(&p->temp);
		part_clear(p);
		return;
	}
	if (p->received == 0 && !p->filename[0]) {
		/* a file input left empty: browsers send the part all the same */
		filestore_temp_discard(&p->temp);
		part_clear(p);
		return;
	}
	char safe[FILENAME_MAX_BYTES + 1];
	filename_safe(p->filename, strlen(p->filename), safe, sizeof safe);
	f->field = p->name;
	f->name = strdup(safe);
	f->temp_path = strdup(p->temp.path);
	f->size = (int64_t)p->received;
	f->too_big = p->temp.over;
	f->type = f->too_big ? SNIFF_OTHER : sniff_result(&p->sniff);
	if (f->too_big)
		f->sha256[0] = '\0';
	p->name = NULL;
	if (!f->name || !f->temp_path) {
		free(f->field);   /* the part's name, handed over above */
		free(f->name);
		free(f->temp_path);
		memset(f, 0, sizeof *f);
		filestore_temp_discard(&p->temp);
		fail(u, UPLOAD_FAILED);
	} else {
		u->nfiles++;
	}
	part_clear(p);
}

static void part_begin(struct upload *u, const char *key, const char *filename)
{
	struct part *p = &u->cur;
	part_clear(p);
	u->in_part = true;
	size_t klen = strlen(key);
	if (++u->parts > FORM_MAX_FIELDS || klen == 0 || klen > UPLOAD_NAME_MAX || !utf8_valid(key, klen)) {
		fail(u, UPLOAD_BAD);
		return;
	}
	u->text_bytes += klen;
	p->name = strdup(key);
	p->filename = filename ? strdup(filename) : NULL;
	if (!p->name || (filename && !p->filename)) {
		fail(u, UPLOAD_FAILED);
		return;
	}
	if (!filename) {
		buf_init(&p->text, UPLOAD_FIELD_MAX);
		return;
	}
	sniff_init(&p->sniff);
	if (!u->keep_files || ++u->file_parts > u->rule->files_max) {
		p->dropped = true;
		return;
	}
	if (filestore_temp_open(u->files_dir, u->rule->file_max, &p->temp) < 0)
		fail(u, UPLOAD_FAILED);
}

static void part_data(struct upload *u, const char *data, size_t n)
{
	struct part *p = &u->cur;
	p->received += n;
	if (!p->filename) {
		u->text_bytes += n;
		if (!buf_add(&p->text, data, n) || u->text_bytes > UPLOAD_TEXT_MAX)
			fail(u, UPLOAD_TOO_BIG);
		return;
	}
	if (p->dropped)
		return;
	filestore_temp_write(&p->temp, data, n);
	if (!p->temp.over)
		sniff_feed(&p->sniff, data, n);
	if (p->temp.failed)
		fail(u, UPLOAD_FAILED);
}

/* Whether a call of the iterator starts a new part. The post processor
 * gives no sign of a part's end; a part's data comes at growing offsets
 * from 0, and a part may be announced once with no data first. A call at
 * offset 0 with the same name and file name as an empty part so far is
 * that part's data. */
static bool new_part(const struct upload *u, const char *key, const char *filename, uint64_t off)
{
	const struct part *p = &u->cur;
	if (!u->in_part || off != 0)
		return !u->in_part;
	if (p->received || !p->name || strcmp(p->name, key) != 0 || !filename != !p->filename)
		return true;
	return filename && strcmp(filename, p->filename) != 0;
}

static enum MHD_Result on_data(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	struct upload *u = cls;
	if (u->status != UPLOAD_OK)
		return MHD_NO;
	if (!key) {   /* a part without a name */
		fail(u, UPLOAD_BAD);
		return MHD_NO;
	}
	if (new_part(u, key, filename, off)) {
		part_end(u);
		if (off != 0)
			fail(u, UPLOAD_BAD);
		else if (u->status == UPLOAD_OK)
			part_begin(u, key, filename);
	} else if (off != u->cur.received) {
		fail(u, UPLOAD_BAD);
	}
	if (u->status == UPLOAD_OK && size)
		part_data(u, data, size);
	return u->status == UPLOAD_OK ? MHD_YES : MHD_NO;
}

struct upload *upload_begin(struct MHD_Connection *c, const char *files_dir, const struct upload_rule *rule,
			    bool keep_files)
{
	static const struct upload_rule none = { 0 };
	struct upload *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->rule = rule ? rule : &none;
	u->files = calloc(u->rule->files_max > 0 ? (size_t)u->rule->files_max : 1, sizeof *u->files);
	if (!u->files) {
		free(u);
		return NULL;
	}
	u->files_dir = files_dir;
	u->keep_files = keep_files && files_dir && rule;
	u->cur.temp.fd = -1;
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	u->pp = upload_is_multipart(type) && guard_init(&u->guard, type)
		? MHD_create_post_processor(c, UPLOAD_PARSER_BUFFER, on_data, u) : NULL;
	if (!u->pp)
		u->status = UPLOAD_BAD;   /* no boundary, or one too long */
	return u;
}

void upload_feed(struct upload *u, const char *data, size_t n)
{
	if (u->status != UPLOAD_OK || u->finished || !n)
		return;
	if (!guard_feed(&u->guard, data, n) || MHD_post_process(u->pp, data, n) != MHD_YES)
		fail(u, UPLOAD_BAD);
}

enum upload_status upload_finish(struct upload *u)
{
	if (u->finished)
		return u->status;
	u->finished = true;
	if (u->pp && MHD_destroy_post_processor(u->pp) != MHD_YES)
		fail(u, UPLOAD_BAD);   /* cut off before the final boundary */
	u->pp = NULL;
	part_end(u);
	return u->status;
}

void upload_to_req(struct upload *u, struct arena *a, struct kvlist *form, struct upload_file **files,
		   size_t *nfiles)
{
	for (size_t i = 0; i < u->nfields; i++)
		kv_add(a, form, arena_strdup(a, u->fields[i].name), arena_strdup(a, u->fields[i].value));
	*files = u->nfiles ? u->files : NULL;
	*nfiles = u->nfiles;
}

void upload_discard(struct upload *u)
{
	if (!u)
		return;
	if (u->in_part && u->cur.filename && !u->cur.dropped) {
		filestore_temp_discard(&u->cur.temp);
		u->cur.dropped = true;
	}
	for (size_t i = 0; i < u->nfiles; i++) {
		struct upload_file *f = &u->files[i];
		if (!f->kept && f->temp_path) {
			unlink(f->temp_path);
			free(f->temp_path);
			f->temp_path = NULL;
		}
	}
}

void upload_free(struct upload *u)
{
	if (!u)
		return;
	upload_discard(u);
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	part_clear(&u->cur);
	for (size_t i = 0; i < u->nfields; i++) {
		free(u->fields[i].name);
		free(u->fields[i].value);
	}
	for (size_t i = 0; i < u->nfiles; i++) {
		struct upload_file *f = &u->files[i];
		free(f->field);
		free(f->name);
		free(f->temp_path);
	}
	free(u->files);
	free(u);
}
