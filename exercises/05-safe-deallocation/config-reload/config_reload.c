/*
 * config-reload: load a service's configuration, then apply edited
 * versions of it one after the other, the way a daemon rereads its
 * configuration file when it gets SIGHUP. An edit that does not parse is
 * rejected, and the configuration already running stays in force.
 *
 * Usage: config-reload FILE...   (the first FILE is the initial one)
 * Files hold "key = value" lines; lines starting with '#' are comments.
 * Keys: name, listen, log (optional), workers (optional, 1 to 64).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct config {
	char *name;	/* owned */
	char *listen;	/* owned */
	char *log;	/* owned; NULL means standard error */
	int workers;
};

/* Frees the strings @cfg owns; @cfg itself belongs to the caller. */
static void config_destroy(struct config *cfg)
{
	free(cfg->name);
	free(cfg->listen);
	free(cfg->log);
}

/* Replaces *@field with a copy of @value. Borrows @value. Returns 0 or -1. */
static int set_string(char **field, const char *value)
{
	char *copy = strdup(value);

	if (!copy)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

/*
 * Reads @path into @cfg, which holds no strings yet. Borrows @path. On
 * success @cfg owns its strings; free them with config_destroy(). On
 * failure says why on standard output and returns -1.
 */
static int config_load(struct config *cfg, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	int err = -1;

	f = fopen(path, "r");
	if (!f) {
		printf("%s: cannot open\n", path);
		goto fail;
	}
	while (getline(&line, &cap, f) != -1) {
		char key[16], value[128];
		int n;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, " %15[a-z] = %127[^\n]", key, value) != 2) {
			printf("%s:%d: expected \"key = value\"\n", path, lineno);
			goto fail;
		}
		if (strcmp(key, "name") == 0) {
			if (set_string(&cfg->name, value) < 0)
				goto nomem;
		} else if (strcmp(key, "listen") == 0) {
			if (set_string(&cfg->listen, value) < 0)
				goto nomem;
		} else if (strcmp(key, "log") == 0) {
			if (set_string(&cfg->log, value) < 0)
				goto nomem;
		} else if (strcmp(key, "workers") == 0) {
			if (sscanf(value, "%d", &n) != 1 || n < 1 || n > 64) {
				printf("%s:%d: workers must be 1 to 64\n", path, lineno);
				goto fail;
			}
			cfg->workers = n;
		} else {
			printf("%s:%d: unknown key \"%s\"\n", path, lineno, key);
			goto fail;
		}
	}
	if (!cfg->name || !cfg->listen) {
		printf("%s: name and listen are required\n", path);
		goto fail;
	}
	err = 0;
	goto out;
nomem:
	printf("%s: out of memory\n", path);
fail:
	/* Leave nothing half-loaded behind. */
	free(cfg->name);
	free(cfg->listen);
	free(cfg->log);
out:
	free(line);
	if (f)
		fclose(f);
	return err;
}

static void config_print(const struct config *cfg)
{
	printf("  name     %s\n", cfg->name);
	printf("  listen   %s\n", cfg->listen);
	printf("  workers  %d\n", cfg->workers);
	printf("  log      %s\n", cfg->log ? cfg->log : "(standard error)");
}

int main(int argc, char **argv)
{
	struct config running = { 0 };
	int ret = EXIT_FAILURE;

	if (argc < 2) {
		fprintf(stderr, "usage: config-reload FILE...\n");
		return EXIT_FAILURE;
	}
	if (config_load(&running, argv[1]) < 0)
		goto out;
	printf("%s: running\n", argv[1]);
	config_print(&running);

	for (int i = 2; i < argc; i++) {
		struct config next = { .workers = 1 };

		if (config_load(&next, argv[i]) < 0) {
			printf("%s: rejected, configuration unchanged\n", argv[i]);
			config_destroy(&next);
			continue;
		}
		config_destroy(&running);
		running = next;
		printf("%s: applied\n", argv[i]);
		config_print(&running);
	}
	ret = EXIT_SUCCESS;
out:
	config_destroy(&running);
	return ret;
}
