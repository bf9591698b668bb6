#include "http/static.h"
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATIC_MAX_FILES 512
#define STATIC_MAX_BYTES (8u << 20)   /* per file */

static struct static_file files[STATIC_MAX_FILES];
static size_t nfiles;

static const struct { const char *ext, *type; } types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".woff2", "font/woff2" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".geojson", "application/geo+json" },
};

static const char *type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return NULL;
}

static int add_file(const char *fs_path, const char *url, const char *type, char *err, size_t errlen)
{
	if (nfiles == STATIC_MAX_FILES) {
		snprintf(err, errlen, "too many static files");
		return -1;
	}
	FILE *f = fopen(fs_path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || st.st_size > STATIC_MAX_BYTES) {
		snprintf(err, errlen, "cannot read %s", fs_path);
		if (f)
			fclose(f);
		return -1;
	}
	char *data = malloc((size_t)st.st_size + 1);
	if (!data || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(data);
		fclose(f);
		snprintf(err, errlen, "cannot read %s", fs_path);
		return -1;
	}
	fclose(f);
	char *path = strdup(url);
	if (!path) {
		free(data);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct static_file *sf = &files[nfiles++];
	sf->path = path;
	sf->content_type = type;
	sf->data = data;
	sf->len = (size_t)st.st_size;
	unsigned char h[8];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, sf->len, NULL, 0);
	char hex[17];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(sf->etag, sizeof sf->etag, "\"%s\"", hex);
	return 0;
}

static int walk(const char *dir, const char *url_prefix, int depth, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot open %s", dir);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char fs[4096], url[1024];
		snprintf(fs, sizeof fs, "%s/%s", dir, e->d_name);
		snprintf(url, sizeof url, "%s/%s", url_prefix, e->d_name);
		struct stat st;
		if (stat(fs, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 4)
				rc = walk(fs, url, depth + 1, err, errlen);
		} else if (type_of(e->d_name)) {
			rc = add_file(fs, url, type_of(e->d_name), err, errlen);
		}
	}
	closedir(d);
	return rc;
}

int static_load(const char *own_dir, const char *kern_dir, char *err, size_t errlen)
{
	if (walk(own_dir, "/static", 0, err, errlen) < 0 || walk(kern_dir, "/static/kern", 0, err, errlen) < 0)
		return -1;
	return (int)nfiles;
}

const struct static_file *static_find(const char *url_path)
{
	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(files[i].path, url_path) == 0)
			return &files[i];
	return NULL;
}

void static_free(void)
{
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	nfiles = 0;
}
