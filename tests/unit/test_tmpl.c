/* Mustache-style templates: values and escaping, sections, partials,
 * translations, comments, parse errors and template sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "web/tmpl.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static json_t *model_of(const char *json)
{
	json_error_t e;
	json_t *m = json_loads(json, 0, &e);
	if (!m)
		fail_msg("bad test JSON: %s", e.text);
	return m;
}

static struct tmpl *parse_ok(const char *name, const char *src)
{
	char err[128] = "";
	struct tmpl *t = tmpl_parse(name, src, strlen(src), err, sizeof err);
	if (!t)
		fail_msg("parse of \"%s\" failed: %s", src, err);
	return t;
}

/* Parses and renders src with the model; returns the output (caller frees)
 * or NULL when rendering failed. */
static char *render_with(const char *src, const char *json, const struct tmpl_set *partials,
			 tmpl_translate_fn tr, void *ctx)
{
	struct tmpl *t = parse_ok("test", src);
	json_t *m = model_of(json);
	struct buf out;
	buf_init(&out, 0);
	int rc = tmpl_render(t, partials, m, tr, ctx, &out);
	json_decref(m);
	tmpl_free(t);
	char *s = buf_detach(&out, NULL);
	if (rc != 0) {
		free(s);
		return NULL;
	}
	return s;
}

#define CHECK(src, json, want) do { \
		char *got_ = render_with(src, json, NULL, NULL, NULL); \
		assert_non_null(got_); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)

static void parse_fails(const char *src, const char *want_err)
{
	char err[128] = "";
	struct tmpl *t = tmpl_parse("bad", src, strlen(src), err, sizeof err);
	if (t) {
		tmpl_free(t);
		fail_msg("\"%s\" parsed", src);
	}
	assert_string_equal(err, want_err);
}

static void test_variables(void **state)
{
	CHECK("Hello {{name}}!", "{\"name\":\"World\"}", "Hello World!");
	CHECK("{{ name }}|{{\tname\t}}", "{\"name\":\"x\"}", "x|x");
	CHECK("no tags at all", "{}", "no tags at all");
	CHECK("", "{}", "");
	CHECK("{{i}}|{{neg}}|{{r}}|{{t}}|{{f}}|{{n}}|{{missing}}|",
	      "{\"i\":42,\"neg\":-7,\"r\":1.5,\"t\":true,\"f\":false,\"n\":null}",
	      "42|-7|1.5|true||||");
	CHECK("[{{o}}][{{a}}]", "{\"o\":{\"k\":1},\"a\":[1,2]}", "[][]");
	CHECK("{ {single} } {{x}}}", "{\"x\":\"v\"}", "{ {single} } v}");
}

static void test_escaping(void **state)
{
	CHECK("{{v}}", "{\"v\":\"<b>&\\\"'`=</b>\"}", "&lt;b&gt;&amp;&quot;&#39;&#96;&#61;&lt;/b&gt;");
	CHECK("<a title=\"{{v}}\">", "{\"v\":\"\\\" onmouseover=\\\"alert(1)\"}",
	      "<a title=\"&quot; onmouseover&#61;&quot;alert(1)\">");
	CHECK("{{v}}", "{\"v\":\"Gr\\u00fc\\u00dfe\"}", "Grüße");
}

static void test_triple_mustache_raw(void **state)
{
	CHECK("{{{html}}}", "{\"html\":\"<p>a & b</p>\"}", "<p>a & b</p>");
	CHECK("{{{ html }}}", "{\"html\":\"<br>\"}", "<br>");
	CHECK("{{{n}}}", "{\"n\":7}", "7");
	CHECK("{{{html}}}|{{html}}", "{\"html\":\"<i>\"}", "<i>|&lt;i&gt;");
}

static void test_sections_over_arrays(void **state)
{
	CHECK("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
	      "{\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"},{\"name\":\"c\"}]}",
	      "<ul><li>a</li><li>&lt;b&gt;</li><li>c</li></ul>");
	CHECK("{{#tags}}[{{.}}]{{/tags}}", "{\"tags\":[\"x\",\"<y>\",3]}", "[x][&lt;y&gt;][3]");
	CHECK("{{#rows}}{{#.}}{{.}},{{/.}};{{/rows}}", "{\"rows\":[[1,2],[3]]}", "1,2,;3,;");
	CHECK("a{{#items}}never{{/items}}b", "{\"items\":[]}", "ab");
}

