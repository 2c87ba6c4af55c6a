/* settings: runs a script of commands from stdin (set KEY VALUE, get KEY,
 * append KEY VALUE: joins VALUE to the old value with ':') on a store that
 * starts with built-in defaults. Exit status 1 if a command failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

static struct { const char *key; const char *value; } defaults[] = {
	{ "editor", "vi" },
	{ "pager", "less" },
};

/* Returns a new string, "@old:@add", or a copy of @add if @old is NULL;
 * caller frees it. Returns NULL if out of memory. */
static char *join(const char *old, const char *add)
{
	size_t size = (old ? strlen(old) + 1 : 0) + strlen(add) + 1;
	char *s = malloc(size);

	if (s)
		snprintf(s, size, "%s%s%s", old ? old : "", old ? ":" : "", add);
	return s;
}

/* Runs one command; borrows @cmd, @key and @arg. Returns 0 or -1. */
static int run(struct kv *kv, const char *cmd, const char *key, const char *arg)
{
	if (strcmp(cmd, "get") == 0) {
		const char *value = kv_get(kv, key);

		printf("%s = %s\n", key, value ? value : "(not set)");
		return 0;
	}
	if (!arg)
		return -1;
	if (strcmp(cmd, "set") == 0)
		return kv_set(kv, key, arg);
	if (strcmp(cmd, "append") == 0) {
		char *joined = join(kv_get(kv, key), arg);

		if (!joined || kv_take(kv, key, joined) != 0) {
			free(joined);	/* on failure it is still ours */
			return -1;
		}
		return 0;
	}
	return -1;
}

int main(void)
{
	struct kv *kv = kv_new();
	char line[256];
	unsigned lineno = 0;
	int status = 1;

	if (!kv)
		goto out;
	/* kv_set(): the store frees its values, so it needs its own copies. */
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (kv_set(kv, defaults[i].key, defaults[i].value) != 0)
			goto out;
	status = 0;
	while (fgets(line, sizeof line, stdin)) {
		char *cmd = strtok(line, " \n");
		char *key = strtok(NULL, " \n");
		char *arg = strtok(NULL, "\n");

		lineno++;
		if (!cmd || cmd[0] == '#')
			continue;
		if (!key || run(kv, cmd, key, arg) != 0) {
			printf("line %u: %s failed\n", lineno, cmd);
			status = 1;
		}
	}
out:
	kv_free(kv);
	return status;
}
