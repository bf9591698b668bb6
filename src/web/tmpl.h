/* Logic-less, Mustache-style templates, parsed once at start-up.
 *
 *   {{name}} {{a.b}} {{.}}   value, HTML-escaped (strings, numbers; false/null render nothing)
 *   {{{name}}}               value unescaped: only for HTML the program produced itself
 *   {{#name}}..{{/name}}     section: once per array element, once for an object or any
 *                            truthy value (pushed as context), never for false/null/""/[]
 *   {{^name}}..{{/name}}     inverted section: when the value is falsy
 *   {{>name}}                partial: another template of the same set
 *   {{_Text}}                translated text (through the caller's translate function), escaped
 *   {{!comment}}
 *
 * Names resolve against the innermost context first, then outwards. A line
 * that holds nothing but a section, inverted section, closing tag or comment
 * (and blanks) is left out of the output whole, line break included. */
#ifndef UNBOX_TMPL_H
#define UNBOX_TMPL_H
#include <jansson.h>
#include <stddef.h>
#include "core/buf.h"

struct tmpl;
struct tmpl_set;

typedef const char *(*tmpl_translate_fn)(void *ctx, const char *msgid);

#define TMPL_MAX_DEPTH 32   /* section nesting, context stack and partial depth */

struct tmpl *tmpl_parse(const char *name, const char *src, size_t len, char *err, size_t errlen);
void tmpl_free(struct tmpl *t);

/* Loads every *.html under dir and its area folders; files in theme_dir (may
 * be NULL or "") with the same name replace them. Template names are paths
 * below dir without ".html": "layout", "dialogue/idea". */
struct tmpl_set *tmpl_set_load(const char *dir, const char *theme_dir, char *err, size_t errlen);
struct tmpl_set *tmpl_set_new(void);
int  tmpl_set_add(struct tmpl_set *set, struct tmpl *t);   /* takes ownership; replaces same name */
const struct tmpl *tmpl_set_get(const struct tmpl_set *set, const char *name);
void tmpl_set_free(struct tmpl_set *set);

/* Renders into out. partials may be NULL. Returns 0, or -1 when a partial is
 * missing, nesting is too deep, or out overflowed. tr may be NULL (identity). */
int tmpl_render(const struct tmpl *t, const struct tmpl_set *partials, json_t *model,
		tmpl_translate_fn tr, void *tr_ctx, struct buf *out);

#endif
