/*
 * style-sheet: formats a plain-text note. Lines "@style <name> <indent>
 * <width>" define styles; every other line is a paragraph, word-wrapped and
 * indented in the style it names as "[name] text", or in the first style.
 * Styles are reference counted: the style sheet holds them while the note
 * is read, and each paragraph holds its own for as long as it lives.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STYLES 8
#define MAX_PARAGRAPHS 100

struct style {
	int refs;
	int indent;		/* spaces before every line */
	int width;		/* longest line, indent included */
	char name[16];
};

struct sheet {
	struct style *styles[MAX_STYLES];	/* counted references */
	size_t len;
};

struct paragraph {
	struct style *style;	/* a counted reference */
	char *text;		/* owned */
};

struct document {
	struct paragraph paras[MAX_PARAGRAPHS];
	size_t len;
};

/* Returns a new style with one reference, owned by the caller; NULL if out of memory. */
static struct style *style_new(const char *name, int indent, int width)
{
	struct style *s = malloc(sizeof *s);

	if (!s)
		return NULL;
	*s = (struct style){ .refs = 1, .indent = indent, .width = width };
	snprintf(s->name, sizeof s->name, "%s", name);
	return s;
}

/* Takes one more reference to @s for the caller, and returns @s. */
static struct style *style_retain(struct style *s)
{
	s->refs++;
	return s;
}

/* Drops the caller's reference to @s (NULL is allowed); the last one frees @s. */
static void style_release(struct style *s)
{
	if (!s)
		return;
	if (s->refs <= 0)
		fprintf(stderr, "style_release: reference count underflow\n");
	else if (--s->refs == 0)
		free(s);
}

/* Returns a new reference to the style @name, which the caller releases; NULL if none. */
static struct style *sheet_lookup(const struct sheet *sh, const char *name)
{
	for (size_t i = 0; i < sh->len; i++)
		if (strcmp(sh->styles[i]->name, name) == 0)
			return style_retain(sh->styles[i]);
	return NULL;
}

/* Returns a new reference to the style of paragraphs that name none; NULL if none. */
static struct style *sheet_fallback(const struct sheet *sh)
{
	return sh->len > 0 ? style_retain(sh->styles[0]) : NULL;
}

/*
 * Appends a copy of @text in @style; -1 if @doc is full or out of memory.
 * Borrows both; the document takes a reference to @style.
 */
static int document_add(struct document *doc, struct style *style, const char *text)
{
	char *copy;

	if (doc->len == MAX_PARAGRAPHS)
		return -1;
	copy = strdup(text);
	if (!copy)
		return -1;
	doc->paras[doc->len].style = style_retain(style);
	doc->paras[doc->len++].text = copy;
	return 0;
}

/*
 * Reads a note from @in (borrowed), adding its paragraphs to @doc, which the
 * caller empties whether this succeeds or not. Returns 0, or -1 after saying
 * why. The style sheet lives only until this function returns.
 */
static int document_load(FILE *in, struct document *doc)
{
	struct sheet sheet = { 0 };
	struct style *s = NULL;
	char line[512], name[16];
	int lineno = 0, indent, width, ret = -1;

	while (fgets(line, sizeof line, in)) {
		char *text = line, *end;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '@') {
			if (sscanf(line, "@style %15s %d %d", name, &indent, &width) < 3)
				goto bad;
			s = style_new(name, indent, width);
			if (!s || sheet.len == MAX_STYLES)
				goto full;
			sheet.styles[sheet.len++] = s;	/* the sheet's reference now */
			s = NULL;
			continue;
		}
		end = line[0] == '[' ? strchr(line, ']') : NULL;
		if (end) {
			*end = '\0';
			text = end + 1;
			s = sheet_lookup(&sheet, line + 1);
		} else {
			s = sheet_fallback(&sheet);
		}
		text += strspn(text, " ");
		if (!s)
			goto bad;
		if (document_add(doc, s, text) < 0)
			goto full;
		style_release(s);
		s = NULL;
	}
	ret = 0;
	goto out;
bad:
	fprintf(stderr, "line %d: unknown style, or a bad @style line\n", lineno);
	goto out;
full:
	fprintf(stderr, "line %d: out of memory, or too many lines\n", lineno);
out:
	style_release(s);
	for (size_t i = 0; i < sheet.len; i++)
		style_release(sheet.styles[i]);
	return ret;
}

/* Prints @p word-wrapped to its style. Borrows @p. */
static void paragraph_print(const struct paragraph *p)
{
	int indent = p->style->indent;
	int width = p->style->width;
	int col = 0;

	for (const char *w = p->text; *w; w += strspn(w, " ")) {
		int len = (int)strcspn(w, " ");

		if (col > 0 && col + 1 + len > width) {
			putchar('\n');
			col = 0;
		}
		if (col > 0)
			col += printf(" ");
		else
			col = printf("%*s", indent, "");
		col += printf("%.*s", len, w);
		w += len;
	}
	putchar('\n');
}

int main(void)
{
	struct document doc = { .len = 0 };
	int ret = document_load(stdin, &doc) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

	for (size_t i = 0; ret == EXIT_SUCCESS && i < doc.len; i++) {
		if (i > 0)
			putchar('\n');
		paragraph_print(&doc.paras[i]);
	}
	for (size_t i = 0; i < doc.len; i++) {
		style_release(doc.paras[i].style);
		free(doc.paras[i].text);
	}
	return ret;
}
