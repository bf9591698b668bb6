/* Route matching against the real route table, and role checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/dialogue/idea.h"
#include "domain/password.h"
#include "domain/user.h"
#include "http/router.h"
#include "web/handlers.h"
#include "web/dialogue/handlers.h"
#include "web/portal/handlers.h"

static int setup(void **state)
{
	*state = arena_new(1024);
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static enum match match(void **state, const char *method, const char *path,
			const struct route **r, const char *params[4])
{
	*r = NULL;
	for (int i = 0; i < 4; i++)
		params[i] = "unset";
	return router_match(*state, method, path, r, params);
}

static void test_literal_routes(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_home_show);
	assert_string_equal(r->pattern, "/");
	assert_null(params[0]);
	assert_int_equal(match(state, "GET", "/healthz", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_health_show);
	assert_int_equal(r->flags & ROUTE_BARE, ROUTE_BARE);
	assert_int_equal(match(state, "POST", "/login", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_login_submit);
	/* room for the longest address and password, every byte of them percent-encoded */
	assert_true(r->body_max >= 12 * EMAIL_MAX + 3 * PASSWORD_MAX_BYTES);
	assert_int_equal(match(state, "GET", "/login", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_login_form);
	assert_int_equal(r->body_max, 0);
}

static void test_same_path_two_methods(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/ideas", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_ideas_list);
	assert_int_equal(match(state, "POST", "/ideas", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_idea_create);
	assert_int_equal(r->roles, ROLES_LOGGED_IN);
	/* a description at its limit in four-byte characters, percent-encoded, fits */
	assert_true(r->body_max >= 12 * IDEA_DESCRIPTION_MAX);
}

static void test_id_parameter(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/ideas/42", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_idea_show);
	assert_string_equal(params[0], "42");
	assert_null(params[1]);
	assert_int_equal(match(state, "GET", "/ideas/0", &r, params), MATCH_OK);
	assert_string_equal(params[0], "0");
	assert_int_equal(match(state, "GET", "/ideas/123456789012345678", &r, params), MATCH_OK);
	assert_string_equal(params[0], "123456789012345678");
	/* a literal segment wins over {id} because it comes first in the table */
	assert_int_equal(match(state, "GET", "/ideas/new", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_idea_form);
	assert_null(params[0]);
}

static void test_id_digits_only(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/ideas/abc", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/12a", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/-1", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/+1", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/1.5", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/12/", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/12/nothing", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/ideas/1234567890123456789", &r, params), MATCH_NONE);
	assert_null(r);
}

static void test_not_found(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/nope", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/login/", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/LOGIN", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "//", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "GET", "/loginx", &r, params), MATCH_NONE);
	assert_int_equal(match(state, "POST", "/nope", &r, params), MATCH_NONE);
	assert_null(r);
}

static void test_method_mismatch(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "DELETE", "/login", &r, params), MATCH_METHOD);
	assert_null(r);
	assert_int_equal(match(state, "POST", "/", &r, params), MATCH_METHOD);
	assert_int_equal(match(state, "POST", "/ideas/7", &r, params), MATCH_METHOD);
	assert_int_equal(match(state, "GET", "/logout", &r, params), MATCH_METHOD);
	assert_int_equal(match(state, "PUT", "/ideas", &r, params), MATCH_METHOD);
	assert_int_equal(match(state, "get", "/", &r, params), MATCH_METHOD);   /* methods are case-sensitive */
	/* HEAD is answered like GET, but only where there is a GET */
	assert_int_equal(match(state, "HEAD", "/logout", &r, params), MATCH_METHOD);
}

static void test_head_matches_get(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "HEAD", "/", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_home_show);
	assert_string_equal(r->method, "GET");
	assert_int_equal(match(state, "HEAD", "/ideas/9", &r, params), MATCH_OK);
	assert_ptr_equal(r->handler, page_idea_show);
	assert_string_equal(params[0], "9");
}

static void test_table_is_well_formed(void **state)
{
	/* every route is reachable: the first match for its own method and
	 * a sample path is the route itself */
	for (size_t i = 0; i < routes_count; i++) {
		char path[128];
		const char *p = routes[i].pattern;
		size_t n = 0;
		while (*p && n < sizeof path - 4) {
			if (*p == '{') {
				path[n++] = '7';
				p = strchr(p, '}') + 1;
			} else {
				path[n++] = *p++;
			}
		}
		path[n] = '\0';
		const struct route *r;
		const char *params[4];
		assert_int_equal(match(state, routes[i].method, path, &r, params), MATCH_OK);
		assert_ptr_equal(r, &routes[i]);
		assert_non_null(r->handler);
		if (strcmp(r->method, "GET") == 0)
			assert_int_equal(r->body_max, 0);
		/* an upload route says what files it takes, and its body has room for one whole file */
		assert_int_equal(!!(r->flags & ROUTE_UPLOAD), r->upload != NULL);
		if (r->upload) {
			assert_string_equal(r->method, "POST");
			assert_true(r->upload->files_max >= 1);
			assert_true(r->upload->file_max > 0 && (size_t)r->upload->file_max < r->body_max);
		}
	}
}

static void test_allows_everyone(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/ideas", &r, params), MATCH_OK);
	assert_int_equal(r->roles, 0);
	assert_true(router_allows(r, NULL));
	assert_true(router_allows(r, "resident"));
	assert_true(router_allows(r, "not-a-role"));
}

static void test_allows_logged_in(void **state)
{
	const struct route *r;
	const char *params[4];
	assert_int_equal(match(state, "GET", "/profile", &r, params), MATCH_OK);
	assert_int_equal(r->roles, ROLES_LOGGED_IN);
	for (int i = 0; user_roles[i]; i++)
		assert_true(router_allows(r, user_roles[i]));
	assert_false(router_allows(r, NULL));
	assert_false(router_allows(r, ""));
	assert_false(router_allows(r, "Admin"));
	assert_false(router_allows(r, "superuser"));
}

static void test_allows_role_bits(void **state)
{
	/* bit i stands for user_roles[i]: resident team spurgruppe committee supporter steward admin */
	struct route staff = { "GET", "/x", page_home_show, ROLE_BIT(1) | ROLE_BIT(3) | ROLE_BIT(6), 0, 0 };
	assert_false(router_allows(&staff, "resident"));
	assert_true(router_allows(&staff, "team"));
	assert_false(router_allows(&staff, "spurgruppe"));
	assert_true(router_allows(&staff, "committee"));
	assert_false(router_allows(&staff, "supporter"));
	assert_false(router_allows(&staff, "steward"));
	assert_true(router_allows(&staff, "admin"));
	assert_false(router_allows(&staff, NULL));

	struct route admin_only = { "GET", "/y", page_home_show, ROLE_BIT(6), 0, 0 };
	assert_true(router_allows(&admin_only, "admin"));
	assert_false(router_allows(&admin_only, "team"));
	assert_int_equal(ROLES_LOGGED_IN, ROLE_BIT(0) | ROLE_BIT(1) | ROLE_BIT(2) | ROLE_BIT(3) |
					  ROLE_BIT(4) | ROLE_BIT(5) | ROLE_BIT(6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_path_two_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_parameter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_digits_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_matches_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_is_well_formed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allows_everyone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allows_logged_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allows_role_bits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
