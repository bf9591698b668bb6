/* The file store (domain/filestore.h) in a temporary directory, and the
 * attachment module (domain/attachment.h) on a real migrated database:
 * SQLite, or PostgreSQL when UNBOX_TEST_PG names a scripts/pgtmp cluster. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdb.h"
#include "core/log.h"
#include "core/sniff.h"
#include "db/db.h"
#include "domain/attachment.h"
#include "domain/content.h"
#include "domain/filestore.h"
#include "domain/user.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

#define T0 1767225600        /* 2026-01-01T00:00:00Z */
#define PDF "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
#define PDF_SHA256 "59ad1790831d5ba10fe4125efc78f5f07e721482770f7cac3658cdb18041f681"   /* of PDF, computed elsewhere */

struct fixture {
	char dir[64];
	char dsn[256];
	char files[128];
	struct db *db;
	int64_t cycle, user;
};

static int setup(void **state)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || testdb_world_open("attachment", f->dir, sizeof f->dir, f->dsn, sizeof f->dsn, &f->db, T0,
				    &f->cycle) < 0)
		return -1;
	snprintf(f->files, sizeof f->files, "%s/store/files", f->dir);
	if (user_create(f->db, "anna@example.org", "Anna Autorin", "$argon2id$v=19$m=65536,t=2,p=1$x$y", "resident",
			T0, &f->user) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	testdb_remove(f->dir);
	free(f);
	return 0;
}

/* Streams content into a new temporary file in pieces of 7 bytes. */
static void temp_with(const char *dir, const char *content, size_t n, int64_t max, struct filestore_temp *t,
		      char sha[FILESTORE_SHA_HEX + 1])
{
	assert_int_equal(filestore_temp_open(dir, max, t), 0);
	for (size_t i = 0; i < n; i += 7)
		filestore_temp_write(t, content + i, n - i < 7 ? n - i : 7);
	assert_int_equal(filestore_temp_finish(t, sha), 0);
}

/* Files in the store, its temporary files not counted. */
static size_t count_files(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "find '%s' -path '*/tmp' -prune -o -type f -print | wc -l", dir);
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%zu", &n), 1);
	pclose(p);
	return n;
}

static void test_filestore(void **state)
{
	struct fixture *f = *state;
	struct filestore_temp t;
	char sha[FILESTORE_SHA_HEX + 1], path[512];
	temp_with(f->files, PDF, sizeof PDF - 1, 1024, &t, sha);
	assert_int_equal(t.size, (int64_t)(sizeof PDF - 1));
	assert_false(t.over);
	assert_true(filestore_sha_valid(sha));
	assert_string_equal(sha, PDF_SHA256);
	struct stat st;
	assert_int_equal(stat(t.path, &st), 0);
	assert_int_equal((st.st_mode & 0777), 0640);
	assert_int_equal(filestore_put(f->files, t.path, sha), 0);
	assert_int_equal(access(t.path, F_OK), -1);   /* moved */
	snprintf(path, sizeof path, "%s/%.2s/%s", f->files, sha, sha);
	assert_int_equal(stat(path, &st), 0);
	ino_t first = st.st_ino;
	/* the same content again: one file, the first one */
	struct filestore_temp t2;
	char sha2[FILESTORE_SHA_HEX + 1];
	temp_with(f->files, PDF, sizeof PDF - 1, 1024, &t2, sha2);
	assert_string_equal(sha, sha2);
	assert_int_equal(filestore_put(f->files, t2.path, sha2), 0);
	assert_int_equal(access(t2.path, F_OK), -1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_ino, first);
	assert_int_equal(count_files(f->files), 1);
	/* read back */
	int64_t size = 0;
	int fd = filestore_open(f->files, sha, &size);
	assert_true(fd >= 0);
	assert_int_equal(size, (int64_t)(sizeof PDF - 1));
	char back[128];
	assert_int_equal(read(fd, back, sizeof back), (ssize_t)(sizeof PDF - 1));
	assert_memory_equal(back, PDF, sizeof PDF - 1);
	close(fd);
	assert_int_equal(filestore_open(f->files, "../../../../etc/passwd", &size), -1);
	assert_int_equal(filestore_open(f->files, "00000000000000000000000000000000000000000000000000000000000000ff",
					&size), -1);
	assert_false(filestore_sha_valid("ABCDEF0000000000000000000000000000000000000000000000000000000000"));
	assert_false(filestore_sha_valid("abc"));
	/* over the cap: nothing kept, the file emptied, the size still counted */
	struct filestore_temp big;
	char sha3[FILESTORE_SHA_HEX + 1];
	temp_with(f->files, PDF, sizeof PDF - 1, 10, &big, sha3);
	assert_true(big.over);
	assert_int_equal(big.size, (int64_t)(sizeof PDF - 1));
	assert_int_equal(stat(big.path, &st), 0);
	assert_int_equal(st.st_size, 0);
	char big_path[sizeof big.path];
	snprintf(big_path, sizeof big_path, "%s", big.path);
	filestore_temp_discard(&big);
	assert_int_equal(access(big_path, F_OK), -1);
	assert_int_equal(access(path, F_OK), 0);   /* the store untouched */
	/* stale temporary files are swept, fresh ones kept */
	struct filestore_temp old, fresh;
	char s4[FILESTORE_SHA_HEX + 1], s5[FILESTORE_SHA_HEX + 1];
	temp_with(f->files, "a", 1, 10, &old, s4);
	temp_with(f->files, "b", 1, 10, &fresh, s5);
	struct timespec ts[2] = { { .tv_sec = time(NULL) - 7200 }, { .tv_sec = time(NULL) - 7200 } };
	assert_int_equal(utimensat(AT_FDCWD, old.path, ts, 0), 0);
	assert_int_equal(filestore_sweep(f->files, time(NULL), 3600), 1);
	assert_int_equal(access(old.path, F_OK), -1);
	assert_int_equal(access(fresh.path, F_OK), 0);
	char fresh_path[sizeof fresh.path];
	snprintf(fresh_path, sizeof fresh_path, "%s", fresh.path);
	filestore_temp_discard(&fresh);
	assert_int_equal(access(fresh_path, F_OK), -1);
}

