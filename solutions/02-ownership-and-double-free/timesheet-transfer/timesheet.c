/*
 * timesheet: reads a day's work log from standard input and prints it as
 * a numbered timesheet with the total time worked.
 *
 * Each entry is one line, "h:mm Task", e.g. "1:30 Code review".
 * Blank lines and lines starting with '#' are ignored; any other line
 * that is not an entry is reported and skipped.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *task;
	int minutes;
	struct entry *next;
};

struct timesheet {
	struct entry *head;
	struct entry **tail;	/* where the next entry gets linked */
	int count;
	int minutes;
};

/*
 * Returns a new, empty timesheet, or NULL if out of memory.
 * Caller frees it with timesheet_destroy().
 */
static struct timesheet *timesheet_create(void)
{
	struct timesheet *ts = malloc(sizeof *ts);

	if (!ts)
		return NULL;
	ts->head = NULL;
	ts->tail = &ts->head;
	ts->count = 0;
	ts->minutes = 0;
	return ts;
}

/*
 * Appends an entry to the end of @ts. Returns 0 on success, -1 if out of
 * memory. On success, takes ownership of @task: timesheet_destroy() frees
 * it. On failure, @task still belongs to the caller.
 */
static int timesheet_add(struct timesheet *ts, char *task, int minutes)
{
	struct entry *e = malloc(sizeof *e);

	if (!e)
		return -1;
	e->task = task;
	e->minutes = minutes;
	e->next = NULL;
	*ts->tail = e;
	ts->tail = &e->next;
	ts->count++;
	ts->minutes += minutes;
	return 0;
}

/* Prints @ts, one numbered entry a line, then the total. Borrows @ts. */
static void timesheet_print(const struct timesheet *ts)
{
	int n = 0;

	for (const struct entry *e = ts->head; e; e = e->next)
		printf("%2d. %-24s %2d:%02d\n", ++n, e->task,
		       e->minutes / 60, e->minutes % 60);
	printf("%d entr%s, %d:%02d in total\n", ts->count,
	       ts->count == 1 ? "y" : "ies", ts->minutes / 60, ts->minutes % 60);
}

/* Frees @ts, its entries and their tasks. @ts may be NULL. */
static void timesheet_destroy(struct timesheet *ts)
{
	struct entry *e, *next;

	if (!ts)
		return;
	for (e = ts->head; e; e = next) {
		next = e->next;
		free(e->task);
		free(e);
	}
	free(ts);
}

/*
 * Parses a "h:mm Task" line. On success returns 0, stores the duration
 * in *@minutes and points *@task into @line (no copy is made) with the
 * task's length in *@len. Returns -1 if @line is not an entry.
 */
static int parse_entry(const char *line, int *minutes,
		       const char **task, size_t *len)
{
	int h, m, used = 0;

	if (sscanf(line, "%d:%d %n", &h, &m, &used) != 2 || used == 0)
		return -1;
	if (h < 0 || m < 0 || m > 59)
		return -1;
	*task = line + used;
	*len = strcspn(*task, "\n");
	if (*len == 0)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int main(void)
{
	struct timesheet *ts = NULL;
	char *line = NULL;
	size_t cap = 0;
	char *task = NULL;
	int lineno = 0;
	int status = EXIT_FAILURE;

	ts = timesheet_create();
	if (!ts) {
		perror("timesheet");
		goto out;
	}
	while (getline(&line, &cap, stdin) != -1) {
		const char *start;
		size_t len;
		int minutes;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (parse_entry(line, &minutes, &start, &len) != 0) {
			printf("line %d: not an entry, skipped\n", lineno);
			continue;
		}
		task = strndup(start, len);
		if (!task || timesheet_add(ts, task, minutes) != 0) {
			perror("timesheet");
			goto out;
		}
		/* The timesheet owns the task now: forget our copy of the pointer. */
		task = NULL;
	}
	timesheet_print(ts);
	status = EXIT_SUCCESS;
out:
	free(task);
	timesheet_destroy(ts);
	free(line);
	return status;
}
