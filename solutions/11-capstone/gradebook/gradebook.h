/*
 * gradebook.h: the scores of one course section, read from a text file: a
 * line "assignments N" (N >= 1), then one line per student, a name and up
 * to N integer scores. Blank lines and '#' lines are ignored.
 *
 * Ownership: a gradebook owns its students, and each student owns its
 * name; gradebook_free() frees them all. Callers only borrow students.
 */
#ifndef GRADEBOOK_H
#define GRADEBOOK_H

#include <stdbool.h>
#include <stddef.h>

#define GB_MAX_STUDENTS 64

struct student {
	char *name;		/* owned, NUL-terminated */
	int total;		/* sum of the scores read */
	int nscores;
	bool incomplete;	/* fewer scores than assignments */
};

struct gradebook {
	int assignments;
	size_t len;
	struct student *students[GB_MAX_STUDENTS];	/* owned */
};

/* Returns a new gradebook, or NULL; caller frees it with gradebook_free(). */
struct gradebook *gradebook_new(void);

/* Frees @gb with all its students. @gb may be NULL. */
void gradebook_free(struct gradebook *gb);

/* Reads the section file @path into @gb; borrows both. Returns 0, or -1
 * (and says why on stderr) if the file cannot be read or is malformed. */
int gradebook_load(struct gradebook *gb, const char *path);

#endif
