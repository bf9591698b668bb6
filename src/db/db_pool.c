#include "db/db_pool.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
	struct db *db;       /* NULL: not opened (yet, or again after a break) */
	bool taken;
};

struct db_pool {
	char *dsn;
	int size;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct slot slots[];
};

struct db_pool *db_pool_new(const char *dsn, int size)
{
	if (size < 1)
		size = 1;
	struct db_pool *p = calloc(1, sizeof *p + (size_t)size * sizeof p->slots[0]);
	if (!p)
		return NULL;
	p->dsn = strdup(dsn);
	if (!p->dsn) {
		free(p);
		return NULL;
	}
	p->size = size;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	return p;
}

const char *db_pool_dsn(const struct db_pool *p)
{
	return p->dsn;
}

struct db *db_pool_get(struct db_pool *p, int wait_ms, char *err, size_t errlen)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += wait_ms / 1000;
	deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	for (;;) {
		/* an open free connection first, else a free slot to open */
		struct slot *pick = NULL;
		for (int i = 0; i < p->size; i++) {
			if (!p->slots[i].taken && p->slots[i].db) {
				pick = &p->slots[i];
				break;
			}
			if (!p->slots[i].taken && !pick)
				pick = &p->slots[i];
		}
		if (pick) {
			pick->taken = true;
			struct db *db = pick->db;
			pthread_mutex_unlock(&p->lock);
			if (db)
				return db;
			db = db_open(p->dsn, err, errlen);   /* slow: outside the lock */
			pthread_mutex_lock(&p->lock);
			pick->db = db;
			if (!db) {
				pick->taken = false;
				pthread_cond_signal(&p->freed);
			}
			pthread_mutex_unlock(&p->lock);
			return db;
		}
		if (pthread_cond_timedwait(&p->freed, &p->lock, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&p->lock);
			snprintf(err, errlen, "all %d database connections are busy", p->size);
			return NULL;
		}
	}
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	if (!db)
		return;
	bool broken = db_broken(db);
	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < p->size; i++) {
		if (p->slots[i].db == db) {
			if (broken)
				p->slots[i].db = NULL;
			p->slots[i].taken = false;
			break;
		}
	}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
	if (broken)
		db_close(db);
}

void db_pool_free(struct db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		db_close(p->slots[i].db);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p->dsn);
	free(p);
}
