/* Files by their content: each is stored once, as <dir>/<first two hex
 * digits of its SHA-256>/<SHA-256>, so storing the same bytes twice keeps
 * one file. An upload streams into a temporary file in <dir>/tmp/ while its
 * hash is computed; putting it into place is an atomic rename on the same
 * file system, so several instances may share the directory (a shared
 * volume). The directory is the whole state: nothing lives in process memory. */
#ifndef UNBOX_FILESTORE_H
#define UNBOX_FILESTORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILESTORE_SHA_HEX 64
#define FILESTORE_PATH_MAX 4096

/* A file on its way in. */
struct filestore_temp {
	int fd;                          /* -1 when closed */
	char path[FILESTORE_PATH_MAX];
	struct crypto_hash_sha256_state *sha;   /* libsodium's, while open */
	int64_t size;                    /* bytes received, kept or not */
	int64_t max;                     /* bytes it may have */
	bool over;                       /* it had more: the rest was not written and the file was emptied */
	bool failed;                     /* writing failed (disk full, I/O error) */
};

/* Creates dir (and its parents) and dir/tmp as needed and opens a new
 * temporary file there. 0, or -1 with errno set. */
int filestore_temp_open(const char *dir, int64_t max, struct filestore_temp *t);
/* Appends n bytes: hashed and written while the file stays within max. */
void filestore_temp_write(struct filestore_temp *t, const void *p, size_t n);
/* Flushes the file to disk and closes it; its hash in hex into sha.
 * 0, or -1 when writing failed (the file is then useless). */
int filestore_temp_finish(struct filestore_temp *t, char sha[FILESTORE_SHA_HEX + 1]);
/* Closes the file when open and removes it. */
void filestore_temp_discard(struct filestore_temp *t);

/* Moves the finished temporary file temp_path into place as the file of
 * sha, the hash of its content; when that file exists already the temporary
 * one is removed instead. 0, or -1 (the temporary file is then left). */
int filestore_put(const char *dir, const char *temp_path, const char *sha);
/* Opens the file of sha for reading: a descriptor (the caller closes it)
 * with its size in *size, or -1. */
int filestore_open(const char *dir, const char *sha, int64_t *size);
/* True for 64 lower-case hexadecimal digits. */
bool filestore_sha_valid(const char *sha);
/* Removes temporary files last changed more than age seconds before now:
 * what processes that died during an upload left. Returns how many. */
int filestore_sweep(const char *dir, int64_t now, int64_t age);

#endif
