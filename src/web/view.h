/* Turning a response into bytes: JSON as is, HTML through the page template
 * and the layout (skip link, header with language switch and login state, footer). */
#ifndef UNBOX_VIEW_H
#define UNBOX_VIEW_H
#include "core/buf.h"
#include "web/req.h"

/* Renders resp into out; sets *content_type. Returns 0, or -1 when a template failed. */
int view_render(struct req *req, struct resp *resp, struct buf *out, const char **content_type);
/* Sentence for a field error code in the request's language: what to do. With
 * a limit (too_long, too_short) it names the bound and the count. */
const char *view_field_message(const struct req *req, const char *field, const char *code, long limit, long count);

#endif
