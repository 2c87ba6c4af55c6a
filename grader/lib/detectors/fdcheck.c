/*
 * fdcheck: the sanitizer detector's stand-in for Valgrind's --track-fds.
 *
 * Linked into a program graded with `--detector asan`. When the program
 * exits normally (return from main or exit()), it lists the descriptors
 * still open above 2, which the program itself opened (grader/memcheck
 * closes every inherited one before starting it), and appends one line per
 * descriptor to the file named by FDCHECK_LOG:
 *
 *	PID<TAB>fd<TAB>N<TAB>PATH
 *
 * Descriptors that are not the program's are skipped: those whose path
 * starts with FDCHECK_IGNORE (the sanitizers' own report files), and on
 * Linux the pipes to llvm-symbolizer, which AddressSanitizer starts to name
 * the places in its reports. /dev/fd lists the open descriptors on Linux
 * and on macOS alike.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* True if a child process of ours called NAME holds the pipe LINK
 * ("pipe:[inode]"), read from /proc (Linux; elsewhere, false). */
static int held_by_child(const char *link, const char *name)
{
	DIR *proc = opendir("/proc");
	struct dirent *entry;
	int found = 0;

	if (!proc)
		return 0;
	while (!found && (entry = readdir(proc)) != NULL) {
		char path[300], buf[512], comm[64], target[128];
		long ppid = -1;
		FILE *f;
		DIR *fds;
		struct dirent *fd;

		if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid ...: comm has no ')' for the names we want. */
		if (!fgets(buf, sizeof buf, f) || sscanf(buf, "%*d (%63[^)]) %*c %ld", comm, &ppid) != 2)
			ppid = -1;
		fclose(f);
		if (ppid != (long)getpid() || strcmp(comm, name) != 0)
			continue;
		snprintf(path, sizeof path, "/proc/%s/fd", entry->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!found && (fd = readdir(fds)) != NULL) {
			char fdpath[600];
			ssize_t n;

			snprintf(fdpath, sizeof fdpath, "%s/%s", path, fd->d_name);
			n = readlink(fdpath, target, sizeof target - 1);
			if (n > 0) {
				target[n] = '\0';
				found = strcmp(target, link) == 0;
			}
		}
		closedir(fds);
	}
	closedir(proc);
	return found;
}

static void fdcheck_report(int log, int fd, const char *ignore)
{
	char link[64], path[4096], line[4200];
	ssize_t n;
	int len;

	snprintf(link, sizeof link, "/dev/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		snprintf(path, sizeof path, "(unknown)");
	else
		path[n] = '\0';
	if (ignore && *ignore && strncmp(path, ignore, strlen(ignore)) == 0)
		return;
	if (strncmp(path, "pipe:", 5) == 0 && held_by_child(path, "llvm-symbolizer"))
		return;
	len = snprintf(line, sizeof line, "%ld\tfd\t%d\t%s\n", (long)getpid(), fd, path);
	if (len > 0 && write(log, line, (size_t)len) < 0)
		return;	/* nowhere left to say it */
}

static int log_fd = -1;
static struct stat log_stat;

/* Opens the log before main runs, so that a program that uses up every
 * descriptor still leaves us one to write with. */
__attribute__((constructor)) static void fdcheck_at_start(void)
{
	const char *name = getenv("FDCHECK_LOG");

	if (!name || !*name)
		return;
	log_fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (log_fd >= 0 && fstat(log_fd, &log_stat) < 0) {
		close(log_fd);
		log_fd = -1;
	}
}

/* Our log, if the program left it alone (it may have closed it, and even
 * opened a file of its own under the same number); else a new one. */
static int fdcheck_log(const char *name)
{
	struct stat now;

	if (log_fd >= 0 && fstat(log_fd, &now) == 0 &&
	    now.st_dev == log_stat.st_dev && now.st_ino == log_stat.st_ino)
		return log_fd;
	log_fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	return log_fd;
}

/* Runs after main returns or exit() is called, after atexit handlers. */
__attribute__((destructor)) static void fdcheck_at_exit(void)
{
	const char *name = getenv("FDCHECK_LOG");
	const char *ignore = getenv("FDCHECK_IGNORE");
	DIR *dir;
	struct dirent *entry;
	struct rlimit limit;
	char line[64];
	int log, len;
	long fd;

	if (!name || !*name)
		return;
	log = fdcheck_log(name);
	if (log < 0)
		return;
	len = snprintf(line, sizeof line, "%ld\texit\n", (long)getpid());
	if (len <= 0 || write(log, line, (size_t)len) < 0)
		goto out;
	dir = opendir("/dev/fd");
	if (dir) {
		while ((entry = readdir(dir)) != NULL) {
			char *end;

			fd = strtol(entry->d_name, &end, 10);
			if (*end != '\0' || end == entry->d_name || fd <= 2)
				continue;
			if (fd == log || fd == dirfd(dir))
				continue;
			fdcheck_report(log, (int)fd, ignore);
		}
		closedir(dir);
	} else if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
		/* No descriptor left to read /dev/fd with: ask each one. */
		for (fd = 3; fd < (long)limit.rlim_cur && fd < 65536; fd++)
			if (fd != log && fcntl((int)fd, F_GETFD) >= 0)
				fdcheck_report(log, (int)fd, ignore);
	}
out:
	close(log);
}
