#include "domain/password.h"
#include "core/utf8.h"
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

extern const char *const common_passwords[];   /* generated, sorted bytewise */
extern const size_t common_passwords_count;

static int cmp(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

static bool listed(const char *word)
{
	return *word && bsearch(word, common_passwords, common_passwords_count, sizeof common_passwords[0], cmp);
}

/* Few passwords on the list have 12 characters or more, so the usual ways of
 * stretching one count as that password: digits or symbols around it
 * ("password1234!"), a listed number that goes on, and repetition
 * ("passwordpassword", "abcabcabcabc"). */
bool password_is_common(const char *pw)
{
	char lower[PASSWORD_MAX_BYTES + 1];
	size_t n = strlen(pw);
	if (n > PASSWORD_MAX_BYTES)
		return false;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)pw[i]);
	if (listed(lower))
		return true;
	size_t start = 0, end = n;
	while (start < end && !isalpha((unsigned char)lower[start]))
		start++;
	while (end > start && !isalpha((unsigned char)lower[end - 1]))
		end--;
	if (end - start >= 4 && (start > 0 || end < n)) {
		char core[PASSWORD_MAX_BYTES + 1];
		memcpy(core, lower + start, end - start);
		core[end - start] = '\0';
		if (listed(core))
			return true;
	}
	if (start == end) {          /* no letters: a listed number that goes on ("123456789012") */
		char prefix[PASSWORD_MAX_BYTES + 1];
		for (size_t k = n - 1; k >= 6; k--) {
			memcpy(prefix, lower, k);
			prefix[k] = '\0';
			if (listed(prefix))
				return true;
		}
	}
	for (size_t unit = 1; unit <= n / 2; unit++) {
		if (n % unit)
			continue;
		bool repeats = true;
		for (size_t i = unit; i < n && repeats; i++)
			repeats = lower[i] == lower[i - unit];
		if (repeats) {
			char part[PASSWORD_MAX_BYTES + 1];
			memcpy(part, lower, unit);
			part[unit] = '\0';
			return unit <= 3 || listed(part);
		}
	}
	return false;
}

const char *password_policy(const char *pw)
{
	if (!pw || !*pw)
		return "required";
	if (strlen(pw) > PASSWORD_MAX_BYTES || !utf8_valid(pw, strlen(pw)))
		return "too_long";
	if (utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return "too_short";
	if (password_is_common(pw))
		return "common";
	return NULL;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
}

bool password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (password_hash("un:box timing equaliser", dummy_hash) != 0)
		dummy_hash[0] = '\0';
}

void password_burn(const char *pw)
{
	pthread_once(&dummy_once, make_dummy);
	if (dummy_hash[0])
		(void)password_verify(dummy_hash, pw);
}
