/* The text of an errno value, as strerror gives it, but safe with threads:
 * strerror may share one buffer between all of them. */
#ifndef UNBOX_ERRTEXT_H
#define UNBOX_ERRTEXT_H
#include <stddef.h>

#define ERRTEXT_MAX 128   /* a buffer this large holds any text in full */

/* The text of errnum: written to buf (len > 0 bytes, cut to fit) or a
 * constant string of the C library; use it before buf goes away. */
const char *errtext(int errnum, char *buf, size_t len);

#endif
