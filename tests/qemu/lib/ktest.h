/*
 * KTAP-style reporting for test images: "1..N", then "ok 1 name" or
 * "not ok 2 name # reason" per check. kt_done() adds a last check that every
 * planned test ran (a silently skipped test is a failure) and returns the
 * image's exit status.
 *
 *     int main(void)
 *     {
 *         kt_plan(2);
 *         KT_EXPECT(1 + 1 == 2, "arithmetic");
 *         KT_EXPECT_EQ(strlen("ab"), 2, "strlen");
 *         return kt_done();
 *     }
 */
#ifndef TESTS_QEMU_LIB_KTEST_H
#define TESTS_QEMU_LIB_KTEST_H

#include <stdbool.h>

/* Announces n tests; kt_done() counts one more, "all tests ran". */
void kt_plan(int n);

/* Records one test result; returns ok. */
bool kt_result(bool ok, const char *name, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records a test that does not apply to this run: "ok N name # SKIP why". */
void kt_skip(const char *name, const char *why);

/* The exit status for main(): 0 if every test passed and all ran. */
int kt_done(void);

#define KT_EXPECT(cond, name) kt_result((cond), (name), __FILE__, __LINE__, "%s is false", #cond)

/* Compares as long: newlib-nano's printf has no %lld. */
#define KT_EXPECT_EQ(actual, expected, name)                                                   \
    ({                                                                                         \
        long kt_a_ = (long)(actual), kt_e_ = (long)(expected);                                 \
        kt_result(kt_a_ == kt_e_, (name), __FILE__, __LINE__, "%s = %ld, expected %ld",        \
                  #actual, kt_a_, kt_e_);                                                      \
    })

#endif
