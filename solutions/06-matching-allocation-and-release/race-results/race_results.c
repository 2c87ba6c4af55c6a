/*
 * race-results: reads finish times from standard input, one runner per
 * line as "mm:ss, name", and prints the ranking, fastest first. Blank lines
 * and '#' lines are ignored; a malformed line is reported and skipped.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct finisher {
	char *name;		/* owned */
	int seconds;
};

struct results {
	struct finisher *items;
	size_t len;
	size_t cap;
};

/*
 * Removes the blanks at both ends of @s, moving the text to the start of
 * the buffer: @s stays the pointer that its owner frees. Returns @s.
 */
static char *trim(char *s)
{
	char *start = s;
	while (isspace((unsigned char)*start))
		start++;
	size_t len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	memmove(s, start, len);
	s[len] = '\0';
	return s;
}

/*
 * Parses "mm:ss, name". On success stores the time in *@seconds and a new
 * string holding the trimmed name in *@name (caller frees it) and returns 0.
 * Returns -1 if the line is malformed or memory runs out. Borrows @line.
 */
static int parse_line(const char *line, int *seconds, char **name)
{
	int min, sec, used = 0;

	if (sscanf(line, "%d:%d,%n", &min, &sec, &used) != 2 || used == 0 ||
	    min < 0 || sec < 0 || sec > 59)
		return -1;

	char *copy = strdup(line + used);
	if (!copy)
		return -1;
	copy = trim(copy);
	if (copy[0] == '\0') {
		free(copy);
		return -1;
	}
	*seconds = 60 * min + sec;
	*name = copy;
	return 0;
}

/* Appends a finisher. Takes ownership of @name, also when it fails. */
static int results_add(struct results *r, char *name, int seconds)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;
		struct finisher *items = realloc(r->items, cap * sizeof *items);
		if (!items) {
			free(name);
			return -1;
		}
		r->items = items;
		r->cap = cap;
	}
	r->items[r->len].name = name;
	r->items[r->len].seconds = seconds;
	r->len++;
	return 0;
}

/* Frees every name in @r and the array. */
static void results_free(struct results *r)
{
	for (size_t i = 0; i < r->len; i++)
		free(r->items[i].name);
	free(r->items);
	r->items = NULL;
	r->len = r->cap = 0;
}

static int by_time(const void *a, const void *b)
{
	const struct finisher *x = a, *y = b;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? -1 : 1;
	return strcmp(x->name, y->name);
}

int main(void)
{
	struct results r = { 0 };
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int status = EXIT_FAILURE;

	while (getline(&line, &cap, stdin) != -1) {
		int seconds;
		char *name;

		lineno++;
		if (line[strspn(line, " \t\n")] == '\0' || line[0] == '#')
			continue;
		if (parse_line(line, &seconds, &name) != 0) {
			fprintf(stderr, "line %u: expected \"mm:ss, name\"\n", lineno);
			continue;
		}
		if (results_add(&r, name, seconds) != 0) {
			fprintf(stderr, "out of memory\n");
			goto out;
		}
	}

	qsort(r.items, r.len, sizeof *r.items, by_time);
	for (size_t i = 0; i < r.len; i++)
		printf("%2zu. %-20s %2d:%02d\n", i + 1, r.items[i].name,
		       r.items[i].seconds / 60, r.items[i].seconds % 60);
	status = EXIT_SUCCESS;
out:
	results_free(&r);
	free(line);
	return status;
}
