#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# grader/memcheck reports exact counts, one fixture program per key or kind,
# and refuses to produce a summary from a report it cannot trust.

bats_require_minimum_version 1.11.0
load helpers

memcheck() {
	"$GRADER_DIR/memcheck" "$@"
}

@test "memcheck: a clean program gets a clean summary" {
	run -0 memcheck "$(build_fixture clean)"
	expect_summary </dev/null
}

@test "memcheck: every leak kind, with direct bytes only under definitely lost" {
	run -0 memcheck "$(build_fixture leaks)"
	expect_summary <<-END
	errors 5
	contexts 5
	definitely_lost_bytes 16
	definitely_lost_blocks 1
	indirectly_lost_bytes 32
	indirectly_lost_blocks 2
	possibly_lost_bytes 40
	possibly_lost_blocks 1
	still_reachable_bytes 24
	still_reachable_blocks 1
	Leak_DefinitelyLost 1
	Leak_IndirectlyLost 2
	Leak_PossiblyLost 1
	Leak_StillReachable 1
	END
}

@test "memcheck: error kinds are counted as Valgrind counts them" {
	run -0 memcheck "$(build_fixture errors)"
	expect_summary <<-END
	errors 10
	contexts 6
	InvalidFree 1
	InvalidRead 5
	InvalidWrite 1
	Overlap 1
	SyscallParam 1
	UninitCondition 1
	END
}

@test "memcheck: errors and contexts agree with Valgrind's own ERROR SUMMARY" {
	local program
	program=$(build_fixture errors)
	run -0 memcheck "$program"
	local errors contexts
	errors=$(awk '$1 == "errors" { print $2 }' <<<"$output")
	contexts=$(awk '$1 == "contexts" { print $2 }' <<<"$output")
	run valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all "$program"
	[[ "$output" == *"ERROR SUMMARY: $errors errors from $contexts contexts"* ]]
}

@test "memcheck: file descriptors left open, not counting inherited ones" {
	run -0 memcheck "$(build_fixture fds)"
	expect_summary <<-END
	errors 1
	contexts 1
	still_reachable_bytes 472
	still_reachable_blocks 1
	fds_leaked 2
	Leak_StillReachable 1
	END
}

@test "memcheck: the program's own exit status" {
	run -0 memcheck "$(build_fixture status)"
	expect_summary <<-END
	exit_status 3
	END
}

@test "memcheck: a crash is reported with its signal" {
	run -0 memcheck "$(build_fixture crash)"
	expect_summary <<-END
	errors 1
	contexts 1
	exit_status 139
	signal SIGSEGV
	InvalidRead 1
	END
}

@test "memcheck: a program that never ends is stopped at the timeout" {
	SECONDS=0
	run -0 memcheck --timeout 1 "$(build_fixture spin)"
	expect_summary <<-END
	exit_status 143
	signal SIGTERM
	timed_out 1
	END
	[ "$SECONDS" -lt 8 ]
}

@test "memcheck: a program that ignores SIGTERM is killed" {
	SECONDS=0
	run -0 memcheck --timeout 1 "$(build_fixture stubborn)"
	expect_summary <<-END
	exit_status 137
	signal SIGKILL
	timed_out 1
	END
	[ "$SECONDS" -lt 10 ]
}

@test "memcheck: a program that forks is refused, in one clear line" {
	run -2 --separate-stderr memcheck "$(build_fixture fork)"
	[ -z "$output" ]
	[ "$stderr" = "memcheck: the program tried to start another process or program (fork, exec, system...), which this run does not allow: Valgrind sees one process, and only its report can be trusted" ]
}

