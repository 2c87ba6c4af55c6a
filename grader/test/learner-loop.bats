#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $lines
# The learner's loop around `make check`: `make progress` (what is done,
# what is next), `make watch` (grade on every save, in a real terminal),
# and `make reset` (back up, then restore the shipped exercise). Each test
# works in a copy of the workbook whose path has a space.

bats_require_minimum_version 1.11.0
load helpers

# The first N exercises of the workbook, in the learner's order, leaving
# out allocation-failure exercises (slower: one run per allocation).
some_exercises() {
	local count=$1 spec name
	for spec in "$WORKBOOK_DIR"/exercises/*/*/exercise.spec; do
		grep -q '^oom-status:' "$spec" && continue
		name=${spec%/exercise.spec}
		printf '%s\n' "${name#"$WORKBOOK_DIR"/exercises/}"
		count=$((count - 1))
		[ "$count" -gt 0 ] || return 0
	done
}

# copy_exercises NAME...: a copy of the workbook in a folder whose path
# contains a space, holding only the exercises named (with their solutions
# and chapter texts); prints its path.
copy_exercises() {
	local copy="$BATS_TEST_TMPDIR/work book" name
	mkdir -p "$copy/chapters"
	cp -R "$WORKBOOK_DIR/Makefile" "$WORKBOOK_DIR/grader" "$copy/"
	for name in "$@"; do
		mkdir -p "$copy/exercises/${name%/*}" "$copy/solutions/${name%/*}"
		cp -R "$WORKBOOK_DIR/exercises/$name" "$copy/exercises/$name"
		cp -R "$WORKBOOK_DIR/solutions/$name" "$copy/solutions/$name"
		cp "$WORKBOOK_DIR/chapters/${name%/*}.md" "$copy/chapters/"
	done
	printf '%s\n' "$copy"
}

# solve COPY NAME: the learner's fix: the solution's C over the exercise's.
solve() {
	cp "$1/solutions/$2/"*.c "$1/exercises/$2/"
}

first_c_file() {
	local file
	for file in "$1"/*.c; do
		printf '%s\n' "$file"
		return
	done
}

# commit COPY: makes the copy a git checkout of what it holds now.
commit() {
	git -C "$1" init -q
	git -C "$1" add -A
	git -C "$1" -c user.name=test -c user.email=test@example.invalid -c commit.gpgsign=false \
		commit -q -m shipped
}

# A fingerprint of every file under a folder, to prove nothing changed.
fingerprint() {
	(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

now_ms() { date +%s%3N; }

# until_true SECONDS COMMAND...: retries COMMAND every 0.2 s until it
# succeeds or SECONDS have passed.
until_true() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# Processes whose command line names the copy: the watcher, inotifywait,
# the grader and the programs it runs.
# (Not pgrep: it takes a regular expression, and the path is a string.)
# shellcheck disable=SC2009
processes_in() {
	ps -eo pid=,args= | grep -F -- "$1" | grep -v -F -- "grep -F" || true
}

nothing_runs_in() {
	[ -z "$(processes_in "$1")" ]
}

# ------------------------------------------------------------- a terminal

tmux_() {
	tmux -S "$BATS_TEST_TMPDIR/tmux.sock" -f /dev/null "$@"
}

# in_terminal COMMAND: runs the shell COMMAND in a detached 200x50 tmux
# terminal; the shell stays open afterwards, to be read.
in_terminal() {
	tmux_ new-session -d -s learner -x 200 -y 50 "$1; sleep 60"
}

screen() {
	tmux_ capture-pane -p -J -t learner 2>/dev/null
}

screen_shows() {
	local text
	for text in "$@"; do
		[[ "$(screen)" == *"$text"* ]] || return 1
	done
}

# wait_for_screen TEXT...: until the terminal shows every TEXT (30 s).
wait_for_screen() {
	until_true 30 screen_shows "$@" || {
		echo "the terminal never showed: $*"
		echo "it shows:"
		screen
		return 1
	}
}

# count_at_least N FILE TEXT: FILE has at least N lines holding TEXT.
count_at_least() {
	[ "$(grep -cF -- "$3" "$2")" -ge "$1" ]
}

# log_shows FILE TEXT...
log_shows() {
	local file=$1 text
	shift
	for text in "$@"; do
		grep -qF -- "$text" "$file" || return 1
	done
}

teardown() {
	local pid
	tmux_ kill-server 2>/dev/null || true
	# A failed test must not leave a watcher behind: stop those it started.
	if [ -n "${watcher:-}" ]; then kill "$watcher" 2>/dev/null || true; fi
	for pid in $(processes_in "$BATS_TEST_TMPDIR/work book" | awk '{ print $1 }'); do
		kill "$pid" 2>/dev/null || true
	done
}

# --------------------------------------------------------------- progress

@test "make progress: done and not yet, from grading the learner's current files; fast when nothing changed" {
	local first second copy start elapsed before
	read -r first second < <(some_exercises 2 | paste -sd ' ')
	copy=$(copy_exercises "$first" "$second")

	run make -s -C "$copy"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(sed -n 's/^# //p' "$copy/chapters/${first%/*}.md" | head -n 1)"* ]]
	[[ "$output" == *"not yet  ${first#*/}"* ]]
	[[ "$output" == *"not yet  ${second#*/}"* ]]
	[[ "$output" == *"0 of 2 exercises done."* ]]
	[[ "$output" == *"Next: make check EX=$first"* ]]
	[[ "$output" == *"$(spec_load "$copy/exercises/$first" >/dev/null && echo "$spec_title")"* ]]

	solve "$copy" "$first"
	run make -s -C "$copy" progress
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"done     ${first#*/}"* ]]
	[[ "$output" == *"not yet  ${second#*/}"* ]]
	[[ "$output" == *"1 of 2 exercises done."* ]]
	[[ "$output" == *"Next: make check EX=$second"* ]]
	run "$copy/grader/lib/learner/progress" --next
	[ "$output" = "$second" ]

	# Nothing changed since: the answer comes from the cache, and fast.
	before=$output
	start=$(now_ms)
	run make -s -C "$copy" progress
	elapsed=$(($(now_ms) - start))
	echo "second run: $elapsed ms"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 of 2 exercises done."* ]]
	[[ "$output" == *"Next: make check EX=$second"* ]]
	[ "$elapsed" -lt 2000 ]

	solve "$copy" "$second"
	run make -s -C "$copy" progress
	[[ "$output" == *"2 of 2 exercises done."* ]]
	[[ "$output" == *"congratulations"* ]]
	[[ "$output" != *"Next:"* ]]
}

