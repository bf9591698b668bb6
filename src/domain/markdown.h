/* User Markdown to HTML through libcmark (CommonMark). Raw HTML in the input
 * is dropped and unsafe link schemes (javascript:, data: ...) are removed. */
#ifndef UNBOX_MARKDOWN_H
#define UNBOX_MARKDOWN_H
#include <stddef.h>

char *markdown_to_html(const char *md, size_t len);   /* malloc'd; NULL on out-of-memory */

#endif