@test "memcheck: threads are allowed; fork, vfork, posix_spawn, system and exec are not" {
	local program how
	program=$(build_fixture processes -pthread)
	run -0 memcheck --stdout "$BATS_TEST_TMPDIR/out" "$program"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "thread: started and joined
: went through" ]
	for how in fork vfork spawn system exec; do
		run -2 --separate-stderr memcheck --stdout "$BATS_TEST_TMPDIR/out" "$program" "$how"
		[[ "$stderr" == "memcheck: the program tried to start another process or program"* ]] ||
			{ echo "$how: $stderr"; return 1; }
		[ "$(cat "$BATS_TEST_TMPDIR/out")" = "thread: started and joined" ]
	done
}

@test "memcheck: junk written into every descriptor from 3 to 4095 reaches no report" {
	# Valgrind's report pipes are among its own descriptors, which the
	# program's calls cannot touch: the summary is the program's own.
	run -0 memcheck "$(build_fixture junk-fds)"
	expect_summary </dev/null
}

@test "memcheck: fake Valgrind text from the program neither mixes in nor fools it" {
	local out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err
	run -0 memcheck --stdout "$out" --stderr "$err" "$(build_fixture fake-valgrind)"
	expect_summary <<-END
	errors 1
	contexts 1
	definitely_lost_bytes 64
	definitely_lost_blocks 1
	Leak_DefinitelyLost 1
	END
	grep -q 'All heap blocks were freed' "$out"
	grep -q 'All heap blocks were freed' "$err"
}

@test "memcheck: a flood of output is cut at --max-output" {
	local out=$BATS_TEST_TMPDIR/out
	run -0 memcheck --max-output 65536 --stdout "$out" "$(build_fixture flood)"
	[[ "$output" == *"signal SIGXFSZ"* ]]
	[ "$(stat -c %s "$out")" -le 65536 ]
}

@test "memcheck: --stdin, --stdout, --stderr and arguments reach the program" {
	local in=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err
	printf 'line one\nline two\n' >"$in"
	run -0 memcheck --stdin "$in" --stdout "$out" --stderr "$err" "$(build_fixture echo-input)" "an arg" second
	expect_summary </dev/null
	cmp "$in" "$out"
	[ "$(cat "$err")" = "$(printf 'an arg\nsecond')" ]
}

@test "memcheck: --details names the file, line and function of each error" {
	local details=$BATS_TEST_TMPDIR/details
	run -0 memcheck --details "$details" --source-dir "$BATS_TEST_DIRNAME/fixtures" "$(build_fixture errors)"
	grep -q $'^InvalidRead\t5\tInvalid read of size 1\terrors.c:29 (main)\t.*free.d\terrors.c:12 (release) < errors.c:27 (main)\tBlock was alloc.d at\terrors.c:17 (main)\tfree$' "$details"
	# The call chain tells the two calls of release() apart.
	grep -q $'^InvalidFree\t1\t.*\terrors.c:12 (release) < errors.c:32 (main)\t.*\terrors.c:12 (release) < errors.c:27 (main)\t' "$details"
	# A call into the C library is one step, not its frames.
	grep -q $'^Overlap\t1\t.*\tinside strncpy < errors.c:35 (main)\t' "$details"
}

@test "memcheck: a missing program is one clear line and exit 2" {
	run -2 --separate-stderr memcheck "$BATS_TEST_TMPDIR/no-such-program"
	[ "$stderr" = "memcheck: program not found: $BATS_TEST_TMPDIR/no-such-program" ]
}

@test "memcheck: missing Valgrind is one clear line naming what to install, and a status of its own" {
	local bin
	bin=$(path_without valgrind)
	run -3 --separate-stderr env PATH="$bin" bash "$GRADER_DIR/memcheck" /bin/true
	[ "$stderr" = "memcheck: valgrind is not installed; install it (Debian/Ubuntu: sudo apt-get install valgrind)" ]
}

@test "memcheck: a program that calls exec is refused (its report would be replaced)" {
	run -2 --separate-stderr memcheck "$(build_fixture exec-away)"
	[ -z "$output" ]
	[[ "$stderr" == "memcheck: the program tried to start another process or program (fork, exec, system...)"* ]]
}

