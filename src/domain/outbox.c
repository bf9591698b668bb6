#include "domain/outbox.h"
#include "core/clock.h"
#include "core/log.h"

static bool echo;

void outbox_set_echo(bool on)
{
	echo = on;
}

int outbox_add(struct db *db, const char *to, const char *subject, const char *body)
{
	int rc = db_run(db, "INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)",
			"sssi", to, subject, body, clock_now());
	if (rc == DB_OK && echo)
		log_info("outbox (demo): to=%s subject=\"%s\"\n%s", to, subject, body);
	return rc;
}