@test "make progress follows the learner's files: an exercise broken again is not done" {
	local first copy
	first=$(some_exercises 1)
	copy=$(copy_exercises "$first")
	solve "$copy" "$first"
	run make -s -C "$copy" progress
	[[ "$output" == *"1 of 1 exercises done."* ]]
	cp "$WORKBOOK_DIR/exercises/$first/"*.c "$copy/exercises/$first/"
	run make -s -C "$copy" progress
	echo "$output"
	[[ "$output" == *"0 of 1 exercises done."* ]]
	[[ "$output" == *"Next: make check EX=$first"* ]]
}

# ------------------------------------------------------------------ watch

@test "make watch EX=...: in a terminal, grades at start and on every save, names the next exercise, and Ctrl-C ends it cleanly" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	command -v inotifywait >/dev/null || skip "inotify-tools is not installed"
	local first second copy
	read -r first second < <(some_exercises 2 | paste -sd ' ')
	copy=$(copy_exercises "$first" "$second")
	in_terminal "$(printf 'cd %q && make watch EX=%q; echo "watch ended with status $?"' "$copy" "$first")"
	wait_for_screen "make watch: $first" "0 passed, 1 failed" "Not passing yet"

	solve "$copy" "$first"
	wait_for_screen "1 passed, 0 failed" "Passed: $first is done." "Next: $second" "make watch EX=$second"

	tmux_ send-keys -t learner C-c
	wait_for_screen "Stopped watching." "watch ended with status 0"
	[[ "$(screen)" != *"make: ***"* ]]
	until_true 10 nothing_runs_in "$copy" || { processes_in "$copy"; return 1; }
}

@test "make watch: closing its terminal stops it and everything it started" {
	command -v tmux >/dev/null || skip "tmux is not installed"
	local first copy
	first=$(some_exercises 1)
	copy=$(copy_exercises "$first")
	in_terminal "$(printf 'cd %q && make watch EX=%q' "$copy" "$first")"
	wait_for_screen "0 passed, 1 failed"
	[ -n "$(processes_in "$copy")" ]
	tmux_ kill-server
	until_true 10 nothing_runs_in "$copy" || { processes_in "$copy"; return 1; }
}

