/*
 * sitemap: write the sitemap.xml of a static web site.
 *
 * Reads the site's base URL on the first line of stdin, then one page per
 * line: its path, and optionally the date it last changed, as in
 * "blog/hello.html 2024-03-01". Blank lines and lines starting with '#'
 * are skipped. Writes the sitemap (https://www.sitemaps.org/) to stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_LEN 512

/*
 * Returns a new string: @base, one '/', then @path (@base must not end
 * with a slash, nor @path begin with one). Borrows both strings; the
 * caller frees the result. Returns NULL if out of memory.
 */
static char *url_join(const char *base, const char *path)
{
	char *url;
	/* Let snprintf count with the very format that writes the string;
	 * its count leaves out the terminating '\0', hence the + 1. */
	int len = snprintf(NULL, 0, "%s/%s", base, path);

	if (len < 0)
		return NULL;
	url = malloc((size_t)len + 1);
	if (!url)
		return NULL;
	sprintf(url, "%s/%s", base, path);
	return url;
}

/* Writes @s to @out with the characters XML reserves escaped. */
static void put_xml(const char *s, FILE *out)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			putc(*s, out);
		}
	}
}

int main(void)
{
	char base[LINE_LEN];
	char line[LINE_LEN];
	size_t len;
	int pages = 0;
	int ret = EXIT_FAILURE;

	if (!fgets(base, sizeof base, stdin)) {
		fprintf(stderr, "sitemap: expected the base URL on the first line\n");
		goto out;
	}
	len = strcspn(base, "\r\n");
	while (len > 0 && base[len - 1] == '/')
		len--;
	base[len] = '\0';

	puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	puts("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
	while (fgets(line, sizeof line, stdin)) {
		char *path = strtok(line, " \t\r\n");
		char *date = path ? strtok(NULL, " \t\r\n") : NULL;
		char *url;

		if (!path || path[0] == '#')
			continue;
		while (*path == '/')
			path++;
		url = url_join(base, path);
		if (!url) {
			perror("sitemap");
			goto out;
		}
		fputs("  <url>\n    <loc>", stdout);
		put_xml(url, stdout);
		fputs("</loc>\n", stdout);
		if (date)
			printf("    <lastmod>%s</lastmod>\n", date);
		fputs("  </url>\n", stdout);
		free(url);
		pages++;
	}
	puts("</urlset>");
	fprintf(stderr, "sitemap: %d pages\n", pages);
	ret = EXIT_SUCCESS;
out:
	return ret;
}
