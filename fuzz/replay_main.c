/* Replays a corpus directory through one fuzz harness without libFuzzer:
 *
 *   replay_<name> fuzz/corpus/<name>
 *
 * Every regular file in the directory (sorted by name, dot files skipped) is
 * passed to LLVMFuzzerTestOneInput once; one line per file goes to stdout.
 * A harness reports a failure by crashing or aborting, which the sanitizers
 * turn into a non-zero exit. Exits 2 when the directory is missing or holds
 * no inputs. */
#include "fuzz.h"
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, len = 0;
	uint8_t *p = malloc(cap);
	for (;;) {
		if (!p) {
			fclose(f);
			return -1;
		}
		len += fread(p + len, 1, cap - len, f);
		if (len < cap)
			break;
		uint8_t *q = realloc(p, cap * 2);
		if (!q)
			free(p);
		p = q;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(p);
		return -1;
	}
	/* an exact-size copy, so reads past the input show up under ASan */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(p);
		return -1;
	}
	memcpy(exact, p, len);
	free(p);
	*data = exact;
	*size = len;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: cannot open directory %s\n", argv[0], dir);
		return 2;
	}
	char **names = NULL;
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **more = realloc(names, (count + 1) * sizeof *names);
		if (!more || !(more[count] = strdup(e->d_name))) {
			fprintf(stderr, "%s: out of memory\n", argv[0]);
			return 2;
		}
		names = more;
		count++;
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof *names, by_name);

	size_t run = 0;
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(plen);
		if (!path) {
			rc = 2;
			break;
		}
		snprintf(path, plen, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			uint8_t *data;
			size_t size;
			if (read_file(path, &data, &size) < 0) {
				fprintf(stderr, "%s: cannot read %s\n", argv[0], path);
				rc = 1;
			} else {
				LLVMFuzzerTestOneInput(data, size);
				free(data);
				printf("ok %s (%zu bytes)\n", names[i], size);
				fflush(stdout);
				run++;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	if (!run && rc == 0) {
		fprintf(stderr, "%s: no inputs in %s\n", argv[0], dir);
		rc = 2;
	}
	return rc;
}
