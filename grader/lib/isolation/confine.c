/*
 * confine: the last step before the program under test starts, inside the
 * sandbox. It keeps the program to one process, so that everything the
 * grader reads about a run comes from the detector that watched it.
 *
 *   confine [--single-process] [--nofile N] [--stderr-fd FD]
 *           [--watch-space DIR]... -- PROGRAM [ARG...]
 *
 * confine forks. The child runs PROGRAM (an absolute path: Valgrind's tool,
 * or a program built with the sanitizers) with ARG... as its argv; the
 * parent waits for it, and exits with its exit status, or 128+N when
 * signal N killed it.
 *
 * --single-process  a seccomp filter lets PROGRAM start threads but no
 *     other process and run no other program: such a call kills the whole
 *     process with SIGSYS, and the parent says so on its standard error.
 *     Nor may it reach into another process (ptrace, process_vm_*,
 *     pidfd_getfd), change a file's mode (the report pipes have none, and
 *     would keep none) or make or enter a namespace: those calls fail with
 *     EPERM, as they would for any unprivileged program. Valgrind
 *     writes the end of its report (the leaks, the error counts) when the
 *     program has ended: with no other process, no code of the program's
 *     can run after that, and none can outlive it.
 * --nofile N  PROGRAM is run from descriptor N (execveat), after which the
 *     descriptor limit becomes N: no process can ever own descriptor N
 *     again, so that with --single-process the filter allows that one exec
 *     and no other. Valgrind then keeps its own descriptors in the 12 below
 *     N, where the program cannot touch them (its calls on them fail with
 *     EBADF): the caller hands Valgrind its report pipes there.
 * --stderr-fd FD  the child's standard error is FD; confine's own stays.
 * --watch-space DIR  while PROGRAM runs, the free space of DIR's file
 *     system is watched; when it has run out, one line on standard error
 *     says so ("confine: full DIR").
 *
 * The parent is not dumpable: a program running as the same user cannot
 * read or write its memory, nor its descriptors, through /proc. In a
 * sandbox with a process namespace of its own, confine is process 1, so
 * it is the only process the program can see.
 *
 * Exits 2 with one line on standard error when it cannot start PROGRAM, and
 * 127 when the exec itself fails. On a processor it has no filter for (not
 * x86-64 or arm64), or a kernel without seccomp, --single-process runs the
 * program unfiltered and says so in one line beginning "sandbox: ".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#define CONFINE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CONFINE_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
/* Newer than the kernel headers of some systems; the same on both arches. */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif

#define MAX_WATCHED 8
#define WATCH_INTERVAL_NS (20 * 1000 * 1000)

struct options {
	int single_process;
	int nofile;		/* -1: run PROGRAM by path */
	int stderr_fd;		/* -1: keep standard error */
	const char *watched[MAX_WATCHED];
	int n_watched;
	char **argv;		/* PROGRAM [ARG...] */
};

static void usage(void)
{
	fputs("usage: confine [--single-process] [--nofile N] [--stderr-fd FD]\n"
	      "               [--watch-space DIR]... -- PROGRAM [ARG...]\n", stderr);
	exit(2);
}

/* A descriptor number from the command line, or -1. */
static int parse_fd(const char *text)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < 0 || value > INT_MAX)
		return -1;
	return (int)value;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof *o);
	o->nofile = -1;
	o->stderr_fd = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strcmp(argv[i], "--single-process") == 0) {
			o->single_process = 1;
		} else if (strcmp(argv[i], "--nofile") == 0 && i + 1 < argc) {
			o->nofile = parse_fd(argv[++i]);
			if (o->nofile < 16)
				usage();
		} else if (strcmp(argv[i], "--stderr-fd") == 0 && i + 1 < argc) {
			o->stderr_fd = parse_fd(argv[++i]);
			if (o->stderr_fd < 0)
				usage();
		} else if (strcmp(argv[i], "--watch-space") == 0 && i + 1 < argc) {
			if (o->n_watched == MAX_WATCHED)
				usage();
			o->watched[o->n_watched++] = argv[++i];
		} else {
			usage();
		}
	}
	/* The filter allows one exec: the one from descriptor N. */
	if (i >= argc || argv[i][0] != '/' || (o->single_process && o->nofile < 0))
		usage();
	o->argv = argv + i;
}

/* ------------------------------------------------------------ the filter */

#if defined(CONFINE_ARCH)

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif

#define MAX_INSNS 96

struct program {
	struct sock_filter insn[MAX_INSNS];
	unsigned short len;
};

