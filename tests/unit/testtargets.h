/* For the tests of the shared dialogue services on ideas: the areas'
 * kinds of target (areas_init), and the reads of domain/comment.h and the
 * hiding of domain/moderation.h in the shape the tests assert on: a
 * failure of the database fails the test, "no such thing" is NULL.
 * Include after cmocka.h. */
#ifndef UNBOX_TESTTARGETS_H
#define UNBOX_TESTTARGETS_H
#include "http/router.h"
#include "domain/comment.h"
#include "domain/moderation.h"
#include "domain/dialogue/targets.h"

static inline json_t *threads_page(struct db *db, const char *lang, int64_t idea, const struct comment_viewer *v,
			      int64_t before, int limit)
{
	json_t *page;
	int found = comment_threads(db, lang, &idea_target, idea, v, before, limit, &page);
	assert_true(found >= 0);
	return page;
}

static inline json_t *comment_one(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v)
{
	json_t *c;
	assert_true(comment_get(db, lang, id, v, &c) >= 0);
	return c;
}

static inline json_t *replies_of(struct db *db, const char *lang, int64_t id, const struct comment_viewer *v,
				 int64_t after, int limit)
{
	json_t *page;
	assert_true(comment_replies(db, lang, id, v, after, limit, &page) >= 0);
	return page;
}

/* Hides or shows an item; *idea: the idea it shows on. */
static inline int hide_on(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor,
			  const char *reason, int64_t now, struct field_errors *fe, int64_t *idea)
{
	const struct target_kind *page = NULL;
	int rc = moderation_hide(db, kind, id, actor, reason, now, fe, &page, idea);
	if (rc == MOD_OK)
		assert_ptr_equal(page, &idea_target);
	return rc;
}

static inline int unhide_on(struct db *db, const struct target_kind *kind, int64_t id, int64_t actor, int64_t now,
			    int64_t *idea)
{
	const struct target_kind *page = NULL;
	int rc = moderation_unhide(db, kind, id, actor, now, &page, idea);
	if (rc == MOD_OK)
		assert_ptr_equal(page, &idea_target);
	return rc;
}

#endif
