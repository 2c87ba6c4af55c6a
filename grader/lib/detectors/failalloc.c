/*
 * failalloc: makes the Nth allocation of a program fail, to test that it
 * cleans up on every error path (like SQLite's out-of-memory tests).
 *
 * The grader links it into an exercise whose spec has `oom-status:`, with
 *
 *     -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=reallocarray
 *     -Wl,--wrap=strdup,--wrap=strndup,--wrap=aligned_alloc,--wrap=posix_memalign
 *
 * so that the program's own calls to those functions come here, while the
 * C library's internal allocations and Valgrind's replacements underneath
 * stay untouched. That is why it works under Valgrind, where an
 * LD_PRELOAD interposer would not: Valgrind replaces malloc itself.
 *
 * Environment:
 *   FAILALLOC_AT=N      the Nth call (counting from 1) fails as if memory
 *                       had run out: it returns NULL and sets errno to
 *                       ENOMEM; every other call succeeds. Unset or 0:
 *                       nothing fails.
 *   FAILALLOC_MARK=1    under Valgrind: make the failing call's stack known
 *                       (see failalloc_mark_failure below).
 *   FAILALLOC_COUNT=F   at exit, write the number of calls made to file F.
 *                       That is the program's own word, which only the
 *                       AddressSanitizer detector takes: under Valgrind
 *                       the grader counts the calls through these wrappers
 *                       from Valgrind's allocation tree (grader/memcheck
 *                       --count-allocations), which the program cannot
 *                       write, and refuses a program that calls the real
 *                       functions itself (__real_malloc, __libc_malloc...).
 *
 * realloc(p, 0) and free() are not counted: they release rather than
 * acquire. Allocations made inside the C library (fopen's buffer, the line
 * buffer of getline) are not counted either: the lesson is the program's
 * own allocations, whose every failure it must handle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_reallocarray(void *p, size_t n, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void **p, size_t alignment, size_t size);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_reallocarray(void *p, size_t n, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void *__wrap_aligned_alloc(size_t alignment, size_t size);
int __wrap_posix_memalign(void **p, size_t alignment, size_t size);

static unsigned long calls;
static unsigned long fail_at;
static const char *count_file;
static int mark_failure;
/* volatile: the compiler must not see the request is absurd, nor drop it. */
static volatile size_t impossible_size = (size_t)-1;

static void write_count(void)
{
	FILE *f = fopen(count_file, "w");

	if (f) {
		fprintf(f, "%lu\n", calls);
		fclose(f);
	}
}

__attribute__((constructor)) static void failalloc_init(void)
{
	const char *at = getenv("FAILALLOC_AT");

	if (at)
		fail_at = strtoul(at, NULL, 10);
	mark_failure = getenv("FAILALLOC_MARK") != NULL;
	count_file = getenv("FAILALLOC_COUNT");
	if (count_file && *count_file)
		atexit(write_count);
}

/*
 * Leaves the stack of the failing call in Valgrind's report: Memcheck
 * refuses a request of SIZE_MAX bytes and reports its "fishy" size with the
 * whole stack, the program's caller included, which grader/memcheck
 * --failed-allocation takes out of the error count and keeps as the place
 * that failed. The real allocator is called: a wrapped call would count.
 */
__attribute__((noinline)) static void failalloc_mark_failure(void)
{
	void *p = __real_malloc(impossible_size);

	if (p)
		free(p);
}

/* Counts one acquiring call; true if this one must fail. */
__attribute__((always_inline)) static inline int should_fail(void)
{
	calls++;
	if (fail_at != 0 && calls == fail_at) {
		if (mark_failure)
			failalloc_mark_failure();
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t size)
{
	return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	if (p && size == 0)
		return __real_realloc(p, size);
	return should_fail() ? NULL : __real_realloc(p, size);
}

void *__wrap_reallocarray(void *p, size_t n, size_t size)
{
	return should_fail() ? NULL : __real_reallocarray(p, n, size);
}

char *__wrap_strdup(const char *s)
{
	return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return should_fail() ? NULL : __real_strndup(s, n);
}

void *__wrap_aligned_alloc(size_t alignment, size_t size)
{
	return should_fail() ? NULL : __real_aligned_alloc(alignment, size);
}

/* posix_memalign says ENOMEM in its return value, and leaves errno alone. */
int __wrap_posix_memalign(void **p, size_t alignment, size_t size)
{
	int saved = errno;

	if (should_fail()) {
		errno = saved;
		return ENOMEM;
	}
	return __real_posix_memalign(p, alignment, size);
}
