/*
 * paragraph-unwrap: join the hard-wrapped lines of each paragraph into a
 * single line, the way you would before pasting a mail or a commit message
 * into a web form that wraps text by itself.
 *
 * Input (stdin): plain text; paragraphs are separated by blank lines.
 * Output: each paragraph on one line, words separated by single spaces,
 * then a count of paragraphs and words.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Between paragraphs the buffer is normally kept for reuse. After a long
 * paragraph (a pasted log, say) it is given back, so that one big paste
 * does not pin its memory for the rest of the run.
 */
#define KEEP_BYTES 256

/* A growable, NUL-terminated string. */
struct strbuf {
	char *data;	/* owned; NULL until the first append */
	size_t len;	/* bytes in use, not counting the NUL */
	size_t cap;	/* bytes allocated for data */
};

/*
 * Appends @n bytes of @s to @sb, growing its buffer as needed. Borrows @s.
 * @sb owns the buffer; give it back with sb_release(). Returns 0, or -1 if
 * out of memory (then @sb is unchanged).
 */
static int sb_append(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		char *p;

		while (cap < sb->len + n + 1)
			cap *= 2;
		p = realloc(sb->data, cap);
		if (!p)
			return -1;
		sb->data = p;
		sb->cap = cap;
	}
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
	return 0;
}

/* Empties @sb but keeps its buffer for the next paragraph. */
static void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
}

/* Empties @sb and frees its buffer; @sb can be appended to again. */
static void sb_release(struct strbuf *sb)
{
	free(sb->data);
	/* Say "no buffer" in every field, so the next append allocates anew. */
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
}

/*
 * Appends the words of @line to @sb, each preceded by a space unless @sb is
 * empty. Borrows @line. Returns the number of words, or -1 if out of memory.
 */
static int append_words(struct strbuf *sb, const char *line)
{
	const char *delims = " \t\r\n";
	int words = 0;

	for (;;) {
		size_t n;

		line += strspn(line, delims);
		n = strcspn(line, delims);
		if (n == 0)
			return words;
		if ((sb->len > 0 && sb_append(sb, " ", 1) < 0) ||
		    sb_append(sb, line, n) < 0)
			return -1;
		line += n;
		words++;
	}
}

/* Prints the paragraph in @sb, if any, and empties @sb. */
static void flush_paragraph(struct strbuf *sb, int *paragraphs)
{
	if (sb->len == 0)
		return;
	fwrite(sb->data, 1, sb->len, stdout);
	putchar('\n');
	(*paragraphs)++;
	if (sb->len > KEEP_BYTES)
		sb_release(sb);
	else
		sb_reset(sb);
}

int main(void)
{
	struct strbuf para = { 0 };
	char *line = NULL;
	size_t linecap = 0;
	int paragraphs = 0;
	int words = 0;
	int ret = EXIT_FAILURE;

	while (getline(&line, &linecap, stdin) != -1) {
		int n = append_words(&para, line);

		if (n < 0) {
			perror("paragraph-unwrap");
			goto out;
		}
		if (n == 0)
			flush_paragraph(&para, &paragraphs);
		words += n;
	}
	flush_paragraph(&para, &paragraphs);
	printf("%d paragraphs, %d words\n", paragraphs, words);
	ret = EXIT_SUCCESS;
out:
	free(line);
	sb_release(&para);
	return ret;
}
