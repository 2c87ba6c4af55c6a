/* gradebook.c: loading a section file into a gradebook (see gradebook.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradebook.h"

/* Returns a new student named by the first @len bytes of @name, with no
 * scores yet, or NULL if out of memory. Caller frees it and its name. */
static struct student *student_new(const char *name, size_t len)
{
	struct student *s = malloc(sizeof *s);

	if (!s)
		return NULL;
	s->name = malloc(len);
	if (!s->name) {
		free(s);
		return NULL;
	}
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->total = 0;
	s->nscores = 0;
	return s;
}

/* Parses a line "name score...", reading at most @assignments scores.
 * Returns a new student (caller frees it and its name) or NULL. */
static struct student *student_parse(const char *line, int assignments)
{
	size_t len = strcspn(line, " \n");
	const char *p = line + len;
	struct student *s = student_new(line, len);

	if (!s)
		return NULL;
	while (s->nscores < assignments) {
		int score, used;

		if (sscanf(p, "%d%n", &score, &used) != 1) {
			s->incomplete = true;
			break;
		}
		s->total += score;
		s->nscores++;
		p += used;
	}
	return s;
}

struct gradebook *gradebook_new(void)
{
	return calloc(1, sizeof(struct gradebook));
}

void gradebook_free(struct gradebook *gb)
{
	if (!gb)
		return;
	for (size_t i = 0; i < gb->len; i++) {
		free(gb->students[i]->name);
		free(gb->students[i]);
	}
	free(gb);
}

int gradebook_load(struct gradebook *gb, const char *path)
{
	char line[256];
	int err = -1;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	if (!fgets(line, sizeof line, f) ||
	    sscanf(line, "assignments %d", &gb->assignments) != 1 ||
	    gb->assignments < 1) {
		fprintf(stderr, "%s:1: expected \"assignments N\"\n", path);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		struct student *s;

		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (gb->len == GB_MAX_STUDENTS) {
			fprintf(stderr, "%s: too many students\n", path);
			goto out;
		}
		s = student_parse(line, gb->assignments);
		if (!s) {
			fprintf(stderr, "%s: out of memory\n", path);
			goto out;
		}
		gb->students[gb->len++] = s;
	}
	err = 0;
out:
	fclose(f);
	return err;
}
