/*
 * log-summary: summarize a web server's access log.
 *
 * Input (stdin): one request per line, "<time> <method> <path> <status>
 * <milliseconds>", for example "09:14:02 GET /index.html 200 12".
 * Blank lines and lines starting with '#' are skipped. Prints how many
 * requests there were, how many failed, the first server error (status
 * 500 and up) and the slowest request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK 64

/* A run of bytes inside someone else's buffer; not NUL-terminated. */
struct slice {
	const char *p;
	size_t n;
};

/*
 * Reads a stream into one buffer that keeps everything read so far, and
 * hands out its lines as slices of that buffer, so nothing is copied.
 */
struct reader {
	FILE *in;
	char *buf;	/* owned; free it with reader_free() */
	size_t len;	/* bytes read into buf */
	size_t cap;
	size_t pos;	/* where the next line starts */
	int eof;
};

/* Frees the buffer @r owns; @r's stream is the caller's to close. */
static void reader_free(struct reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/*
 * Reads more of the stream, doubling the buffer when it is full. Returns
 * -1 on a read error or if out of memory.
 */
static int reader_fill(struct reader *r)
{
	size_t got;

	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : READ_CHUNK;
		char *buf = realloc(r->buf, cap);

		if (!buf)
			return -1;
		r->buf = buf;
		r->cap = cap;
	}
	got = fread(r->buf + r->len, 1, r->cap - r->len, r->in);
	if (got == 0) {
		if (ferror(r->in))
			return -1;
		r->eof = 1;
	}
	r->len += got;
	return 0;
}

/*
 * Sets @line to the next line of @r, without its newline; @line points
 * into @r's buffer. Returns 1 for a line, 0 at the end of the stream, -1
 * on a read error or if out of memory.
 */
static int reader_next_line(struct reader *r, struct slice *line)
{
	for (;;) {
		size_t left = r->len - r->pos;
		const char *nl = NULL;

		if (left > 0)
			nl = memchr(r->buf + r->pos, '\n', left);
		if (nl || (r->eof && left > 0)) {
			line->p = r->buf + r->pos;
			line->n = nl ? (size_t)(nl - line->p) : left;
			r->pos += line->n + (nl != NULL);
			return 1;
		}
		if (r->eof)
			return 0;
		if (reader_fill(r) < 0)
			return -1;
	}
}

/* Returns the next space-separated word of @s and moves @s past it. */
static struct slice next_word(struct slice *s)
{
	struct slice w;

	while (s->n > 0 && *s->p == ' ') {
		s->p++;
		s->n--;
	}
	w.p = s->p;
	for (w.n = 0; w.n < s->n && w.p[w.n] != ' '; w.n++)
		;
	s->p += w.n;
	s->n -= w.n;
	return w;
}

/* Parses @s as a non-negative decimal number. Returns -1 if it is not one. */
static long slice_to_long(struct slice s)
{
	long v = 0;

	if (s.n == 0 || s.n > 9)
		return -1;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = 10 * v + (s.p[i] - '0');
	}
	return v;
}

static void print_request(const char *label, struct slice request)
{
	printf("%s: ", label);
	for (size_t i = 0; i < request.n; i++)
		putchar(request.p[i]);
	putchar('\n');
}

int main(void)
{
	struct reader r = { .in = stdin };
	struct slice line;
	struct slice first_error = { 0 };
	struct slice slowest = { 0 };
	long slowest_ms = -1;
	int requests = 0;
	int failed = 0;
	int lineno = 0;
	int ret = EXIT_FAILURE;
	int rc;

	while ((rc = reader_next_line(&r, &line)) > 0) {
		struct slice rest = line;
		long status, ms;

		lineno++;
		if (line.n == 0 || line.p[0] == '#')
			continue;
		next_word(&rest);	/* time */
		next_word(&rest);	/* method */
		next_word(&rest);	/* path */
		status = slice_to_long(next_word(&rest));
		ms = slice_to_long(next_word(&rest));
		if (status < 0 || ms < 0) {
			fprintf(stderr, "line %d: expected \"<time> <method> "
				"<path> <status> <ms>\"\n", lineno);
			goto out;
		}
		requests++;
		if (status >= 400)
			failed++;
		if (status >= 500 && !first_error.p)
			first_error = line;
		if (ms > slowest_ms) {
			slowest_ms = ms;
			slowest = line;
		}
	}
	if (rc < 0) {
		perror("log-summary");
		goto out;
	}
	printf("%d requests, %d failed\n", requests, failed);
	if (first_error.p)
		print_request("first server error", first_error);
	if (slowest_ms >= 0)
		print_request("slowest request", slowest);
	ret = EXIT_SUCCESS;
out:
	reader_free(&r);
	return ret;
}
