/*
 * badge: prints a name badge for every guest listed on standard input.
 *
 * Each input line holds one guest's name as the registration desk typed
 * it, e.g. "  ada   LOVELACE ". The name is tidied (blanks collapsed,
 * each word capitalised) and printed centred in a frame:
 *
 *	+------------------------------+
 *	|         Ada Lovelace         |
 *	+------------------------------+
 *
 * Blank lines are skipped. A count of printed badges ends the output.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BADGE_WIDTH 30

/*
 * Returns a new string holding @raw with leading and trailing blanks
 * removed, inner runs of blanks collapsed to one space and each word
 * capitalised, or NULL if out of memory.
 * Borrows @raw; caller frees the result.
 */
static char *tidy_name(const char *raw)
{
	/* The tidy name is never longer than the raw one. */
	char *name = malloc(strlen(raw) + 1);
	char *out = name;
	int word_start = 1;

	if (!name)
		return NULL;
	for (; *raw; raw++) {
		unsigned char c = (unsigned char)*raw;

		if (isspace(c)) {
			word_start = 1;
			continue;
		}
		if (word_start && out != name)
			*out++ = ' ';
		*out++ = (char)(word_start ? toupper(c) : tolower(c));
		word_start = 0;
	}
	*out = '\0';
	return name;
}

static void print_rule(void)
{
	putchar('+');
	for (int i = 0; i < BADGE_WIDTH; i++)
		putchar('-');
	puts("+");
}

/* Prints @name centred in a badge frame; long names are cut to fit. */
static void print_badge(char *name)
{
	int len = (int)strlen(name);
	int left, right;

	if (len > BADGE_WIDTH)
		len = BADGE_WIDTH;
	left = (BADGE_WIDTH - len) / 2;
	right = BADGE_WIDTH - len - left;

	print_rule();
	printf("|%*s%.*s%*s|\n", left, "", len, name, right, "");
	print_rule();
	free(name);
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	int printed = 0;
	int status = EXIT_FAILURE;

	while (getline(&line, &cap, stdin) != -1) {
		char *name = tidy_name(line);

		if (!name) {
			perror("badge");
			goto out;
		}
		if (name[0] != '\0') {
			print_badge(name);
			printed++;
		}
		free(name);
	}
	printf("%d badge%s printed\n", printed, printed == 1 ? "" : "s");
	status = EXIT_SUCCESS;
out:
	free(line);
	return status;
}
