#include "core/errtext.h"
#include <stdio.h>
#include <string.h>

const char *errtext(int errnum, char *buf, size_t len)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	/* the GNU strerror_r returns the text: buf, or one of its constants */
	return strerror_r(errnum, buf, len);
#else
	/* the POSIX one returns 0 or an error number */
	if (strerror_r(errnum, buf, len) != 0)
		snprintf(buf, len, "error %d", errnum);
	return buf;
#endif
}
