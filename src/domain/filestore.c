#include "domain/filestore.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_MODE 0750
#define FILE_MODE 0640

/* mkdir -p: every missing directory of path. */
static int make_dirs(const char *path)
{
	char p[FILESTORE_PATH_MAX];
	if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, DIR_MODE) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, DIR_MODE) < 0 && errno != EEXIST ? -1 : 0;
}

/* Makes what was renamed or created in dir survive a crash. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int filestore_temp_open(const char *dir, int64_t max, struct filestore_temp *t)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
	t->max = max;
	char tmp[FILESTORE_PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s/tmp", dir) >= (int)sizeof tmp ||
	    snprintf(t->path, sizeof t->path, "%s/tmp/upload-XXXXXX", dir) >= (int)sizeof t->path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (make_dirs(tmp) < 0)
		return -1;
	if (!(t->sha = malloc(sizeof *t->sha)))
		return -1;
	crypto_hash_sha256_init(t->sha);
	t->fd = mkostemp(t->path, O_CLOEXEC);
	if (t->fd < 0) {
		free(t->sha);
		t->sha = NULL;
		t->path[0] = '\0';
		return -1;
	}
	fchmod(t->fd, FILE_MODE);
	return 0;
}

void filestore_temp_write(struct filestore_temp *t, const void *p, size_t n)
{
	t->size += (int64_t)n;
	if (t->over || t->failed || t->fd < 0 || !t->sha)
		return;
	if (t->size > t->max) {
		t->over = true;     /* nothing of it will be kept: free the space now */
		if (ftruncate(t->fd, 0) < 0)
			t->failed = true;
		return;
	}
	crypto_hash_sha256_update(t->sha, p, n);
	const char *b = p;
	while (n) {
		ssize_t w = write(t->fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			t->failed = true;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

int filestore_temp_finish(struct filestore_temp *t, char sha[FILESTORE_SHA_HEX + 1])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	if (!t->sha) {
		sha[0] = '\0';
		return -1;
	}
	crypto_hash_sha256_final(t->sha, digest);
	free(t->sha);
	t->sha = NULL;
	sodium_bin2hex(sha, FILESTORE_SHA_HEX + 1, digest, sizeof digest);
	if (t->fd >= 0) {
		if (!t->over && !t->failed && fsync(t->fd) < 0)
			t->failed = true;
		if (close(t->fd) < 0)
			t->failed = true;
		t->fd = -1;
	}
	return t->failed ? -1 : 0;
}

void filestore_temp_discard(struct filestore_temp *t)
{
	free(t->sha);
	t->sha = NULL;
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	if (t->path[0])
		unlink(t->path);
	t->path[0] = '\0';
}

bool filestore_sha_valid(const char *sha)
{
	if (!sha || strlen(sha) != FILESTORE_SHA_HEX)
		return false;
	for (const char *c = sha; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

static int store_path(const char *dir, const char *sha, char *sub, char *path)
{
	if (!filestore_sha_valid(sha) || snprintf(sub, FILESTORE_PATH_MAX, "%s/%.2s", dir, sha) >= FILESTORE_PATH_MAX ||
	    snprintf(path, FILESTORE_PATH_MAX, "%s/%s", sub, sha) >= FILESTORE_PATH_MAX)
		return -1;
	return 0;
}

int filestore_put(const char *dir, const char *temp_path, const char *sha)
{
	char sub[FILESTORE_PATH_MAX], path[FILESTORE_PATH_MAX];
	if (store_path(dir, sha, sub, path) < 0 || make_dirs(sub) < 0)
		return -1;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		unlink(temp_path);   /* the same content is there already */
		return 0;
	}
	/* Two instances storing the same content at once both rename: the
	 * second replaces the first's file with the same bytes. */
	if (rename(temp_path, path) < 0)
		return -1;
	sync_dir(sub);
	return 0;
}

int filestore_open(const char *dir, const char *sha, int64_t *size)
{
	char sub[FILESTORE_PATH_MAX], path[FILESTORE_PATH_MAX];
	if (store_path(dir, sha, sub, path) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	*size = (int64_t)st.st_size;
	return fd;
}

int filestore_sweep(const char *dir, int64_t now, int64_t age)
{
	char tmp[FILESTORE_PATH_MAX], path[FILESTORE_PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s/tmp", dir) >= (int)sizeof tmp)
		return 0;
	DIR *d = opendir(tmp);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "upload-", 7) != 0 ||
		    snprintf(path, sizeof path, "%s/%s", tmp, e->d_name) >= (int)sizeof path)
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < now - age && unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}