static void test_sections_over_objects_and_values(void **state)
{
	CHECK("{{#user}}{{name}} ({{role}}){{/user}}",
	      "{\"user\":{\"name\":\"Anna\",\"role\":\"admin\"}}", "Anna (admin)");
	CHECK("{{#empty}}once{{/empty}}", "{\"empty\":{}}", "once");
	CHECK("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", "{\"yes\":true,\"no\":false}", "Y");
	CHECK("{{#s}}[{{.}}]{{/s}}", "{\"s\":\"hi\"}", "[hi]");
	CHECK("{{#one}}1{{/one}}{{#zero}}0{{/zero}}", "{\"one\":1,\"zero\":0}", "1");
	CHECK("{{#s}}x{{/s}}{{#n}}x{{/n}}{{#missing}}x{{/missing}}", "{\"s\":\"\",\"n\":null}", "");
}

static void test_inverted_sections(void **state)
{
	const char *src = "{{^items}}none{{/items}}";
	CHECK(src, "{\"items\":[]}", "none");
	CHECK(src, "{\"items\":[1]}", "");
	CHECK(src, "{}", "none");
	CHECK(src, "{\"items\":false}", "none");
	CHECK(src, "{\"items\":null}", "none");
	CHECK(src, "{\"items\":\"\"}", "none");
	CHECK(src, "{\"items\":0}", "none");
	CHECK(src, "{\"items\":{}}", "");
	CHECK(src, "{\"items\":true}", "");
	CHECK("{{#list}}{{.}}{{/list}}{{^list}}empty{{/list}}", "{\"list\":[1,2]}", "12");
	/* the inverted section does not push a context */
	CHECK("{{^off}}{{title}}{{/off}}", "{\"off\":false,\"title\":\"T\"}", "T");
}

static void test_dotted_names(void **state)
{
	const char *m = "{\"a\":{\"b\":{\"c\":\"deep\"},\"s\":\"str\"}}";
	CHECK("{{a.b.c}}", m, "deep");
	CHECK("[{{a.x}}][{{a.b.c.d}}][{{a.s.t}}][{{x.y}}]", m, "[][][][]");
	CHECK("{{#a.b}}{{c}}{{/a.b}}", m, "deep");
	CHECK("{{^a.b.none}}no{{/a.b.none}}", m, "no");
}

static void test_context_lookup_outward(void **state)
{
	CHECK("{{#items}}{{name}}:{{title}};{{/items}}",
	      "{\"title\":\"T\",\"items\":[{\"name\":\"x\"},{\"name\":\"y\",\"title\":\"own\"}]}",
	      "x:T;y:own;");
	CHECK("{{#items}}{{page.lang}}{{/items}}",
	      "{\"page\":{\"lang\":\"de\"},\"items\":[{\"n\":1},{\"n\":2}]}", "dede");
	/* a dotted name resolves its first part outwards, the rest only inside it */
	CHECK("{{#inner}}{{page.lang}}{{/inner}}",
	      "{\"page\":{\"lang\":\"de\"},\"inner\":{\"page\":{\"x\":1}}}", "");
	CHECK("{{#outer}}{{#inner}}{{a}}{{b}}{{c}}{{/inner}}{{/outer}}",
	      "{\"a\":1,\"outer\":{\"b\":2,\"inner\":{\"c\":3}}}", "123");
	/* a scalar context has no names; lookup continues outwards */
	CHECK("{{#tags}}{{.}}-{{sep}}{{/tags}}", "{\"sep\":\"|\",\"tags\":[\"a\",\"b\"]}", "a-|b-|");
}

static void test_nested_loops(void **state)
{
	CHECK("{{#groups}}{{name}}({{#members}}{{.}}{{/members}}){{/groups}}",
	      "{\"groups\":[{\"name\":\"g1\",\"members\":[\"a\",\"b\"]},{\"name\":\"g2\",\"members\":[]}]}",
	      "g1(ab)g2()");
}

static void test_comments(void **state)
{
	CHECK("a{{! a comment }}b", "{}", "ab");
	CHECK("a{{!multi\nline\ncomment}}b", "{}", "ab");
	CHECK("{{!}}x", "{}", "x");
}

/* the translator's context: the language */
static char de[] = "de", en[] = "en";

static const char *translate(void *ctx, const char *msgid)
{
	const char *lang = ctx;
	if (strcmp(lang, "de") == 0) {
		if (strcmp(msgid, "Log in") == 0)
			return "Anmelden";
		if (strcmp(msgid, "Terms") == 0)
			return "AGB & \"Datenschutz\"";
	}
	return msgid;
}