static unsigned short emit(struct program *p, unsigned short code, unsigned char jt,
			   unsigned char jf, unsigned int k)
{
	struct sock_filter insn = { code, jt, jf, k };

	if (p->len == MAX_INSNS) {
		fputs("confine: filter too long\n", stderr);
		exit(2);
	}
	p->insn[p->len] = insn;
	return p->len++;
}

static void load(struct program *p, unsigned int offset)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offset);
}

static void ret(struct program *p, unsigned int action)
{
	emit(p, BPF_RET | BPF_K, 0, 0, action);
}

/* A jump over what follows when the accumulator is not K: returns the
 * instruction to patch with land() once the skipped part is written. */
static unsigned short unless_equal(struct program *p, unsigned int k)
{
	return emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, k);
}

static void land(struct program *p, unsigned short jump)
{
	p->insn[jump].jf = (unsigned char)(p->len - jump - 1);
}

/* Returns ACTION for system call NR. */
static void act_on(struct program *p, unsigned int nr, unsigned int action)
{
	unsigned short skip = unless_equal(p, nr);

	ret(p, action);
	land(p, skip);
}

/* Kills the process unless the accumulator is K. */
static void kill_unless(struct program *p, unsigned int k)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, k);
	ret(p, SECCOMP_RET_KILL_PROCESS);
}

/* Threads yes, processes no; EXEC_FD: the one descriptor execveat may
 * start a program from. */
static void build_filter(struct program *p, int exec_fd)
{
	static const unsigned int killed[] = {
#ifdef __NR_fork
		__NR_fork,
#endif
#ifdef __NR_vfork
		__NR_vfork,
#endif
		__NR_execve,
	};
	static const unsigned int refused[] = {
		__NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev, __NR_pidfd_getfd,
#ifdef __NR_chmod
		__NR_chmod,
#endif
		__NR_fchmod, __NR_fchmodat, __NR_fchmodat2,
		__NR_unshare, __NR_setns,
	};
	unsigned short skip;
	size_t i;

	p->len = 0;
	load(p, offsetof(struct seccomp_data, arch));
	kill_unless(p, CONFINE_ARCH);
	load(p, offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
	/* The x32 system call numbers would bypass every check below. */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, 0x40000000);
	ret(p, SECCOMP_RET_KILL_PROCESS);
#endif
	for (i = 0; i < sizeof killed / sizeof killed[0]; i++)
		act_on(p, killed[i], SECCOMP_RET_KILL_PROCESS);
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		act_on(p, refused[i], SECCOMP_RET_ERRNO | EPERM);

	/* clone makes a thread or a process: a thread only. */
	skip = unless_equal(p, __NR_clone);
	load(p, ARG_LOW(0));
	emit(p, BPF_JMP | BPF_JSET | BPF_K, 1, 0, CLONE_THREAD);
	ret(p, SECCOMP_RET_KILL_PROCESS);
	ret(p, SECCOMP_RET_ALLOW);
	land(p, skip);

	/* clone3 hides its flags in memory a filter cannot read: "not
	 * implemented" makes the C library fall back to clone. */
	skip = unless_equal(p, __NR_clone3);
	ret(p, SECCOMP_RET_ERRNO | ENOSYS);
	land(p, skip);

	/* execveat(EXEC_FD, "", argv, envp, AT_EMPTY_PATH) alone. */
	skip = unless_equal(p, __NR_execveat);
	if (exec_fd >= 0) {
		load(p, ARG_LOW(0));
		kill_unless(p, (unsigned int)exec_fd);
		load(p, ARG_LOW(4));
		kill_unless(p, AT_EMPTY_PATH);
		ret(p, SECCOMP_RET_ALLOW);
	} else {
		ret(p, SECCOMP_RET_KILL_PROCESS);
	}
	land(p, skip);

	ret(p, SECCOMP_RET_ALLOW);
}

/* 0, or -1 (with errno) when the kernel refuses the filter. */
static int install_filter(int exec_fd)
{
	static struct program p;
	struct sock_fprog prog;

	build_filter(&p, exec_fd);
	prog.len = p.len;
	prog.filter = p.insn;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

#else /* no filter for this processor */

static int install_filter(int exec_fd)
{
	(void)exec_fd;
	errno = ENOSYS;
	return -1;
}

#endif

/* ------------------------------------------------------------- the child */

/* Puts PROGRAM at descriptor N and lowers the descriptor limit to N, so
 * that no descriptor numbered N or above can be made again. Returns N, or
 * -1 with a message. */
static int place_program(const char *path, int n)
{
	struct rlimit rl;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "confine: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max <= (rlim_t)n) {
		fprintf(stderr, "confine: the descriptor limit is below %d\n", n + 1);
		return -1;
	}
	if (rl.rlim_cur <= (rlim_t)n) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			goto fail;
	}
	if (dup3(fd, n, O_CLOEXEC) != n)
		goto fail;
	close(fd);
	rl.rlim_cur = rl.rlim_max = (rlim_t)n;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		goto fail;
	return n;
