/* Ids: shape, validation, and that neither generator repeats itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sopm_id.h"

static void test_random_ids_are_valid_and_distinct(void **state)
{
	char a[SOPM_ID_LEN], b[SOPM_ID_LEN];

	(void)state;
	assert_int_equal(sopm_id_random(a), 0);
	assert_int_equal(sopm_id_random(b), 0);
	assert_int_equal(strlen(a), SOPM_ID_HEX);
	assert_true(sopm_id_valid(a));
	assert_true(sopm_id_valid(b));
	assert_string_not_equal(a, b);
}

static void test_unique_ids_do_not_repeat(void **state)
{
	static char ids[1000][SOPM_ID_LEN];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		sopm_id_unique(ids[i]);
		assert_true(sopm_id_valid(ids[i]));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
}

static void test_valid_rejects_other_shapes(void **state)
{
	(void)state;
	assert_true(sopm_id_valid("0123456789abcdef0123456789abcdef"));
	assert_false(sopm_id_valid(NULL));
	assert_false(sopm_id_valid(""));
	assert_false(sopm_id_valid("0123456789abcdef0123456789abcde"));
	assert_false(sopm_id_valid("0123456789abcdef0123456789abcdef0"));
	assert_false(sopm_id_valid("0123456789ABCDEF0123456789abcdef"));
	assert_false(sopm_id_valid("0123456789abcdef0123456789abcdeg"));
	assert_false(sopm_id_valid("../../../../etc/passwd0123456789"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_ids_are_valid_and_distinct),
	    cmocka_unit_test(test_unique_ids_do_not_repeat),
	    cmocka_unit_test(test_valid_rejects_other_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