static void test_translations(void **state)
{
	const char *src = "<a>{{_Log in}}</a>|{{_ Log in }}|{{_Terms}}|{{_Unknown <text>}}";
	char *got = render_with(src, "{}", NULL, translate, de);
	assert_non_null(got);
	assert_string_equal(got, "<a>Anmelden</a>|Anmelden|AGB &amp; &quot;Datenschutz&quot;|Unknown &lt;text&gt;");
	free(got);
	got = render_with(src, "{}", NULL, translate, en);
	assert_string_equal(got, "<a>Log in</a>|Log in|Terms|Unknown &lt;text&gt;");
	free(got);
	/* without a translate function the id itself is shown, escaped */
	got = render_with("{{_Save & close}}", "{}", NULL, NULL, NULL);
	assert_string_equal(got, "Save &amp; close");
	free(got);
	/* translation tags work inside sections */
	got = render_with("{{#items}}{{_Log in}}{{/items}}", "{\"items\":[1,2]}", NULL, translate, de);
	assert_string_equal(got, "AnmeldenAnmelden");
	free(got);
}

static void test_partials(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_non_null(set);
	assert_int_equal(tmpl_set_add(set, parse_ok("card", "<p>{{name}}{{#tags}} #{{.}}{{/tags}}</p>")), 0);
	assert_int_equal(tmpl_set_add(set, parse_ok("footer", "<footer>{{_Log in}} {{site}}</footer>")), 0);
	char *got = render_with("{{#items}}{{>card}}{{/items}}{{> footer }}",
				"{\"site\":\"un:box\",\"items\":[{\"name\":\"a\",\"tags\":[\"x\"]},{\"name\":\"<b>\"}]}",
				set, translate, de);
	assert_non_null(got);
	assert_string_equal(got, "<p>a #x</p><p>&lt;b&gt;</p><footer>Anmelden un:box</footer>");
	free(got);

	/* a partial may include another one */
	assert_int_equal(tmpl_set_add(set, parse_ok("page", "[{{>footer}}]")), 0);
	got = render_with("{{>page}}", "{\"site\":\"S\"}", set, NULL, NULL);
	assert_string_equal(got, "[<footer>Log in S</footer>]");
	free(got);
	tmpl_set_free(set);
}

static void test_missing_partial_fails(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, parse_ok("card", "x")), 0);
	assert_null(render_with("a{{>nope}}b", "{}", set, NULL, NULL));
	assert_null(render_with("a{{>card}}b", "{}", NULL, NULL, NULL));
	/* a missing partial inside a section that is not rendered does no harm */
	char *got = render_with("a{{#off}}{{>nope}}{{/off}}b", "{\"off\":false}", set, NULL, NULL);
	assert_string_equal(got, "ab");
	free(got);
	tmpl_set_free(set);
}

static void test_recursive_partial_is_bounded(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, parse_ok("self", "x{{>self}}")), 0);
	assert_null(render_with("{{>self}}", "{}", set, NULL, NULL));
	tmpl_set_free(set);
}

static void test_set_add_replaces(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_null(tmpl_set_get(set, "a"));
	assert_int_equal(tmpl_set_add(set, parse_ok("a", "first")), 0);
	assert_int_equal(tmpl_set_add(set, parse_ok("b", "bee")), 0);
	assert_int_equal(tmpl_set_add(set, parse_ok("a", "second")), 0);
	char *got = render_with("{{>a}}{{>b}}", "{}", set, NULL, NULL);
	assert_string_equal(got, "secondbee");
	free(got);
	assert_non_null(tmpl_set_get(set, "b"));
	assert_null(tmpl_set_get(set, "c"));
	assert_null(tmpl_set_get(NULL, "a"));
	tmpl_set_free(set);
	tmpl_set_free(NULL);
	tmpl_free(NULL);
}

