/* The connections the server holds, kept answerable under a flood of slow
 * clients from many addresses (each under the per-address cap) without a
 * proxy in front:
 *   - a total cap below what the process can hold (its open-file limit);
 *   - a deadline for each request head: a connection whose request line and
 *     headers are not in within head_timeout seconds is closed, however
 *     steadily it dribbles bytes (libmicrohttpd's own timeout only counts
 *     silence); a kept-alive connection waiting for its next request has the
 *     longer idle_timeout instead;
 *   - when the cap is near, the connections idle the longest are dropped
 *     first, so a new visitor always finds room; connections whose request a
 *     handler is working on are never dropped.
 * A connection is dropped by shutting its socket down: libmicrohttpd sees
 * the end of the stream on its own thread and closes it as any other. */
#ifndef UNBOX_CONNS_H
#define UNBOX_CONNS_H
#include <microhttpd.h>
#include <stdarg.h>
#include <stdbool.h>

struct conns_limits {
	unsigned cap;               /* connections in all (conns_cap) */
	unsigned head_timeout;      /* seconds for the request line and headers */
	unsigned idle_timeout;      /* seconds a kept-alive connection may wait for its next request */
};

/* The total cap: wanted, lowered to what the open-file limit allows less a
 * reserve (others: the descriptors the database, files and the server's own
 * threads need; at least an eighth of the limit). Raises the soft limit to
 * the hard one first. */
unsigned conns_cap(unsigned wanted, unsigned others);

/* Starts the thread that enforces the deadlines. Returns 0 or -1. */
int conns_start(const struct conns_limits *limits);
/* Stops it and forgets every connection (after the daemon has stopped). */
void conns_stop(void);

/* For MHD_OPTION_NOTIFY_CONNECTION: tracks a connection from its start to its close. */
void conns_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe);

/* What happens on a connection, called from its libmicrohttpd callbacks. */
void conns_head_begins(struct MHD_Connection *c);   /* a request line is in (the URI callback) */
void conns_head_done(struct MHD_Connection *c);     /* the headers are in: a request is served */
void conns_active(struct MHD_Connection *c);        /* a part of the body came, or the answer was queued */
void conns_busy(struct MHD_Connection *c);          /* a handler thread works on it: never dropped */
void conns_request_done(struct MHD_Connection *c);  /* answered: idle until the next request */

/* For MHD_OPTION_EXTERNAL_LOGGER: libmicrohttpd's own messages into the
 * log, at most 20 in 10 seconds (it writes one for every connection a
 * client or the deadline closes mid-request: under a flood, thousands a
 * second); how many were left out is said with the next one written. */
void conns_mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
