#include "http/conns.h"
#include "core/clock.h"
#include "core/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define SWEEP_MS 200            /* how often the deadlines are checked */
#define REPORT_US (10 * 1000000LL)   /* at most one log line about drops per 10 s */
#define MHD_LOG_MAX 20                 /* libmicrohttpd's messages per REPORT_US */

/* Where a connection is. The first three have a list each, oldest first, so
 * the deadline checks and the choice of whom to drop look at list heads only. */
enum state { S_HEAD, S_IDLE, S_ACTIVE, S_BUSY, S_DROPPED };
#define NLISTS 3

struct conn {
	struct conn *prev, *next;
	int fd;
	enum state state;
	int64_t since_us;           /* entered the state, or last seen active */
};

struct list {
	struct conn *head, *tail;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static pthread_t sweeper;
static bool running, stopping;
static struct list lists[NLISTS];
static unsigned live;           /* tracked and not dropped */
static unsigned high_water;     /* above it, the longest idle go */
static struct conns_limits lim;
static unsigned long dropped_head, dropped_idle, dropped_cap;   /* since the last report */

unsigned conns_cap(unsigned wanted, unsigned others)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = { .rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return wanted;
	/* the database, uploads, logs and libmicrohttpd's own descriptors, and
	 * room for connections that are being closed */
	rlim_t reserve = rl.rlim_cur / 8 > (rlim_t)others ? rl.rlim_cur / 8 : (rlim_t)others;
	rlim_t room = rl.rlim_cur > reserve + 16 ? rl.rlim_cur - reserve : 16;
	return (rlim_t)wanted < room ? wanted : (unsigned)room;
}

static void unlink_conn(struct conn *k)
{
	if (k->state >= NLISTS)
		return;
	struct list *l = &lists[k->state];
	if (k->prev)
		k->prev->next = k->next;
	else
		l->head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NULL;
}

/* Moves k into state s as of now (to the tail of its list). */
static void enter(struct conn *k, enum state s)
{
	unlink_conn(k);
	k->state = s;
	k->since_us = clock_mono_us();
	if (s >= NLISTS)
		return;
	struct list *l = &lists[s];
	k->prev = l->tail;
	if (l->tail)
		l->tail->next = k;
	else
		l->head = k;
	l->tail = k;
}

static void drop(struct conn *k)
{
	unlink_conn(k);
	k->state = S_DROPPED;
	live--;
	shutdown(k->fd, SHUT_RDWR);   /* the fd stays open until libmicrohttpd closes it after CLOSED */
}

/* The connection idle the longest: the oldest head of the three lists. */
static struct conn *longest_idle(void)
{
	struct conn *best = NULL;
	for (int i = 0; i < NLISTS; i++)
		if (lists[i].head && (!best || lists[i].head->since_us < best->since_us))
			best = lists[i].head;
	return best;
}

static void make_room(void)
{
	struct conn *k;
	while (live > high_water && (k = longest_idle())) {
		drop(k);
		dropped_cap++;
	}
}

static void sweep(int64_t now)
{
	struct conn *k;
	int64_t head_us = (int64_t)lim.head_timeout * 1000000, idle_us = (int64_t)lim.idle_timeout * 1000000;
	while ((k = lists[S_HEAD].head) && now - k->since_us >= head_us) {
		drop(k);
		dropped_head++;
	}
	while ((k = lists[S_IDLE].head) && now - k->since_us >= idle_us) {
		drop(k);
		dropped_idle++;
	}
	make_room();
}

static void *sweeper_main(void *arg)
{
	(void)arg;
	int64_t reported = clock_mono_us();
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += SWEEP_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &lock, &t);
		if (stopping)
			break;
		int64_t now = clock_mono_us();
		sweep(now);
		if (now - reported >= REPORT_US && (dropped_head || dropped_idle || dropped_cap)) {
			unsigned long h = dropped_head, i = dropped_idle, c = dropped_cap;
			unsigned open = live;
			dropped_head = dropped_idle = dropped_cap = 0;
			reported = now;
			pthread_mutex_unlock(&lock);
			log_warn("connections: closed %lu with a request head slower than %us, %lu idle longer than %us, "
				 "%lu idle the longest to stay under %u (%u open)", h, lim.head_timeout, i,
				 lim.idle_timeout, c, lim.cap, open);
			pthread_mutex_lock(&lock);
		}
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int conns_start(const struct conns_limits *limits)
{
	lim = *limits;
	/* headroom: connections accepted while the dropped ones are still closing */
	unsigned margin = lim.cap / 16 > 2 ? lim.cap / 16 : 2;
	high_water = lim.cap > margin ? lim.cap - margin : 1;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&wake, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		return -1;
	stopping = false;
	if (pthread_create(&sweeper, NULL, sweeper_main, NULL) != 0) {
		pthread_cond_destroy(&wake);
		return -1;
	}
	running = true;
	return 0;
}

void conns_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(sweeper, NULL);
	pthread_cond_destroy(&wake);
	running = false;
	/* the daemon has closed every connection; what it did not report is forgotten */
	for (int i = 0; i < NLISTS; i++) {
		while (lists[i].head) {
			struct conn *k = lists[i].head;
			unlink_conn(k);
			free(k);
		}
	}
	live = 0;
}

void conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn *k = ci ? calloc(1, sizeof *k) : NULL;
		*socket_context = k;
		if (!k)
			return;   /* untracked: it keeps libmicrohttpd's own timeout */
		k->fd = ci->connect_fd;
		k->state = S_BUSY;   /* in no list yet */
		pthread_mutex_lock(&lock);
		enter(k, S_HEAD);
		live++;
		make_room();   /* at once: a visitor must not wait for the next sweep */
		pthread_mutex_unlock(&lock);
		return;
	}
	struct conn *k = *socket_context;
	if (!k)
		return;
	pthread_mutex_lock(&lock);
	if (k->state != S_DROPPED)
		live--;
	unlink_conn(k);
	pthread_mutex_unlock(&lock);
	free(k);
	*socket_context = NULL;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Moves the connection to state to, unless it was dropped already (or, with
 * only_from, unless it is in another state than only_from). */
static void move(struct MHD_Connection *c, enum state to, int only_from)
{
	struct conn *k = conn_of(c);
	if (!k)
		return;
	pthread_mutex_lock(&lock);
	if (k->state != S_DROPPED && (only_from < 0 || k->state == (enum state)only_from))
		enter(k, to);
	pthread_mutex_unlock(&lock);
}

/* The first request's head counts from the connect; a later one's from its request line. */
void conns_head_begins(struct MHD_Connection *c) { move(c, S_HEAD, S_IDLE); }
void conns_head_done(struct MHD_Connection *c) { move(c, S_ACTIVE, -1); }
void conns_active(struct MHD_Connection *c) { move(c, S_ACTIVE, -1); }
void conns_busy(struct MHD_Connection *c) { move(c, S_BUSY, -1); }
void conns_request_done(struct MHD_Connection *c) { move(c, S_IDLE, -1); }

static pthread_mutex_t mhd_log_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t mhd_log_window;
static int mhd_log_count;
static unsigned long mhd_log_skipped;

void conns_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	int64_t now = clock_mono_us();
	unsigned long skipped = 0;
	pthread_mutex_lock(&mhd_log_lock);
	if (now - mhd_log_window >= REPORT_US) {
		mhd_log_window = now;
		mhd_log_count = 0;
	}
	bool write = mhd_log_count < MHD_LOG_MAX;
	if (write) {
		mhd_log_count++;
		skipped = mhd_log_skipped;
		mhd_log_skipped = 0;
	} else {
		mhd_log_skipped++;
	}
	pthread_mutex_unlock(&mhd_log_lock);
	if (!write)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (skipped)
		log_warn("libmicrohttpd: %s (and %lu more messages left out before it)", msg, skipped);
	else
		log_warn("libmicrohttpd: %s", msg);
}