static void test_parse_errors(void **state)
{
	parse_fails("Hello {{name", "line 1: unclosed tag");
	parse_fails("{{{raw}}", "line 1: unclosed tag");
	parse_fails("{{#a}}x{{/b}}", "line 1: closing tag does not match its section");
	parse_fails("{{#a}}{{#b}}x{{/a}}{{/b}}", "line 1: closing tag does not match its section");
	parse_fails("a\n{{#a}}x", "line 2: section is not closed");
	parse_fails("{{^a}}x", "line 1: section is not closed");
	parse_fails("l1\nl2\n{{/x}}", "line 3: closing tag without a section");
	parse_fails("{{}}", "line 1: empty tag");
	parse_fails("{{  }}", "line 1: empty tag");
	parse_fails("{{>}}", "line 1: empty tag");
	parse_fails("{{_}}", "line 1: empty tag");
	parse_fails("{{#}}x{{/}}", "line 1: section without a name");
	parse_fails("{{^ }}", "line 1: section without a name");
	/* comments may span lines, and the lines still count */
	parse_fails("{{!a\nb}}\n{{/x}}", "line 3: closing tag without a section");

	char err[128] = "";
	assert_null(tmpl_parse("bad", "{{na\nme}}", 10, err, sizeof err));
	assert_non_null(strstr(err, ": line break inside a tag"));
}

static void test_nesting_depth(void **state)
{
	char src[1024];
	size_t n = 0;
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#t}}");
	n += (size_t)snprintf(src + n, sizeof src - n, "x");
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{/t}}");
	char *got = render_with(src, "{\"t\":true}", NULL, NULL, NULL);
	assert_non_null(got);
	assert_string_equal(got, "x");
	free(got);

	n = 0;
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{#t}}");
	n += (size_t)snprintf(src + n, sizeof src - n, "x");
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		n += (size_t)snprintf(src + n, sizeof src - n, "{{/t}}");
	parse_fails(src, "line 1: sections nested too deeply");
}

static void test_output_overflow(void **state)
{
	struct tmpl *t = parse_ok("big", "{{#items}}{{.}}{{/items}}");
	json_t *m = model_of("{\"items\":[\"0123456789\",\"0123456789\",\"0123456789\"]}");
	struct buf out;
	buf_init(&out, 25);
	assert_int_equal(tmpl_render(t, NULL, m, NULL, NULL, &out), -1);
	buf_free(&out);
	buf_init(&out, 30);
	assert_int_equal(tmpl_render(t, NULL, m, NULL, NULL, &out), 0);
	assert_int_equal(out.len, 30);
	buf_free(&out);
	json_decref(m);
	tmpl_free(t);
}

