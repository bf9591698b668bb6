#include "domain/export.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonx.h"
#include <inttypes.h>
#include <string.h>

#define EXPORT_ROW_MAX (8 << 20)    /* bytes of one row written: far above the longest texts */

struct writer {
	FILE *out;
	struct buf row;
	int written;                /* rows of the current part */
};

static void put_field(struct buf *b, const struct personal_field *f)
{
	char iso[32];
	json_write_string(b, f->key, strlen(f->key));
	buf_putc(b, ':');
	switch (f->type) {
	case PERSONAL_NULL:
		buf_puts(b, "null");
		break;
	case PERSONAL_INT:
		buf_printf(b, "%" PRId64, f->num);
		break;
	case PERSONAL_TEXT:
		json_write_string(b, f->text, strlen(f->text));
		break;
	case PERSONAL_TIME:
		clock_format_iso(f->num, iso, sizeof iso);
		json_write_string(b, iso, strlen(iso));
		break;
	case PERSONAL_BOOL:
		buf_puts(b, f->num ? "true" : "false");
		break;
	case PERSONAL_JSON:     /* written by this program as JSON (notification data) */
		buf_puts(b, f->text);
		break;
	}
}

/* One row as a JSON object, after a comma when it is not the first. */
static int write_row(void *ctx, const struct personal_row *r)
{
	struct writer *w = ctx;
	buf_clear(&w->row);
	if (w->written++)
		buf_putc(&w->row, ',');
	buf_putc(&w->row, '{');
	for (int i = 0; i < r->n; i++) {
		if (i)
			buf_putc(&w->row, ',');
		put_field(&w->row, &r->f[i]);
	}
	buf_putc(&w->row, '}');
	if (w->row.overflow)
		return -1;
	return fwrite(w->row.data, 1, w->row.len, w->out) == w->row.len ? 0 : -1;
}

static int write_part(struct db *db, int64_t user_id, const struct personal_part *p, struct writer *w)
{
	w->written = 0;
	fputc(',', w->out);
	buf_clear(&w->row);
	json_write_string(&w->row, p->name, strlen(p->name));
	buf_putc(&w->row, ':');
	fwrite(w->row.data, 1, w->row.len, w->out);
	if (p->single) {
		int64_t last = 0;
		if (p->rows(db, user_id, 0, 1, write_row, w, &last) != DB_OK)
			return -1;
		if (!w->written)
			fputs("null", w->out);
		return 0;
	}
	fputc('[', w->out);
	int64_t after = 0;
	for (;;) {
		int before = w->written;
		int64_t last = after;
		if (p->rows(db, user_id, after, PERSONAL_PAGE_MAX, write_row, w, &last) != DB_OK)
			return -1;
		if (w->written - before < PERSONAL_PAGE_MAX)
			break;
		after = last;
	}
	fputc(']', w->out);
	return 0;
}

int export_write(struct db *db, int64_t user_id, int64_t now, FILE *out)
{
	char iso[32];
	clock_format_iso(now, iso, sizeof iso);
	struct writer w = { .out = out };
	buf_init(&w.row, EXPORT_ROW_MAX);
	fprintf(out, "{\"format\":\"%s\",\"version\":%d,\"exported_at\":\"%s\",\"user_id\":%" PRId64, EXPORT_FORMAT,
		EXPORT_VERSION, iso, user_id);
	int rc = 0;
	for (const struct personal_part *const *p = personal_parts(); rc == 0 && *p; p++)
		rc = write_part(db, user_id, *p, &w);
	fputs("}\n", out);
	buf_free(&w.row);
	return rc == 0 && !ferror(out) && fflush(out) == 0 ? 0 : -1;
}

/* ---- pages ---- */

struct page_ctx {
	const char *lang;
	json_t *items;
	int limit, got;
	int64_t last_kept;
};

static int page_row(void *ctx, const struct personal_row *r)
{
	struct page_ctx *pc = ctx;
	if (++pc->got > pc->limit)   /* the one more than a page: there is a next page */
		return 0;
	json_t *o = json_object();
	for (int i = 0; i < r->n; i++) {
		const struct personal_field *f = &r->f[i];
		switch (f->type) {
		case PERSONAL_NULL:
			jset(o, f->key, json_null());
			break;
		case PERSONAL_INT:
			jset_int(o, f->key, f->num);
			break;
		case PERSONAL_TEXT:
			jset(o, f->key, json_string(f->text));
			break;
		case PERSONAL_TIME: {
			char iso[32], date[32], key[64];
			clock_format_iso(f->num, iso, sizeof iso);
			clock_format_date(f->num, pc->lang, date, sizeof date);
			jset_str(o, f->key, iso);
			snprintf(key, sizeof key, "%s_date", f->key);
			json_object_set_new(o, key, json_string(date));
			break;
		}
		case PERSONAL_BOOL:
			jset(o, f->key, json_boolean(f->num));
			break;
		case PERSONAL_JSON: {
			json_t *v = json_loads(f->text, JSON_DECODE_ANY, NULL);
			jset(o, f->key, v ? v : json_string(f->text));
			break;
		}
		}
	}
	const struct personal_field *id = personal_get(r, "id");
	if (id && id->type == PERSONAL_INT)
		pc->last_kept = id->num;
	json_array_append_new(pc->items, o);
	return 0;
}

json_t *export_page(struct db *db, const char *lang, int64_t user_id, const struct personal_part *part,
		    int64_t after, int limit)
{
	limit = limit < 1 ? EXPORT_PAGE_DEFAULT : limit > EXPORT_PAGE_MAX ? EXPORT_PAGE_MAX : limit;
	struct page_ctx pc = { .lang = lang, .items = json_array(), .limit = part->single ? 1 : limit };
	int64_t last = after;
	if (part->rows(db, user_id, part->single ? 0 : after, pc.limit + 1, page_row, &pc, &last) != DB_OK) {
		json_decref(pc.items);
		return NULL;
	}
	json_t *out = json_object();
	jset_str(out, "name", part->name);
	jset_str(out, "title", part->title);
	jset(out, "items", pc.items);
	jset(out, "next", pc.got > pc.limit && !part->single ? json_integer(pc.last_kept) : json_null());
	jset_int(out, "limit", pc.limit);
	return out;
}