@test "memcheck --count-allocations: Valgrind counts the calls through failalloc, whatever the program writes" {
	local program=$BATS_TEST_TMPDIR/count-liar flags
	"${CC:-cc}" "${CFLAGS_FIXED[@]}" -c -o "$BATS_TEST_TMPDIR/failalloc.o" "$GRADER_DIR/lib/detectors/failalloc.c"
	mapfile -t flags < <(failalloc_link_flags)
	"${CC:-cc}" "${CFLAGS_FIXED[@]}" -o "$program" "$BATS_TEST_DIRNAME/fixtures/count-liar.c" \
		"$BATS_TEST_TMPDIR/failalloc.o" "${flags[0]}"
	mkdir "$BATS_TEST_TMPDIR/run"
	run -0 memcheck --sandbox "$BATS_TEST_TMPDIR/run" --count-allocations "$BATS_TEST_TMPDIR/count" \
		--env "FAILALLOC_COUNT=$BATS_TEST_TMPDIR/count" "$program"
	expect_summary </dev/null
	[ "$(cat "$BATS_TEST_TMPDIR/count")" = 10 ]
}

@test "memcheck --isolation: full here with bubblewrap; without it, says what is missing" {
	local bin
	if sandbox_isolates; then
		run -0 memcheck --isolation
		[ "$output" = full ]
	fi
	bin=$(path_without bwrap)
	run -0 env PATH="$bin" "$GRADER_DIR/memcheck" --isolation
	[[ "$output" == "partial: no bubblewrap: programs run without "*"isolation"* ]]
}

# ---------------------------------------------------------------- --sandbox

# True when grader/lib/isolation/sandbox isolates here (bubblewrap works): it says on
# stderr, in one line, when it cannot.
sandbox_isolates() {
	[ -z "$("$GRADER_DIR/lib/isolation/sandbox" -- true 2>&1 >/dev/null)" ]
}

teardown() {
	if [ -n "${visible_dir:-}" ]; then rm -rf "$visible_dir"; fi
	if [ -n "${canary:-}" ]; then rm -f "$canary"; fi
}

@test "memcheck --sandbox: the summary is the same as without" {
	local fixture program plain
	for fixture in clean leaks errors fds crash status; do
		program=$(build_fixture "$fixture")
		plain=$(memcheck "$program")
		run -0 memcheck --sandbox "$BATS_TEST_TMPDIR" "$program"
		[ "$output" = "$plain" ] || { echo "$fixture differs:"; diff <(echo "$plain") <(echo "$output"); return 1; }
	done
}