static const char *const pdf_png[] = { SNIFF_PDF, SNIFF_PNG, NULL };
static const struct attachment_rules rules = { .max_size = 100, .max_count = 2, .types = pdf_png };

/* A finished temporary file holding content, ready for attachment_add. */
static struct attachment_input upload(struct fixture *f, const char *content, const char *name,
				      struct filestore_temp *t, char sha[FILESTORE_SHA_HEX + 1])
{
	size_t n = strlen(content);
	temp_with(f->files, content, n, 1000, t, sha);
	return (struct attachment_input){ .kind = "idea", .target_id = 7, .title = "", .file_name = name,
		.type = sniff_type(content, n), .size = (int64_t)n, .sha256 = sha, .temp_path = t->path,
		.user_id = f->user };
}

static int64_t audit_rows(struct db *db, const char *action)
{
	return db_one_int(db, -1, "SELECT COUNT(*) FROM audit WHERE action = $1 AND subject = 'idea:7'", "s", action);
}

static void test_validate(void **state)
{
	(void)state;
	struct field_errors fe = { 0 };
	struct attachment_input in = { .temp_path = "/x", .size = 50, .type = SNIFF_PDF, .title = "Plan" };
	assert_int_equal(attachment_validate(&in, &rules, &fe), 0);
	in.type = SNIFF_TEXT;
	assert_int_equal(attachment_validate(&in, &rules, &fe), 1);
	assert_string_equal(field_error_for(&fe, "file"), "type");
	fe = (struct field_errors){ 0 };
	in.type = SNIFF_PNG;
	in.size = 101;
	attachment_validate(&in, &rules, &fe);
	assert_string_equal(field_error_for(&fe, "file"), "too_big");
	fe = (struct field_errors){ 0 };
	in.size = 0;
	attachment_validate(&in, &rules, &fe);
	assert_string_equal(field_error_for(&fe, "file"), "required");
	fe = (struct field_errors){ 0 };
	in.size = 10;
	in.temp_path = NULL;
	attachment_validate(&in, &rules, &fe);
	assert_string_equal(field_error_for(&fe, "file"), "required");
	fe = (struct field_errors){ 0 };
	in.temp_path = "/x";
	char title[200];
	memset(title, 'x', 121);
	title[121] = '\0';
	in.title = title;
	assert_int_equal(attachment_validate(&in, &rules, &fe), 1);
	assert_string_equal(field_error_for(&fe, "title"), "too_long");
	fe = (struct field_errors){ 0 };
	in.title = "line\nbreak";
	assert_int_equal(attachment_validate(&in, &rules, &fe), 1);
	assert_string_equal(field_error_for(&fe, "title"), "invalid");
	char size[32];
	attachment_size_text(25, "de", size, sizeof size);
	assert_string_equal(size, "25 Byte");
	attachment_size_text(1536, "en", size, sizeof size);
	assert_string_equal(size, "2 KB");
	attachment_size_text(10 * 1024 * 1024, "de", size, sizeof size);
	assert_string_equal(size, "10,0 MB");
	attachment_size_text(3565158, "en", size, sizeof size);
	assert_string_equal(size, "3.4 MB");
}

