/*
 * markdown-toc: print a numbered table of contents for a Markdown file.
 *
 * Reads Markdown on stdin. "# Title" lines are chapters and "## Title"
 * lines are sections of the chapter above them; every other line is
 * ignored. The table is printed once the whole file has been read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 48

struct heading {
	int level;		/* 1 for a chapter, 2 for a section */
	int chapter;		/* number of the chapter it is in */
	int section;		/* number within its chapter; 0 for a chapter */
	int sections;		/* for a chapter: its sections numbered so far */
	char title[TITLE_MAX];
};

/* The headings in document order, in one array that grows as needed. */
struct toc {
	struct heading *items;
	size_t len;
	size_t cap;
};

/*
 * Appends a zeroed heading to @t and returns it. @t owns the array and
 * grows it with realloc(); free t->items when done. Returns NULL if out
 * of memory.
 */
static struct heading *toc_push(struct toc *t)
{
	struct heading *h;

	if (t->len == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4;
		struct heading *items = realloc(t->items, cap * sizeof *items);

		if (!items)
			return NULL;
		t->items = items;
		t->cap = cap;
	}
	h = &t->items[t->len++];
	memset(h, 0, sizeof *h);
	return h;
}

static void toc_print(const struct toc *t)
{
	for (size_t i = 0; i < t->len; i++) {
		const struct heading *h = &t->items[i];

		if (h->level == 1)
			printf("%d %s\n", h->chapter, h->title);
		else
			printf("    %d.%d %s\n", h->chapter, h->section, h->title);
	}
}

int main(void)
{
	struct toc toc = { 0 };
	struct heading *chapter = NULL;
	int chapters = 0;
	int sections = 0;
	char line[256];
	int lineno = 0;
	int ret = EXIT_FAILURE;

	while (fgets(line, sizeof line, stdin)) {
		struct heading *h;
		char *title;
		int level;

		lineno++;
		if (strncmp(line, "# ", 2) == 0)
			level = 1;
		else if (strncmp(line, "## ", 3) == 0)
			level = 2;
		else
			continue;
		if (level == 2 && !chapter) {
			fprintf(stderr, "line %d: section before the first chapter\n",
				lineno);
			goto out;
		}

		h = toc_push(&toc);
		if (!h) {
			perror("markdown-toc");
			goto out;
		}
		title = line + level + 1;
		title[strcspn(title, "\n")] = '\0';
		snprintf(h->title, sizeof h->title, "%s", title);
		h->level = level;
		if (level == 1) {
			h->chapter = ++chapters;
			chapter = h;
		} else {
			h->chapter = chapters;
			chapter->sections++;
			h->section = chapter->sections;
			sections++;
		}
	}

	toc_print(&toc);
	printf("%d chapters, %d sections\n", chapters, sections);
	ret = EXIT_SUCCESS;
out:
	free(toc.items);
	return ret;
}