@test "make watch without EX, polling (WATCH_POLL=1): grades the exercise saved, follows the next, stops on SIGTERM" {
	local first second copy log rc=0
	read -r first second < <(some_exercises 2 | paste -sd ' ')
	copy=$(copy_exercises "$first" "$second")
	log=$BATS_TEST_TMPDIR/watch.log
	# The watcher itself, not make, so that its own exit status is seen.
	WATCH_POLL=1 "$copy/grader/grade" watch >"$log" 2>&1 3>&- &
	watcher=$!
	until_true 30 log_shows "$log" "make watch: $first" "0 passed, 1 failed" || { cat "$log"; return 1; }
	[[ "$(processes_in "$copy")" != *inotifywait* ]]

	solve "$copy" "$first"
	until_true 30 log_shows "$log" "Passed: $first is done." "Next: $second" "Now following it" ||
		{ cat "$log"; return 1; }

	# A save in another exercise grades that one.
	printf '\n' >>"$(first_c_file "$copy/exercises/$second")"
	until_true 30 log_shows "$log" "make watch: $second" || { cat "$log"; return 1; }
	until_true 30 count_at_least 2 "$log" "0 passed, 1 failed" || { cat "$log"; return 1; }

	kill -TERM "$watcher"
	wait "$watcher" || rc=$?
	watcher=''
	[ "$rc" -eq 0 ]
	grep -q "Stopped watching." "$log"
	# Not a terminal: no escape sequences in the log.
	[ "$(grep -c $'\e' "$log")" = 0 ]
	until_true 10 nothing_runs_in "$copy" || { processes_in "$copy"; return 1; }
}

# ------------------------------------------------------------------ reset

@test "make reset: backs up the learner's exact files, then restores the exercise as committed" {
	local first copy dir backup mine=$BATS_TEST_TMPDIR/mine shipped=$BATS_TEST_TMPDIR/shipped
	first=$(some_exercises 1)
	copy=$(copy_exercises "$first")
	commit "$copy"
	dir=$copy/exercises/$first
	printf '/* my attempt */\n' >>"$(first_c_file "$dir")"
	printf 'notes, with a tab\there\n' >"$dir/my notes.txt"
	cp -a "$dir" "$mine"

	run make -s -C "$copy" reset EX="$first"
	echo "$output"
	[ "$status" -eq 0 ]
	backup=$(sed -n 's/^Your version is saved in //p' <<<"$output")
	[[ "$backup" == ".backups/$first/"[0-9]*-[0-9]*/ ]]
	# The backup holds the learner's exact bytes, the added file included.
	diff -r "$mine" "$copy/$backup"
	cmp "$mine/my notes.txt" "$copy/$backup/my notes.txt"
	# The folder is as committed, and nothing else is in it.
	mkdir "$shipped"
	git -C "$copy" archive HEAD "exercises/$first" | tar -x -C "$shipped"
	diff -r "$shipped/exercises/$first" "$dir"
	[[ "$output" == *"removed   my notes.txt"* ]]
}

@test "make reset: an exercise with no changes is left alone, with no backup" {
	local first copy before
	first=$(some_exercises 1)
	copy=$(copy_exercises "$first")
	commit "$copy"
	before=$(fingerprint "$copy/exercises")
	run make -s -C "$copy" reset EX="${first#*/}"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already as shipped: nothing to reset"* ]]
	[ ! -e "$copy/.backups" ]
	[ "$(fingerprint "$copy/exercises")" = "$before" ]
}

@test "make reset outside a git checkout is one clear line and changes nothing" {
	local first copy before
	first=$(some_exercises 1)
	copy=$(copy_exercises "$first")
	printf 'mine\n' >"$copy/exercises/$first/extra.txt"
	before=$(fingerprint "$copy/exercises")
	GIT_CEILING_DIRECTORIES=$BATS_TEST_TMPDIR run "$copy/grader/grade" reset "$first"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "reset: make reset needs a git checkout of the workbook, and this copy of it is not one; nothing was changed" ]
	[ "$(fingerprint "$copy/exercises")" = "$before" ]
	[ ! -e "$copy/.backups" ]
}