fail:
	fprintf(stderr, "confine: cannot place %s at descriptor %d: %s\n", path, n, strerror(errno));
	return -1;
}

static void run_child(const struct options *o, const sigset_t *mask)
{
	int err = dup3(2, 3, O_CLOEXEC) == 3 ? 3 : 2;
	int exec_fd = -1;
	FILE *say;

	/* confine ignores them to outlive the program and report on it (the
	 * sandbox ignores SIGTERM for the same reason): the program gets the
	 * default actions back. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (o->nofile >= 0) {
		exec_fd = place_program(o->argv[0], o->nofile);
		if (exec_fd < 0)
			_exit(2);
	}
	if (o->single_process && install_filter(exec_fd) != 0)
		fprintf(stderr, "sandbox: no seccomp filter here (%s): a program could start other processes\n",
			strerror(errno));
	if (o->stderr_fd >= 0) {
		if (dup2(o->stderr_fd, 2) != 2)
			_exit(2);
		close(o->stderr_fd);
	}
	if (exec_fd >= 0)
		syscall(__NR_execveat, exec_fd, "", o->argv, environ, AT_EMPTY_PATH);
	else
		execv(o->argv[0], o->argv);
	say = fdopen(err, "w");
	if (say)
		fprintf(say, "confine: cannot run %s: %s\n", o->argv[0], strerror(errno));
	_exit(127);
}

/* ------------------------------------------------------------ the parent */

static void close_all_but_stderr(void)
{
	struct rlimit rl;
	long fd, top = 1024;

#ifdef __NR_close_range
	if (syscall(__NR_close_range, 0U, 1U, 0U) == 0 && syscall(__NR_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	close(0);
	close(1);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		top = (long)rl.rlim_cur;
	for (fd = 3; fd < top; fd++)
		close((int)fd);
}

static int space_left(const char *dir)
{
	struct statvfs st;

	return statvfs(dir, &st) != 0 || st.f_bavail > 0;
}

/* Waits for the child, reaping any other process that ends meanwhile (as
 * process 1, confine inherits orphans), and watching the free space.
 * Returns the child's wait status. */
static int wait_for(pid_t child, const struct options *o, int *full)
{
	struct timespec interval = { 0, WATCH_INTERVAL_NS };
	sigset_t chld;
	int status = 0, i;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == child)
				goto done;
		if (pid < 0 && errno != EINTR)
			return -1;
		for (i = 0; i < o->n_watched; i++)
			if (!full[i] && !space_left(o->watched[i]))
				full[i] = 1;
		if (o->n_watched > 0)
			sigtimedwait(&chld, NULL, &interval);
		else
			sigwaitinfo(&chld, NULL);
	}
done:
	for (i = 0; i < o->n_watched; i++)
		if (!full[i] && !space_left(o->watched[i]))
			full[i] = 1;
	return status;
}

int main(int argc, char **argv)
{
	struct options o;
	sigset_t chld, old;
	int full[MAX_WATCHED] = { 0 };
	int status, i;
	pid_t child;

	parse_options(argc, argv, &o);
	signal(SIGCHLD, SIG_DFL);
	/* The timeout's SIGTERM is for the program: confine waits for it to
	 * finish its report. SIGKILL, after that, stops them both. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Nobody may reach into this process through /proc: it outlives the
	 * program, and its word on how the program ended is trusted. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "confine: cannot fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0)
		run_child(&o, &old);
	close_all_but_stderr();
	status = wait_for(child, &o, full);
	for (i = 0; i < o.n_watched; i++)
		if (full[i])
			fprintf(stderr, "confine: full %s\n", o.watched[i]);
	if (status < 0) {
		fprintf(stderr, "confine: lost the program: %s\n", strerror(errno));
		return 2;
	}
	if (WIFSIGNALED(status)) {
		if (o.single_process && WTERMSIG(status) == SIGSYS)
			fputs("confine: stopped: it tried to start a process or another program\n", stderr);
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
