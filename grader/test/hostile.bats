#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# The grader is fed untrusted code. Each hostile program of
# fixtures/hostile/ takes the place of an exercise in a copy of the
# workbook and is graded by `make check`, as a learner's would be. Each
# must get a failing verdict that says why in plain words: never a pass,
# never a hang, never a bats stack trace; and nothing outside the copy's
# .build folder may change, nor the canary file and the sibling submission
# beside the copy. (attacks.bats tries the attacks on grades themselves,
# in learner mode and in class mode.)

bats_require_minimum_version 1.11.0
load helpers

# Each test works in a folder of its own that others may enter (the
# sandbox's user must see the real files, read-only, to show that they
# are protected by more than being out of sight), holding:
#   work book/          a copy of the workbook with one exercise
#   other submission/   another learner's work
#   canary.txt          a file nobody may touch
setup() {
	local ex
	base=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX")
	chmod 755 "$base"
	copy="$base/work book"
	ex=exercises/$(first_exercise)
	name=${ex#exercises/}
	mkdir -p "$copy/${ex%/*}" "$base/other submission"
	cp -R "$WORKBOOK_DIR/Makefile" "$WORKBOOK_DIR/grader" "$copy/"
	cp -R "$WORKBOOK_DIR/$ex" "$copy/$ex"
	echo 'int main(void) { return 0; }' >"$base/other submission/main.c"
	echo 'canary: still here' >"$base/canary.txt"
}

teardown() {
	rm -rf "$base"
}

# A fingerprint of every file and folder under the test's folder but the
# copy's .build: contents, names, modes and owners.
fingerprint() {
	(cd "$base" && find . -path './work book/.build' -prune -o -print0 | LC_ALL=C sort -z |
		xargs -0 stat -c '%n %a %u:%g %s' && find . -path './work book/.build' -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0 sha256sum)
}

# grade_hostile FIXTURE: puts fixtures/hostile/FIXTURE.c (../NAME: one of
# memcheck's own fixtures) in place of the
# exercise's C files and grades it with `make check`, in at most
# MAX_SECONDS (default 30); sets $output and $status.
grade_hostile() {
	local fixture=$1 dir="$copy/exercises/$name" f before
	for f in "$dir"/*.c; do rm -f "$f"; done
	cp "$BATS_TEST_DIRNAME/fixtures/hostile/$fixture.c" "$dir/main.c"
	sed -i 's/^sources:.*//' "$dir/exercise.spec"
	before=$(fingerprint)
	SECONDS=0
	run make -s -C "$copy" check EX="$name"
	elapsed=$SECONDS
	printf '%s\n' "$output"
	echo "(graded in $elapsed s)"
	[ "$elapsed" -le "${MAX_SECONDS:-30}" ]
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	[[ "$output" != *"in test file"* ]]
	[ "$(fingerprint)" = "$before" ]
	[ "$(cat "$base/canary.txt")" = 'canary: still here' ]
}

@test "hostile: fake 'ok' TAP lines written to descriptor 3 do not count" {
	grade_hostile fake-tap
	[[ "$output" != *"fake pass"* ]]
	[[ "$output" == *"- Definite leak: "* ]]
}

@test "hostile: junk written into every descriptor from 3 to 4095 reaches no report" {
	# Valgrind's reports are out of the program's reach: it is graded on
	# what it does (it prints nothing, and exits 0).
	grade_hostile ../junk-fds
	[[ "$output" != *"The grader could not check this run:"* ]]
	[[ "$output" == *"It exited with status 0; a correct run exits with "* ||
		"$output" == *"It printed the wrong output"* ]]
}

@test "hostile: fake Valgrind 'no leaks' text does not hide a leak" {
	grade_hostile ../fake-valgrind
	[[ "$output" == *"Valgrind found 1 error in 1 place"* ]]
	[[ "$output" == *"- Definite leak: "* ]]
}

@test "hostile: Valgrind client requests that turn off error reporting are refused" {
	grade_hostile client-request
	[[ "$output" == *"It uses Valgrind client requests, which could hide errors from the grader"* ]]
}

@test "hostile: client requests are emptied by -DNVALGRIND, and the double free is seen" {
	grade_hostile client-request-disarmed
	[[ "$output" == *"- Double free: "* ]]
}

@test "hostile: a forked child, which could outlive Valgrind's report, is refused" {
	grade_hostile ../fork
	[[ "$output" == *"The grader could not check this run:"* ]]
	[[ "$output" == *"the program tried to start another process or program (fork, exec, system...)"* ]]
}

@test "hostile: running itself again with exec, to replace its report by a clean one, is refused" {
	grade_hostile exec-self
	[[ "$output" == *"The grader could not check this run:"* ]]
	[[ "$output" == *"the program tried to start another process or program (fork, exec, system...)"* ]]
}

@test "hostile: a program that never ends is stopped" {
	RUN_TIMEOUT=2 MAX_SECONDS=20 grade_hostile spin
	[[ "$output" == *"It did not finish within 2 seconds and was stopped"* ]]
}

@test "hostile: gigabytes of output are cut at 8 MiB, and fill no disk" {
	grade_hostile flood
	[[ "$output" == *"It crashed with SIGXFSZ: it printed too much output"* ]]
	[ "$(du -sm "$copy/.build" | cut -f1)" -lt 40 ]
}

@test "hostile: a fork bomb is stopped at its first fork, and leaves no process behind" {
	RUN_TIMEOUT=2 MAX_SECONDS=40 grade_hostile fork-bomb
	[[ "$output" == *"the program tried to start another process or program"* ]]
	sleep 1
	run pgrep -f -- "$base"
	echo "$output"
	[ "$status" -eq 1 ]
}

@test "hostile: deleting or editing the grader, the exercises, a sibling submission or a canary fails" {
	grade_hostile vandal
	[[ "$output" == *"It exited with status 77"* ]]
	# What it may write (its scratch and its own /tmp) goes with the run:
	# grade_hostile checks that nothing else changed.
	[ ! -e "$copy/.build/results/forged" ]
	[ ! -e "$base/planted-by-a-hostile-program" ]
}

@test "hostile: the expected output in exercise.spec is out of the program's reach, and its leak is seen" {
	grade_hostile spec-reader
	[[ "$output" == *"It printed the wrong output"* ]]
	[[ "$output" == *"Valgrind found 1 error in 1 place"* ]]
	[[ "$output" == *"- Definite leak: "* ]]
}