static void test_parse_respects_length(void **state)
{
	char err[64] = "";
	const char *src = "abc{{x}}";
	struct tmpl *t = tmpl_parse("n", src, 3, err, sizeof err);
	assert_non_null(t);
	json_t *m = model_of("{\"x\":\"no\"}");
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(tmpl_render(t, NULL, m, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "abc");
	buf_free(&out);
	json_decref(m);
	tmpl_free(t);
	/* a tag cut by the length is unclosed */
	assert_null(tmpl_parse("n", src, 7, err, sizeof err));
	assert_string_equal(err, "line 1: unclosed tag");
}

/* ---- loading from directories ---- */

static char dir[64];

static void write_file(const char *sub, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_tree(void)
{
	static const char *const files[] = { "base/page.html", "base/card.html", "base/notes.txt",
					     "base/broken.html", "theme/card.html", "base/area/page.html",
					     "base/area/part.html", "theme/area/part.html" };
	char path[256];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	static const char *const dirs[] = { "base/area", "theme/area", "base", "theme" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
		rmdir(path);
	}
	rmdir(dir);
}

static void test_set_load_with_theme(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/unbox-tmpl-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/base", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/theme", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file("base", "page.html", "<main>{{>card}}</main>");
	write_file("base", "card.html", "plain {{name}}");
	write_file("base", "notes.txt", "{{ not a template");
	write_file("theme", "card.html", "themed {{name}}");
	/* an area's folder: its templates are named "area/…", in a theme too */
	snprintf(path, sizeof path, "%s/base/area", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/theme/area", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file("base/area", "page.html", "<div>{{>card}} {{>area/part}}</div>");
	write_file("base/area", "part.html", "part");
	write_file("theme/area", "part.html", "themed part");

	char err[256] = "";
	snprintf(path, sizeof path, "%s/base", dir);
	struct tmpl_set *set = tmpl_set_load(path, "", err, sizeof err);
	assert_non_null(set);
	assert_null(tmpl_set_get(set, "notes"));
	json_t *m = model_of("{\"name\":\"N\"}");
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(tmpl_render(tmpl_set_get(set, "page"), set, m, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "<main>plain N</main>");
	buf_clear(&out);
	assert_int_equal(tmpl_render(tmpl_set_get(set, "area/page"), set, m, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "<div>plain N part</div>");
	tmpl_set_free(set);

	char theme[256];
	snprintf(theme, sizeof theme, "%s/theme", dir);
	set = tmpl_set_load(path, theme, err, sizeof err);
	assert_non_null(set);
	buf_clear(&out);
	assert_int_equal(tmpl_render(tmpl_set_get(set, "page"), set, m, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "<main>themed N</main>");
	buf_clear(&out);
	assert_int_equal(tmpl_render(tmpl_set_get(set, "area/page"), set, m, NULL, NULL, &out), 0);
	assert_string_equal(out.data, "<div>themed N themed part</div>");
	tmpl_set_free(set);
	buf_free(&out);
	json_decref(m);

	write_file("base", "broken.html", "ok\n{{#open}}");
	set = tmpl_set_load(path, NULL, err, sizeof err);
	assert_null(set);
	char want[300];
	snprintf(want, sizeof want, "%s/broken.html: line 2: section is not closed", path);
	assert_string_equal(err, want);

	assert_null(tmpl_set_load("/nonexistent/templates", NULL, err, sizeof err));
	assert_string_equal(err, "cannot open template directory /nonexistent/templates");
	remove_tree();
}

static void test_project_templates_parse(void **state)
{
	char err[512] = "";
	struct tmpl_set *set = tmpl_set_load(SOURCE_ROOT "/templates", NULL, err, sizeof err);
	if (!set)
		fail_msg("%s", err);
	assert_non_null(tmpl_set_get(set, "layout"));
	assert_non_null(tmpl_set_get(set, "dialogue/idea"));   /* an area's folder */
	assert_non_null(tmpl_set_get(set, "portal/home"));
	tmpl_set_free(set);
}

/* A section tag, closing tag or comment alone on its line leaves no blank
 * line behind; beside other text, nothing around it is touched. */
static void test_standalone_lines(void **state)
{
	(void)state;
	CHECK("<ol>\n  {{#items}}\n  <li>{{.}}</li>\n  {{/items}}\n</ol>\n", "{\"items\": [1, 2]}",
	      "<ol>\n  <li>1</li>\n  <li>2</li>\n</ol>\n");
	CHECK("a\n  {{^x}}\n  none\n  {{/x}}\nb", "{}", "a\n  none\nb");
	CHECK("a\n{{! a note }}\nb", "{}", "a\nb");
	CHECK("a\r\n\t{{#x}}\r\nyes\r\n{{/x}}\r\n", "{\"x\": true}", "a\r\nyes\r\n");
	CHECK("{{#x}}\nfirst line\n{{/x}}", "{\"x\": true}", "first line\n");   /* at the start and the end */
	/* not alone on the line: kept as written */
	CHECK("<p> {{#x}}yes{{/x}} </p>\n", "{\"x\": true}", "<p> yes </p>\n");
	CHECK("a {{#x}}\nb\n{{/x}} c", "{\"x\": true}", "a \nb\n c");
	/* a variable on its own line stays a line */
	CHECK("a\n  {{v}}\nb", "{\"v\": \"V\"}", "a\n  V\nb");
}

/* Dotted names found from an inner context: the first part from the
 * innermost context that has it, the rest inside it; "." the current item. */
static void test_dotted_names_from_inside(void **state)
{
	(void)state;
	CHECK("{{a.b.c}}|{{#a}}{{b.c}}{{/a}}|{{a.x.c}}", "{\"a\": {\"b\": {\"c\": 7}}}", "7|7|");
	CHECK("{{#list}}{{.}},{{/list}}", "{\"list\": [\"p\", \"q\"]}", "p,q,");
	CHECK("{{#inner}}{{outer.v}}{{/inner}}", "{\"inner\": {\"w\": 1}, \"outer\": {\"v\": \"o\"}}", "o");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_triple_mustache_raw),
		cmocka_unit_test(test_sections_over_arrays),
		cmocka_unit_test(test_sections_over_objects_and_values),
		cmocka_unit_test(test_inverted_sections),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_context_lookup_outward),
		cmocka_unit_test(test_nested_loops),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_translations),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_missing_partial_fails),
		cmocka_unit_test(test_recursive_partial_is_bounded),
		cmocka_unit_test(test_set_add_replaces),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_nesting_depth),
		cmocka_unit_test(test_output_overflow),
		cmocka_unit_test(test_parse_respects_length),
		cmocka_unit_test(test_set_load_with_theme),
		cmocka_unit_test(test_project_templates_parse),
		cmocka_unit_test(test_standalone_lines),
		cmocka_unit_test(test_dotted_names_from_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
