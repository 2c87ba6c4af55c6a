/*
 * latency-report: reads a web server's access log on standard input, one
 * request per line, "METHOD PATH STATUS MILLISECONDS", and prints how many
 * requests there were, how many failed with a 5xx status, and the median,
 * 90th and 95th percentile and maximum of their latencies. Blank lines and
 * '#' lines are ignored; a malformed line is reported and skipped. Exits with
 * status 1 if it runs out of memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A growable array of latencies, in milliseconds. */
struct samples {
	unsigned long *ms;
	size_t len;
	size_t cap;
};

/*
 * Appends @ms to @s, doubling its array when it is full. Returns 0, or -1 if
 * out of memory. The array belongs to @s; free it with free(s->ms).
 */
static int samples_add(struct samples *s, unsigned long ms)
{
	if (s->len == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4;

		if (cap > SIZE_MAX / sizeof *s->ms)
			return -1;
		s->ms = realloc(s->ms, cap * sizeof *s->ms);
		if (!s->ms)
			return -1;
		s->cap = cap;
	}
	s->ms[s->len++] = ms;
	return 0;
}

static int compare_ms(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return (x > y) - (x < y);
}

/* The @p-th percentile of the sorted @s, by the nearest-rank method. */
static unsigned long percentile(const struct samples *s, unsigned p)
{
	size_t rank = (p * s->len + 99) / 100;

	return s->ms[rank ? rank - 1 : 0];
}

int main(void)
{
	struct samples s = { NULL, 0, 0 };
	unsigned long lineno = 0, failed = 0;
	char line[512];
	int status = 1;

	while (fgets(line, sizeof line, stdin)) {
		char method[16], path[256];
		unsigned code;
		unsigned long ms;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%15s %255s %u %lu", method, path, &code, &ms) != 4) {
			fprintf(stderr, "latency-report: line %lu: expected \"METHOD PATH STATUS MILLISECONDS\"\n",
				lineno);
			continue;
		}
		if (samples_add(&s, ms) != 0) {
			fprintf(stderr, "latency-report: out of memory\n");
			goto out;
		}
		if (code >= 500)
			failed++;
	}

	printf("requests: %zu (%lu failed)\n", s.len, failed);
	if (s.len > 0) {
		qsort(s.ms, s.len, sizeof *s.ms, compare_ms);
		printf("median:   %lu ms\n", percentile(&s, 50));
		printf("p90:      %lu ms\n", percentile(&s, 90));
		printf("p95:      %lu ms\n", percentile(&s, 95));
		printf("max:      %lu ms\n", s.ms[s.len - 1]);
	}
	status = 0;
out:
	free(s.ms);
	return status;
}
