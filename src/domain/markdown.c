#include "domain/markdown.h"
#include <cmark.h>

char *markdown_to_html(const char *md, size_t len)
{
	/* Since cmark 0.29 the default is safe: raw HTML and dangerous URLs are
	 * suppressed unless CMARK_OPT_UNSAFE is given, which we never do. */
	return cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
}
