#include "http/cache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;
	char *body;
	size_t len;
	const char *type;
	int64_t version, stored_at;
};

static struct entry slots[CACHE_SLOTS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;     /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)(h % CACHE_SLOTS);
}

void cache_init(void)
{
	cache_free();
}

void cache_free(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].body);
		memset(&slots[i], 0, sizeof slots[i]);
	}
	pthread_rwlock_unlock(&lock);
}

bool cache_get(const char *key, int64_t version, int64_t now, struct buf *out, const char **type)
{
	struct entry *e = &slots[slot_of(key)];
	bool hit = false;
	pthread_rwlock_rdlock(&lock);
	if (e->key && e->version == version && now - e->stored_at < CACHE_TTL && strcmp(e->key, key) == 0) {
		hit = buf_add(out, e->body, e->len);
		*type = e->type;
	}
	pthread_rwlock_unlock(&lock);
	return hit;
}

void cache_put(const char *key, int64_t version, int64_t now, const char *body, size_t len, const char *type)
{
	if (len > CACHE_MAX_BODY)
		return;
	char *k = strdup(key), *b = malloc(len ? len : 1);
	if (!k || !b) {
		free(k);
		free(b);
		return;
	}
	memcpy(b, body, len);
	struct entry *e = &slots[slot_of(key)];
	pthread_rwlock_wrlock(&lock);
	free(e->key);       /* one entry per slot: a colliding key replaces it */
	free(e->body);
	*e = (struct entry){ .key = k, .body = b, .len = len, .type = type, .version = version, .stored_at = now };
	pthread_rwlock_unlock(&lock);
}
