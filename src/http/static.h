/* Static files, read into memory at start-up and served with an ETag and a
 * long cache lifetime: /static/... from our static/ directory and
 * /static/kern/... from the KERN UX package. */
#ifndef UNBOX_STATIC_H
#define UNBOX_STATIC_H
#include <stddef.h>

struct static_file {
	char *path;                /* URL path (owned by the table) */
	const char *content_type;
	char *data;                /* owned by the table */
	size_t len;
	char etag[24];             /* "\"<16 hex>\"" */
};

/* Loads both trees; returns the number of files, or -1 with a message in err. */
int static_load(const char *own_dir, const char *kern_dir, char *err, size_t errlen);
const struct static_file *static_find(const char *url_path);
void static_free(void);

#endif