static void test_add_list_delete(void **state)
{
	struct fixture *f = *state;
	struct filestore_temp t1, t2, t3, t4;
	char s1[FILESTORE_SHA_HEX + 1], s2[FILESTORE_SHA_HEX + 1], s3[FILESTORE_SHA_HEX + 1], s4[FILESTORE_SHA_HEX + 1];
	struct field_errors fe = { 0 };
	int64_t v0 = content_version(f->db), a = 0, b = 0, c = 0;

	struct attachment_input in = upload(f, PDF, "Plan.pdf", &t1, s1);
	in.title = "  Der Plan  ";
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 10, &fe, &a), ATTACHMENT_OK);
	assert_true(a > 0);
	assert_int_equal(access(t1.path, F_OK), -1);   /* in the store now */
	assert_true(content_version(f->db) > v0);
	assert_int_equal(audit_rows(f->db, "attachment.add"), 1);
	assert_int_equal(attachment_count(f->db, "idea", 7), 1);

	/* a wrong type is refused, and nothing is counted or moved */
	in = upload(f, "just text\n", "notes.txt", &t2, s2);
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 11, &fe, &b), ATTACHMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "file"), "type");
	assert_int_equal(access(t2.path, F_OK), 0);   /* the caller's to remove */
	filestore_temp_discard(&t2);
	assert_int_equal(attachment_count(f->db, "idea", 7), 1);

	/* the same content under another name: a second row, still one file */
	fe = (struct field_errors){ 0 };
	in = upload(f, PDF, "Kopie.pdf", &t3, s3);
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 12, &fe, &b), ATTACHMENT_OK);
	assert_int_equal(count_files(f->files), 1);

	/* the target is full at two */
	in = upload(f, "\x89PNG\r\n\x1A\n....", "bild.png", &t4, s4);
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 13, &fe, &c), ATTACHMENT_INVALID);
	assert_string_equal(field_error_for(&fe, "file"), "too_many");
	assert_int_equal(attachment_count(f->db, "idea", 7), 2);
	/* another target is not */
	fe = (struct field_errors){ 0 };
	in.kind = "project";
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 13, &fe, &c), ATTACHMENT_OK);
	assert_int_equal(attachment_count(f->db, "project", 7), 1);
	in.kind = "Bad Kind";
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 13, &fe, &c), ATTACHMENT_ERROR);

	/* the list, a page of one, then the rest */
	json_t *page = attachment_list(f->db, "en", "idea", 7, 0, 1);
	assert_non_null(page);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	json_t *it = json_array_get(json_object_get(page, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "id")), a);
	assert_string_equal(json_string_value(json_object_get(it, "title")), "Der Plan");
	assert_string_equal(json_string_value(json_object_get(it, "file_name")), "Plan.pdf");
	assert_string_equal(json_string_value(json_object_get(it, "type")), SNIFF_PDF);
	assert_int_equal(json_integer_value(json_object_get(it, "size")), (json_int_t)(sizeof PDF - 1));
	assert_null(json_object_get(it, "sha256"));
	assert_int_equal(json_integer_value(json_object_get(page, "count")), 2);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), 1);
	const char *next = json_string_value(json_object_get(page, "next"));
	assert_non_null(next);
	json_t *rest = attachment_list(f->db, "en", "idea", 7, strtoll(next, NULL, 10), 1);
	it = json_array_get(json_object_get(rest, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "id")), b);
	assert_string_equal(json_string_value(json_object_get(it, "title")), "Kopie.pdf");   /* no title: the name */
	assert_true(json_is_null(json_object_get(rest, "next")));
	json_decref(page);
	json_decref(rest);

	json_t *one;
	assert_int_equal(attachment_get(f->db, "de", a, &one), 1);
	assert_string_equal(json_string_value(json_object_get(one, "sha256")), s1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(one, "target"), "kind")), "idea");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(one, "target"), "id")), 7);
	json_decref(one);

	/* deleting: only from its own target, once; the count goes down, the file stays */
	int64_t v1 = content_version(f->db);
	assert_int_equal(attachment_delete(f->db, "idea", 8, a, f->user, T0 + 20), ATTACHMENT_NOT_FOUND);
	assert_int_equal(attachment_delete(f->db, "project", 7, a, f->user, T0 + 20), ATTACHMENT_NOT_FOUND);
	assert_int_equal(attachment_delete(f->db, "idea", 7, a, f->user, T0 + 20), ATTACHMENT_OK);
	assert_int_equal(attachment_delete(f->db, "idea", 7, a, f->user, T0 + 21), ATTACHMENT_NOT_FOUND);
	assert_true(content_version(f->db) > v1);
	assert_int_equal(audit_rows(f->db, "attachment.delete"), 1);
	assert_int_equal(attachment_count(f->db, "idea", 7), 1);
	assert_int_equal(attachment_get(f->db, "de", a, &one), 0);
	assert_null(one);
	assert_int_equal(db_one_int(f->db, 0, "SELECT deleted_by FROM attachments WHERE id = $1", "i", a), f->user);
	assert_int_equal(count_files(f->files), 2);   /* the PDF (a deleted row and a live one) and the project's PNG */
	page = attachment_list(f->db, "de", "idea", 7, 0, 0);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(page, "limit")), ATTACHMENT_PAGE_DEFAULT);
	json_decref(page);

	/* room again for one */
	fe = (struct field_errors){ 0 };
	struct filestore_temp t5;
	char s5[FILESTORE_SHA_HEX + 1];
	in = upload(f, "\x89PNG\r\n\x1A\n....", "bild.png", &t5, s5);
	assert_int_equal(attachment_add(f->db, f->files, &in, &rules, T0 + 30, &fe, &c), ATTACHMENT_OK);
	assert_int_equal(count_files(f->files), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test_setup_teardown(test_filestore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_list_delete, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
