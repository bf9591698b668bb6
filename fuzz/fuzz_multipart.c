/* The multipart/form-data path of upload routes (src/http/upload.h) on
 * arbitrary bodies: our glue around libmicrohttpd's post processor (the
 * part callbacks, the caps, the sniffing, the temporary files).
 *
 * The input is "PARAMS\nBODY": PARAMS follows "multipart/form-data" in the
 * request's Content-Type (such as "; boundary=xyz"; cut at CR or NUL), BODY
 * is the request body. The post processor needs a connection, so each input
 * is a real HTTP request over a socketpair, added to an in-process daemon
 * without a listening socket (MHD_USE_NO_LISTEN_SOCKET, MHD_add_connection)
 * that this thread drives with MHD_run; the body is written in pieces of a
 * size the input chooses, so parts and boundaries fall across chunks.
 *
 * Properties, when the upload ends UPLOAD_OK: every text field is valid
 * UTF-8 without NUL, within UPLOAD_FIELD_MAX, and there are at most
 * FORM_MAX_FIELDS; there are at most files_max files, each with a safe name
 * (not empty, valid UTF-8, no slash, backslash or control character, at most
 * FILENAME_MAX_BYTES); a file within file_max has exactly its size on disk,
 * the SHA-256 of that content and the type sniff_type gives the whole
 * content; a file over it has too_big set and nothing on disk. Always: once
 * the request ends no temporary file is left. */
/* ours first: domain/user.h has a NAME_MAX of its own, which <limits.h> would precede */
#include "fuzz.h"
#include "core/arena.h"
#include "core/filename.h"
#include "core/form.h"
#include "core/sniff.h"
#include "core/utf8.h"
#include "domain/filestore.h"
#include "http/upload.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAX 300   /* small, so that inputs reach the cap */
static const struct upload_rule rule = { .file_max = FILE_MAX, .files_max = 2 };

static struct MHD_Daemon *daemon_;
static char files_dir[64];
static bool request_done;

struct request {
	struct upload *u;
};

/* Number of entries in files_dir/tmp. */
static int temp_files(void)
{
	char tmp[128];
	snprintf(tmp, sizeof tmp, "%s/tmp", files_dir);
	DIR *d = opendir(tmp);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void check_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > FILENAME_MAX_BYTES || !utf8_valid(name, n) || strchr(name, '/') || strchr(name, '\\'))
		abort();
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7F)
			abort();
}

static void check_file(const struct upload_file *f)
{
	check_name(f->name);
	if (!f->field || !*f->field || !f->temp_path)
		abort();
	struct stat st;
	if (stat(f->temp_path, &st) < 0)
		abort();
	if (f->too_big) {
		if (f->size <= FILE_MAX || st.st_size != 0 || strcmp(f->type, SNIFF_OTHER) != 0)
			abort();
		return;
	}
	if (f->size > FILE_MAX || st.st_size != f->size)
		abort();
	unsigned char content[FILE_MAX + 1], digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	int fd = open(f->temp_path, O_RDONLY);
	if (fd < 0 || read(fd, content, sizeof content) != f->size)
		abort();
	close(fd);
	crypto_hash_sha256(digest, content, (unsigned long long)f->size);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	if (strcmp(hex, f->sha256) != 0 || strcmp(f->type, sniff_type(content, (size_t)f->size)) != 0)
		abort();
}

static void check(struct upload *u, enum upload_status status)
{
	if (status != UPLOAD_OK)
		return;
	struct arena *a = arena_new(0);
	struct kvlist form = { 0 };
	struct upload_file *files;
	size_t nfiles;
	upload_to_req(u, a, &form, &files, &nfiles);
	if (form.count > FORM_MAX_FIELDS || nfiles > (size_t)rule.files_max)
		abort();
	for (size_t i = 0; i < form.count; i++) {
		size_t n = strlen(form.items[i].value);
		if (!*form.items[i].name || n > UPLOAD_FIELD_MAX || !utf8_valid(form.items[i].name, strlen(form.items[i].name)) ||
		    !utf8_valid(form.items[i].value, n))
			abort();
	}
	for (size_t i = 0; i < nfiles; i++)
		check_file(&files[i]);
	arena_free(a);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *data, size_t *size, void **con_cls)
{
	struct request *r = *con_cls;
	if (!r) {
		const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
		r = calloc(1, sizeof *r);
		if (!r)
			abort();
		/* PARAMS may spoil the type ("multipart/form-datax"): the server answers 415 then */
		if (upload_is_multipart(type) && !(r->u = upload_begin(c, files_dir, &rule, true)))
			abort();
		*con_cls = r;
		return MHD_YES;
	}
	if (*size) {
		if (r->u)
			upload_feed(r->u, data, *size);
		*size = 0;
		return MHD_YES;
	}
	if (r->u)
		check(r->u, upload_finish(r->u));
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, r->u ? 200 : 415, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct request *r = *con_cls;
	if (r) {
		upload_free(r->u);
		free(r);
		*con_cls = NULL;
	}
	if (temp_files() != 0)
		abort();   /* every temporary file goes with its request */
	request_done = true;
}

static void cleanup(void)
{
	char cmd[128];
	if (daemon_)
		MHD_stop_daemon(daemon_);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", files_dir);
	if (files_dir[0] && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", files_dir);
}

static void init(void)
{
	if (daemon_)
		return;
	if (sodium_init() < 0)
		abort();
	snprintf(files_dir, sizeof files_dir, "/tmp/unbox-fuzz-multipart-XXXXXX");
	if (!mkdtemp(files_dir))
		abort();
	daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
	if (!daemon_)
		abort();
	atexit(cleanup);
}

/* Reads and drops what the daemon answered; false at end of stream. */
static bool drain(int fd)
{
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0)
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

/* Writes all of p to fd, letting the daemon read in between. */
static void send_all(int fd, const char *p, size_t n)
{
	for (int spins = 0; n && spins < 100000; spins++) {
		ssize_t w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			return;   /* the daemon closed the connection (an error answer) */
		}
		MHD_run(daemon_);
		drain(fd);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size);
	size_t plen = nl ? (size_t)(nl - in) : 0;
	for (size_t i = 0; i < plen; i++)
		if (in[i] == '\r' || in[i] == '\0')   /* a header line ends there */
			plen = i;
	if (plen > 512)
		plen = 512;
	char params[513];
	memcpy(params, in, plen);
	params[plen] = '\0';
	const char *body = nl ? nl + 1 : in;
	size_t blen = size - (size_t)(body - in);
	static const size_t pieces[] = { 1, 7, 64, 500, 4096, 65536 };
	size_t piece = pieces[size % (sizeof pieces / sizeof pieces[0])];

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	request_done = false;
	if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&addr, sizeof addr) != MHD_YES)
		abort();
	char head[1024];
	int hn = snprintf(head, sizeof head,
			  "POST /ideas/1/attachments HTTP/1.1\r\nHost: fuzz\r\nContent-Type: multipart/form-data%s\r\n"
			  "Content-Length: %zu\r\nConnection: close\r\n\r\n", params, blen);
	send_all(sv[1], head, (size_t)hn);
	for (size_t off = 0; off < blen; off += piece)
		send_all(sv[1], body + off, blen - off < piece ? blen - off : piece);
	for (int i = 0; i < 1000 && !request_done; i++) {
		MHD_run(daemon_);
		if (!drain(sv[1]))
			break;
	}
	close(sv[1]);
	for (int i = 0; i < 10; i++)   /* the daemon notices the closed socket and lets the connection go */
		MHD_run(daemon_);
	if (temp_files() != 0)
		abort();
	return 0;
}
