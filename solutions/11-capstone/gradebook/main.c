/*
 * gradebook: for each course section file named on the command line,
 * prints each student's average (or "incomplete") and the best complete
 * student. A file that cannot be loaded is skipped (exit status 1).
 */
#include <stdio.h>

#include "gradebook.h"

/* Prints the report of @gb, read from @path; borrows both. */
static void report(const char *path, const struct gradebook *gb)
{
	const struct student *best = NULL;

	printf("%s: %d assignments\n", path, gb->assignments);
	for (size_t i = 0; i < gb->len; i++) {
		const struct student *s = gb->students[i];

		if (s->incomplete) {
			printf("  %-8s incomplete (%d of %d)\n", s->name,
			       s->nscores, gb->assignments);
			continue;
		}
		printf("  %-8s %5.1f\n", s->name, (double)s->total / s->nscores);
		if (!best || s->total * best->nscores > best->total * s->nscores)
			best = s;
	}
	if (best)
		printf("  best: %s\n", best->name);
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SECTION-FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct gradebook *gb = gradebook_new();

		if (!gb) {
			perror("gradebook");
			return 1;
		}
		if (gradebook_load(gb, argv[i]) == 0) {
			report(argv[i], gb);
		} else {
			printf("%s: skipped\n", argv[i]);
			status = 1;
		}
		gradebook_free(gb);
	}
	return status;
}