@test "memcheck --sandbox: the program writes into a private copy of DIR, and nowhere else" {
	sandbox_isolates || skip "no filesystem isolation here (bubblewrap missing or not permitted)"
	local dir=$BATS_TEST_TMPDIR/scratch out=$BATS_TEST_TMPDIR/out outside
	# In a folder anyone may enter and write, so that only the sandbox's
	# view can keep the program out.
	visible_dir=$(mktemp -d "${TMPDIR:-/tmp}/memcheck-test.XXXXXX")
	chmod 777 "$visible_dir"
	outside=$visible_dir/outside.txt
	echo original >"$outside"
	chmod 666 "$outside"
	mkdir "$dir"
	echo seeded >"$dir/inside.txt"
	run -0 memcheck --sandbox "$dir" --stdout "$out" "$(build_fixture write-files)" "$dir/inside.txt" "$outside" "$visible_dir/new.txt"
	[ "$(cat "$out")" = "wrote $dir/inside.txt
could not write $outside
could not write $visible_dir/new.txt" ]
	# Its copy of DIR is gone with the run.
	[ "$(cat "$dir/inside.txt")" = seeded ]
	[ "$(cat "$outside")" = original ]
	[ ! -e "$visible_dir/new.txt" ]
}

@test "memcheck --sandbox: the program sees the system and its copy of DIR, not the workbook, the home or the test's files" {
	sandbox_isolates || skip "no filesystem isolation here (bubblewrap missing or not permitted)"
	local dir=$BATS_TEST_TMPDIR/scratch out=$BATS_TEST_TMPDIR/out
	mkdir "$dir"
	echo mine >"$dir/data.txt"
	echo secret >"$BATS_TEST_TMPDIR/secret.txt"
	# The result cache is in the workbook's .build: a file beside the
	# grader's tools (whose confine the sandbox shows) stays out of view.
	canary=$(tools_root)/canary-$$
	echo secret >"$canary"
	chmod -R a+rX "$BATS_TEST_TMPDIR" "$canary"
	run -0 memcheck --sandbox "$dir" --stdout "$out" "$(build_fixture read-files)" data.txt /etc/passwd \
		"$WORKBOOK_DIR/grader/memcheck" "$WORKBOOK_DIR/solutions" "$canary" "$BATS_TEST_TMPDIR/secret.txt" \
		"${HOME:-/root}" /tmp
	cat "$out"
	[ "$(cat "$out")" = "read data.txt
read /etc/passwd
could not read $WORKBOOK_DIR/grader/memcheck
could not read $WORKBOOK_DIR/solutions
could not read $canary
could not read $BATS_TEST_TMPDIR/secret.txt
could not read ${HOME:-/root}
read /tmp" ]
}

@test "memcheck --sandbox: 64 MiB of files at most, and a run that fills them is refused in one line" {
	sandbox_isolates || skip "no filesystem isolation here (bubblewrap missing or not permitted)"
	local dir=$BATS_TEST_TMPDIR/scratch out=$BATS_TEST_TMPDIR/out
	mkdir "$dir"
	run -2 --separate-stderr memcheck --sandbox "$dir" --stdout "$out" "$(build_fixture fill-disk)"
	echo "$stderr"
	cat "$out"
	[ "$stderr" = "memcheck: the program filled the space it may write (64 MiB in its folder and /tmp together), so it was stopped from writing more" ]
	# 1 MiB files: the last one's pages, and Valgrind's own few in /tmp,
	# leave room for one or two less than 64.
	local here tmp
	read -r _ here _ _ _ _ tmp _ <"$out"
	[ $((here + tmp)) -ge 62 ] && [ $((here + tmp)) -le 64 ]
	[ -z "$(ls -A "$dir")" ]
}

@test "memcheck --sandbox: the report is out of the program's reach, as root and as another user" {
	sandbox_isolates || skip "no filesystem isolation here (bubblewrap missing or not permitted)"
	local program who runs=(as-is)
	# As root the grader runs programs as a user of their own; as anyone
	# else, as that same user: both ways must hold. In a folder anyone may
	# enter, for the other user.
	if [ "$EUID" = 0 ] && command -v setpriv >/dev/null; then runs+=(nobody); fi
	visible_dir=$(mktemp -d "${TMPDIR:-/tmp}/memcheck-test.XXXXXX")
	chmod 755 "$visible_dir"
	program=$visible_dir/report-thief
	cp "$(build_fixture leak-24 "$BATS_TEST_DIRNAME/fixtures/attacks/forge-report.c")" "$program"
	for who in "${runs[@]}"; do
		local keep=$visible_dir/keep-$who run=$visible_dir/run-$who as=()
		mkdir -p "$keep" "$run"
		chmod 777 "$keep" "$run"
		[ "$who" = as-is ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
		run -0 ${as[@]+"${as[@]}"} env TMPDIR="$keep" MEMCHECK_KEEP=1 "$GRADER_DIR/memcheck" --sandbox "$run" \
			--stdout "$keep/out" --stderr "$keep/err" "$program"
		expect_summary <<-END
		errors 1
		contexts 1
		definitely_lost_bytes 24
		definitely_lost_blocks 1
		Leak_DefinitelyLost 1
		END
		cat "$keep/out" "$keep/err"
		grep -qx 'leaked 24 bytes' "$keep/out"
		if grep -q '^stolen' "$keep/out"; then echo "$who: the report was read"; return 1; fi
		# It reopened only Valgrind's own lock pipe (see the fixture), not
		# the reports at the top of Valgrind's descriptors.
		if grep -E 'fd/(1021|1022|1023) ' "$keep/err"; then echo "$who: a report pipe was opened"; return 1; fi
		if grep -rqF THIEF-MARK "$keep"/memcheck.*; then echo "$who: the report was written into"; return 1; fi
	done
}

@test "memcheck --sandbox: the program reaches no network, not even 127.0.0.1" {
	sandbox_isolates || skip "no network isolation here (bubblewrap missing or not permitted)"
	local tcp port_file=$BATS_TEST_TMPDIR/port out=$BATS_TEST_TMPDIR/out listener
	tcp=$(build_fixture tcp)
	"$tcp" listen "$port_file" 3>&- &
	listener=$!
	for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
	# Outside the sandbox, the listener answers...
	run -0 "$tcp" connect "$(cat "$port_file")"
	[ "$output" = connected ]
	# ...inside, there is no network to reach it through.
	run -0 memcheck --sandbox "$BATS_TEST_TMPDIR" --stdout "$out" "$tcp" connect "$(cat "$port_file")"
	kill "$listener" 2>/dev/null || true
	[[ "$(cat "$out")" == "no network: "* ]]
}

@test "memcheck --sandbox without bubblewrap: one line says what is missing, and the program still runs" {
	local bin
	bin=$(path_without bwrap)
	run -0 --separate-stderr env PATH="$bin" "$GRADER_DIR/memcheck" --sandbox "$BATS_TEST_TMPDIR" "$(build_fixture leaks)"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "sandbox: no bubblewrap: programs run without "*"isolation"* ]]
	[[ "$output" == *"definitely_lost_bytes 16"* ]]
}

@test "sandbox: limits on processor time, core dumps, file size, memory and processes; no inherited descriptor" {
	cd "$BATS_TEST_TMPDIR"
	# bats keeps its TAP stream on 3: it must be closed; 4 is kept on request.
	# shellcheck disable=SC2016 # expanded by the inner shell
	run -0 "$GRADER_DIR/lib/isolation/sandbox" --keep-fd 4 -- bash -c \
		'ulimit -St; ulimit -c; ulimit -f; ulimit -v; ulimit -u; for fd in 3 4 5; do [ ! -e /proc/$$/fd/$fd ] || echo "fd $fd"; done' 4>/dev/null 5>/dev/null
	[ "${lines[0]}" = 30 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 8192 ]
	[ "${lines[3]}" = $((2 * 1024 * 1024)) ]
	[ "${lines[4]}" != unlimited ]
	[ "${lines[5]}" = "fd 4" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "memcheck --failed-allocation names the call that failalloc made fail, and counts no error for it" {
	local dir=$BATS_TEST_DIRNAME/fixtures/oom/leaky prog
	prog=$BATS_TEST_TMPDIR/leaky
	# shellcheck disable=SC2046 # one linker option a line
	cc "${CFLAGS_FIXED[@]}" -o "$prog" $(failalloc_link_flags | grep -v ',-y,') "$dir/words.c" "$GRADER_DIR/lib/detectors/failalloc.c"
	run -0 memcheck --stdin <(echo one two) --source-dir "$dir" --env FAILALLOC_AT=2 \
		--failed-allocation "$BATS_TEST_TMPDIR/failed" "$prog"
	[ "$(summary_value <(printf '%s\n' "$output") errors)" = 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR/failed")" = $'strdup\twords.c:35 (main)' ]
	# Without the option, nothing fails: no mark, no error.
	run -0 memcheck --stdin <(echo one two) --source-dir "$dir" "$prog"
	[ "$(summary_value <(printf '%s\n' "$output") errors)" = 0 ]
}

