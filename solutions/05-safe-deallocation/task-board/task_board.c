/*
 * task-board: a small to-do board driven by commands, one per line, the
 * way a chat bot or a terminal tool keeps a team's list of tasks.
 *
 * Commands (stdin):
 *   add TITLE   add a task; tasks are numbered from 1
 *   focus ID    mark task ID as the one being worked on
 *   done ID     take task ID off the board
 *   list        print the open tasks and the task in focus
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Frees @p and sets it to NULL, so that it cannot be freed or used again. */
#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

struct task {
	int id;
	char *title;		/* owned */
	struct task *next;
};

struct board {
	struct task *head;	/* owned, oldest first */
	struct task *focus;	/* borrowed from the list; NULL if none */
	int last_id;
};

/* Frees @t and the title it owns. */
static void task_destroy(struct task *t)
{
	FREE_AND_NULL(t->title);
	FREE_AND_NULL(t);
}

/*
 * Adds a task with a copy of @title at the end of @b, which owns it from
 * then on. Borrows @title. Returns the task, or NULL if out of memory.
 */
static struct task *board_add(struct board *b, const char *title)
{
	struct task **link = &b->head;
	struct task *t = malloc(sizeof *t);

	if (!t)
		return NULL;
	t->title = strdup(title);
	if (!t->title) {
		free(t);
		return NULL;
	}
	t->id = ++b->last_id;
	t->next = NULL;
	while (*link)
		link = &(*link)->next;
	*link = t;
	return t;
}

/* Returns task @id, still owned by @b, or NULL if there is none. */
static struct task *board_find(const struct board *b, int id)
{
	struct task *t;

	for (t = b->head; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* Unlinks task @t from @b and frees it. */
static void board_remove(struct board *b, struct task *t)
{
	struct task **link = &b->head;

	while (*link != t)
		link = &(*link)->next;
	*link = t->next;
	/* The board's other pointer to @t must not outlive it. */
	if (b->focus == t)
		b->focus = NULL;
	task_destroy(t);
}

static void board_list(const struct board *b)
{
	const struct task *t;

	for (t = b->head; t; t = t->next)
		printf("  #%d %s\n", t->id, t->title);
	if (b->focus)
		printf("  focus: #%d %s\n", b->focus->id, b->focus->title);
	else
		printf("  focus: none\n");
}

/* Frees every task on @b. */
static void board_clear(struct board *b)
{
	while (b->head)
		board_remove(b, b->head);
}

int main(void)
{
	struct board board = { 0 };
	char line[256];
	int ret = EXIT_FAILURE;

	while (fgets(line, sizeof line, stdin)) {
		struct task *t;
		int id;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "add ", 4) == 0) {
			t = board_add(&board, line + 4);
			if (!t) {
				perror("task-board");
				goto out;
			}
			printf("added #%d %s\n", t->id, t->title);
		} else if (sscanf(line, "focus %d", &id) == 1) {
			t = board_find(&board, id);
			if (t)
				board.focus = t;
			printf("focus: %s\n", t ? t->title : "no such task");
		} else if (sscanf(line, "done %d", &id) == 1) {
			t = board_find(&board, id);
			if (t) {
				printf("done: #%d %s\n", t->id, t->title);
				board_remove(&board, t);
			} else {
				printf("done: no such task\n");
			}
		} else if (strcmp(line, "list") == 0) {
			printf("open tasks:\n");
			board_list(&board);
		} else {
			fprintf(stderr, "task-board: unknown command: %s\n", line);
		}
	}
	ret = EXIT_SUCCESS;
out:
	board_clear(&board);
	return ret;
}
