/* multipart/form-data bodies of upload routes (ROUTE_UPLOAD): fed chunk by
 * chunk, as they arrive, to libmicrohttpd's post processor, never held
 * whole. Text fields are kept for req->form under the caps of urlencoded
 * forms (FORM_MAX_FIELDS, UPLOAD_FIELD_MAX bytes each, UPLOAD_TEXT_MAX in
 * all; valid UTF-8 without NUL). Each file part streams into a temporary
 * file of the file store (domain/filestore.h) while its SHA-256 is computed
 * and its type sniffed from the content (core/sniff.h), up to the route's
 * upload rule (file_max per file, files_max files). */
#ifndef UNBOX_UPLOAD_H
#define UNBOX_UPLOAD_H
#include <stdbool.h>
#include <stddef.h>
#include <microhttpd.h>
#include "core/arena.h"
#include "core/form.h"
#include "web/req.h"

#define UPLOAD_FIELD_MAX (16 * 1024)   /* bytes of one text field */
#define UPLOAD_TEXT_MAX (64 * 1024)    /* bytes of all text fields and names together */
#define UPLOAD_NAME_MAX 256            /* bytes of a field name */
#define UPLOAD_PARSER_BUFFER (16 * 1024)   /* the post processor's: a part's headers must fit */
#define UPLOAD_BOUNDARY_MAX 256        /* bytes of the boundary (RFC 2046: at most 70) */

enum upload_status {
	UPLOAD_OK = 0,
	UPLOAD_BAD,        /* malformed or cut off, a field not UTF-8 or with NUL, too many fields,
			    * a nested multipart/mixed part: 400 */
	UPLOAD_TOO_BIG,    /* text fields over their caps: 413 */
	UPLOAD_FAILED,     /* a temporary file could not be written: 500 */
};

struct upload;

/* True for a Content-Type of multipart/form-data (any case, any parameters). */
bool upload_is_multipart(const char *content_type);
/* Starts reading the body of connection c (its Content-Type names the
 * boundary). Temporary files go to files_dir/tmp. keep_files false: file
 * parts are read and dropped unwritten (a visitor who will be sent to log
 * in). Never NULL but when memory ran out; a body whose boundary cannot be
 * used ends as UPLOAD_BAD. */
struct upload *upload_begin(struct MHD_Connection *c, const char *files_dir, const struct upload_rule *rule,
			    bool keep_files);
/* One chunk of the body. Once the status is not UPLOAD_OK the rest is ignored. */
void upload_feed(struct upload *u, const char *data, size_t n);
/* After the last chunk: ends the parse and the last part (the first call;
 * later ones only answer). A body that stops before its final boundary is
 * UPLOAD_BAD. */
enum upload_status upload_finish(struct upload *u);
/* The text fields, copied into a, appended to form; the files (owned by u,
 * valid until upload_free; a handler may set kept) into *files, *nfiles. */
void upload_to_req(struct upload *u, struct arena *a, struct kvlist *form, struct upload_file **files,
		   size_t *nfiles);
/* Removes every temporary file not kept, before the answer goes out: a
 * client that has its answer finds nothing of a refused upload left. The
 * files stay listed (their temp_path NULL). NULL is fine. */
void upload_discard(struct upload *u);
/* upload_discard, then frees u. NULL is fine. */
void upload_free(struct upload *u);

#endif
