# shellcheck shell=bash
# shellcheck disable=SC2154 # the spec_* variables come from spec_load (spec.bash)
# Verdicts: a result's facts in plain words for the learner (what went
# wrong, where, the rule, the chapter), and the workbook's own checks of
# its exercises and solutions. Sourced by exercise.bash.

# ----------------------------------------------------------------- verdicts

# diagnose KIND AUX AUXFN: which explanation of lib/grading/explanations.tsv fits
# an error context of --details (AUX: Valgrind's first auxiliary text;
# AUXFN: the function atop that stack, e.g. free or realloc).
diagnose() {
	local kind=$1 aux=$2 auxfn=$3
	case $kind in
	Leak_DefinitelyLost) echo definite-leak ;;
	Leak_IndirectlyLost) echo indirect-leak ;;
	Leak_PossiblyLost) echo possible-leak ;;
	Leak_StillReachable) echo still-reachable ;;
	FdLeak) echo fd-leak ;;
	InvalidFree)
		case $aux in
		*"free'd"*) echo double-free ;;
		*" 0 bytes inside a block"*) echo double-free ;;
		*"bytes inside a block"*) echo interior-free ;;
		*) echo nonheap-free ;;
		esac ;;
	InvalidRead | InvalidWrite)
		case $aux in
		# "not stack'd, malloc'd or (recently) free'd": no block at all.
		*"Address 0x0 is not"*) echo null-deref ;;
		*"is not stack'd"*) echo bad-access ;;
		*"free'd"*)
			if [ "$auxfn" = realloc ] || [ "$auxfn" = reallocarray ]; then echo stale-alias
			elif [ "$kind" = InvalidRead ]; then echo uaf-read
			else echo uaf-write; fi ;;
		*"bytes after a block"* | *"bytes before a block"* | *"inside a block of size 0"*) echo overflow ;;
		*) echo bad-access ;;
		esac ;;
	UninitCondition | UninitValue) echo uninit ;;
	SyscallParam) echo uninit ;;
	Overlap) echo overlap ;;
	MismatchedFree) echo mismatched-free ;;
	UndefinedBehavior) echo undefined ;;
	*) echo other ;;
	esac
}

# explanation ID FIELD: one field of lib/grading/explanations.tsv (2 title,
# 3 chapter, 4 section, 5 what happened, 6 the rule).
explanation() {
	local line fields
	while IFS= read -r line; do
		[ "${line%%$'\t'*}" = "$1" ] || continue
		IFS=$'\t' read -r -a fields <<<"$line"
		printf '%s\n' "${fields[$2 - 1]}"
		return 0
	done <"$GRADER_DIR/lib/grading/explanations.tsv"
}

# site_label KIND AUX: how Valgrind's auxiliary text reads as a label for
# its place.
site_label() {
	case $2 in
	*"free'd"*) if [ "$1" = InvalidFree ]; then echo "first freed at"; else echo "freed at"; fi ;;
	*"alloc'd"* | *"created by a heap allocation"*) echo "allocated at" ;;
	*"created by a stack allocation"*) echo "a local variable of" ;;
	*) echo "see" ;;
	esac
}

# main_label KIND: the label of the place where an error happened.
main_label() {
	case $1 in
	InvalidRead) echo "read at" ;;
	InvalidWrite) echo "written at" ;;
	InvalidFree | MismatchedFree) echo "freed at" ;;
	*) echo "at" ;;
	esac
}

explain_signal() {
	case $1 in
	SIGSEGV) echo "a segmentation fault: it touched memory that is not mapped (a NULL or wild pointer?)" ;;
	SIGABRT) echo "it aborted (an assert failed, or the C library found a corrupted heap)" ;;
	SIGBUS) echo "a bus error: a bad memory access" ;;
	SIGFPE) echo "an arithmetic error, such as a division by zero" ;;
	SIGXFSZ) echo "it printed too much output (the grader stops a program at 8 MiB)" ;;
	SIGXCPU) echo "it used more processor time than the grader allows (30 seconds)" ;;
	SIGKILL | SIGTERM) echo "it was stopped by the grader" ;;
	*) echo "it was killed by $1" ;;
	esac
}

plural() { if [ "$1" = 1 ]; then echo "$1 $2"; else echo "$1 ${2}s"; fi; }

# say_memory_problems RESULT: the error contexts of one run, grouped by
# what went wrong: each group explained once, in plain words, with the rule
# it breaks and the chapter section that teaches it, then its places.
say_memory_problems() {
	local result=$1 ids id
	# In the order of lib/grading/explanations.tsv: the order to fix them in.
	local found line
	found=" $(diagnoses "$result" | tr '\n' ' ')"
	ids=$(while IFS= read -r line; do
		id=${line%%$'\t'*}
		case $found in *" $id "*) printf '%s\n' "$id" ;; esac
	done <"$GRADER_DIR/lib/grading/explanations.tsv")
	[ "${2:-}" != noleaks ] || ids=$(printf '%s\n' "$ids" | grep -vxE "$LEAK_IDS" || true)
	for id in $ids; do
		printf -- '- %s: %s\n' "$(explanation "$id" 2)" "$(explanation "$id" 5)" | fold -s -w 88 | sed '2,$s/^/  /'
		say_places "$result" "$id"
		printf '  The rule: %s\n' "$(explanation "$id" 6)" | fold -s -w 88 | sed '2,$s/^/    /'
		say_read "$id"
	done
}

# say_read ID: the chapter sections to read for diagnosis ID: the one the
# exercise's spec names for its lesson (read:) first, then the section on
# that kind of bug, unless it is the same one.
say_read() {
	local generic
	generic="chapters/$(explanation "$1" 3), \"$(explanation "$1" 4)\""
	if [ -n "${spec_read:-}" ] && [ "chapters/${spec_read%%, *}, \"${spec_read#*, }\"" != "$generic" ]; then
		printf '  Read: chapters/%s, "%s" (this exercise'"'"'s lesson),\n        then %s\n' "${spec_read%%, *}" "${spec_read#*, }" "$generic"
	else
		printf '  Read: %s\n' "$generic"
	fi
}

# folded_places RESULT: how many places the verdict tells, once the C
# library's own lines are folded away as say_places folds them (Valgrind
# counts each line of its flush at exit as a place of its own).
folded_places() {
	local kind count what site aux2 site2 aux3 site3 auxfn
	local -A seen=()
	while IFS=$'\037' read -r kind count what site aux2 site2 aux3 site3 auxfn; do
		[ "$kind" != FdLeak ] || continue
		seen["$kind|${what% of size *}|$(say_place at "$site" "$1")|$site2|$site3"]=1
	done < <(details_rows "$1")
	echo "${#seen[@]}"
}

# say_places RESULT ID: where each context of diagnosis ID happened (the
# first five; the count of the rest).
say_places() {
	local result=$1 id=$2 n=0 kind count what site aux2 site2 aux3 site3 auxfn times key
	local -A count_of=() what_of=() row_of=()
	local keys=()
	while IFS=$'\037' read -r kind count what site aux2 site2 aux3 site3 auxfn; do
		[ "$(diagnose "$kind" "$aux2" "$auxfn")" = "$id" ] || continue
		# Places that read the same once the C library's own lines are
		# folded away (its flush at exit, line by line, at each size) are
		# one place: told once, with their counts added up.
		key="$kind|${what% of size *}|$(say_place at "$site" "$result")|$site2|$site3"
		if [ -z "${row_of[$key]:-}" ]; then
			keys+=("$key")
			row_of[$key]="$kind"$'\037'"$site"$'\037'"$aux2"$'\037'"$site2"$'\037'"$aux3"$'\037'"$site3"
			what_of[$key]=$what count_of[$key]=0
		elif [ "${what_of[$key]}" != "$what" ]; then
			what_of[$key]=${what% of size *}
		fi
		count_of[$key]=$((count_of[$key] + ${count:-1}))
	done < <(details_rows "$result")
	# Each line of code is shown once in a problem: where it is first named.
	SHOWN_LINES=()
	for key in ${keys[@]+"${keys[@]}"}; do
		n=$((n + 1))
		[ "$n" -le 5 ] || continue
		IFS=$'\037' read -r kind site aux2 site2 aux3 site3 <<<"${row_of[$key]}"
		what=${what_of[$key]} count=${count_of[$key]}
		case $kind in
		Leak_*)
			printf '    %s\n' "$what"
			say_place "allocated at" "$site" "$result" code ;;
		FdLeak)
			printf '    %s\n' "$(printf '%s' "$what" | sed 's|/[^ ]*/\.build/results/[^/]*/run/||')"
			[ -z "$site" ] || say_place "opened at" "$site" "$result" code ;;
		*)
			if [ "$count" = 1 ]; then times=; else times=", $count times"; fi
			printf '    %s (%s%s)\n' "$what" "$kind" "$times"
			say_place "$(main_label "$kind")" "$site" "$result" code
			say_aux "$kind" "$aux2" "$site2" "$result" code
			say_aux "$kind" "$aux3" "$site3" "$result" code
			;;
		esac
	done
	[ "$n" -le 5 ] || printf '    ... and %s more places like these\n' "$((n - 5))"
}

# say_place LABEL SITE RESULT [code]: one place of a --details row, its
# call chain one frame a line ("called from ..."), a call into the C
# library as "inside FN, called from ...", and with `code`, the learner's
# source line of its first frame, as a compiler shows it.
say_place() {
	local label=$1 site=$2 result=$3 code=${4:-} frame first=1 inside=''
	while IFS= read -r frame; do
		case $frame in
		'inside '*) inside=${frame#inside } ; continue ;;
		esac
		if [ "$first" = 1 ]; then
			if [ -n "$inside" ]; then
				printf '      %s inside the C library (%s), called from %s\n' "${label% at}" "$(library_name "$inside")" "$frame"
			else
				printf '      %s %s\n' "$label" "$frame"
			fi
			[ -z "$code" ] || say_source_line "$result" "$frame"
			first=0
		else
			printf '        called from %s\n' "$frame"
		fi
	done < <(printf '%s\n' "$site" | sed 's/ < /\n/g')
}

# library_name FN: the name a learner called for the C library's internal
# function FN (fopen for __fopen_internal), else FN.
library_name() {
	case $1 in
	__assert_fail | __assert_perror_fail) echo assert ;;
	__fopen_internal | _IO_new_fopen) echo fopen ;;
	_IO_new_fclose) echo fclose ;;
	_IO_new_fdopen) echo fdopen ;;
	_IO_getdelim | __getdelim) echo getline ;;
	_IO_fgets) echo fgets ;;
	_IO_puts) echo puts ;;
	__vfprintf_internal | __printf | _IO_printf) echo printf ;;
	_IO_* | IO_* | buffer_free) echo "its FILE code" ;;
	__GI_*) echo "${1#__GI_}" ;;
	*) echo "$1" ;;
	esac
}

# say_source_line RESULT PLACE: the line PLACE ("file.c:12 (fn)") names, from
# the copy of the learner's sources the result was built from, with its
# number and an arrow; nothing for a file that is not the learner's, nor
# for a line already shown since say_places emptied SHOWN_LINES.
declare -gA SHOWN_LINES=()
say_source_line() {
	local result=$1 place=${2% (*} file line src text
	file=${place%:*} line=${place##*:}
	case $line in '' | *[!0-9]*) return 0 ;; esac
	case $file in */* | '') return 0 ;; esac
	[ -z "${SHOWN_LINES[$file:$line]:-}" ] || return 0
	SHOWN_LINES[$file:$line]=1
	for src in "$result/src" "$result/../../src"; do
		[ -f "$src/$file" ] || continue
		text=$(sed -n "${line}{s/^[[:space:]]*//;p;q}" "$src/$file" | cut -c1-100)
		[ -z "$text" ] || printf '      --> %4s | %s\n' "$line" "$text"
		return 0
	done
}

# say_aux KIND AUX SITE RESULT [code]: one auxiliary place (with `code`,
# its source line); Valgrind's own words when it names no place (an
# address in the program's read-only data is a literal).
say_aux() {
	[ -n "$2" ] || return 0
	if [ -n "$3" ]; then
		say_place "$(site_label "$1" "$2")" "$3" "$4" "${5:-}"
	else
		printf '      (%s)\n' "$(printf '%s' "$2" | sed 's|mapped file [^ ]*/program segment|mapped file: the program itself (a string literal or other constant)|')"
	fi
}

# details_rows RESULT: the --details rows with their tabs turned into a
# separator that `read` does not fold when fields are empty (it folds tabs).
details_rows() {
	tr '\t' '\037' <"$1/details"
}

# verdict_build RESULT: "ok", or says why the build failed (returns 1).
verdict_build() {
	local result=$1
	if [ -s "$result/spec.log" ]; then
		echo "The exercise's exercise.spec cannot be read:"
		sed 's/^/    /' "$result/spec.log"
		return 1
	fi
	if [ "$(cat "$result/build.status")" != 0 ]; then
		echo "It does not compile. The compiler said:"
		head -n 30 "$result/build.log" | sed 's/^/    /'
		return 1
	fi
	if [ -e "$result/allocation-bypass" ]; then
		echo "It reaches the allocator past the grader's allocation-failure runs, so it was not run:"
		sed 's/^/    /' "$result/allocation-bypass"
		echo "    Allocate with malloc, calloc, realloc and the like, and handle each failure."
		return 1
	fi
	if [ -e "$result/client-requests" ]; then
		echo "It uses Valgrind client requests, which could hide errors from the grader, so it was not run."
		echo "    Remove every use of <valgrind/valgrind.h> and <valgrind/memcheck.h> (VALGRIND_... macros)"
		echo "    and anything that imitates them: a correct program needs no word with Valgrind."
		return 1
	fi
	return 0
}

# verdict_warnings RESULT: the grader builds with -Wall -Wextra and
# accepts no warning: each one is a bug the compiler saw before Valgrind.
verdict_warnings() {
	if [ -s "$1/build.log" ]; then
		echo "It compiles with warnings (the grader accepts none). The compiler said:"
		head -n 30 "$1/build.log" | sed 's/^/    /'
		return 1
	fi
}

# verdict_run RESULT [STATUS]: checks the run could be measured and ended
# well, with exit status STATUS (default: the spec's).
verdict_run() {
	local result=$1 want=${2:-$spec_status} sig status
	if [ "$(cat "$result/memcheck.status")" != 0 ] && grep -q "over Valgrind's own record of the heap" "$result/memcheck.log"; then
		echo "It wrote so far past the end of a heap block that it overwrote Valgrind's own record of the heap, and Valgrind had to stop. What Valgrind saw before it stopped:" |
			fold -s -w 92 | sed '2,$s/^/    /'
		[ ! -s "$result/details" ] || say_memory_problems "$result" noleaks | sed 's/^/  /'
		return 1
	fi
	if [ "$(cat "$result/memcheck.status")" != 0 ]; then
		echo "The grader could not check this run:"
		grep -v '^sandbox: ' "$result/memcheck.log" | sed 's/^memcheck: /    /'
		if grep -q 'wrote into it\|tampered' "$result/memcheck.log"; then
			echo "    (A program must not write into descriptors it did not open, nor into Valgrind's reports.)"
		fi
		return 1
	fi
	if [ "$(summary_value "$result/summary" timed_out)" = 1 ]; then
		echo "It did not finish within $RUN_TIMEOUT seconds and was stopped (an endless loop, or waiting for input?)."
		# Valgrind reports where the stop signal found it: the loop, often.
		SHOWN_LINES=()
		[ ! -s "$result/crash-site" ] || say_place "it was stopped at" "$(sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ < /g' "$result/crash-site")" "$result" code
		return 1
	fi
	sig=$(summary_value "$result/summary" signal)
	if [ "$sig" = SIGABRT ] && [ "$(detector)" = asan ] && [ "$(summary_value "$result/summary" errors)" != 0 ]; then
		echo "AddressSanitizer stopped it at a memory error it could not go on from. Fix the first one below, then check again: there may be more behind it."
		return 1
	fi
	if [ "$sig" != none ] && [ "$(head -n 1 "$result/crash-site" 2>/dev/null)" = "stack overflow" ]; then
		echo "It crashed with $sig: a stack overflow: its stack could not grow any more (a recursion that never stops, or a local array too big for the stack)."
		say_crash_site "$result"
		say_stderr_end "$result"
		return 1
	elif [ "$sig" != none ]; then
		echo "It crashed with $sig: $(explain_signal "$sig")."
		say_crash_site "$result"
		say_stderr_end "$result"
		return 1
	fi
	status=$(summary_value "$result/summary" exit_status)
	if [ "$status" != "$want" ]; then
		echo "It exited with status $status; a correct run exits with $want."
		if [ -s "$result/stderr" ]; then
			echo "    Its error output began with:"
			head -n 5 "$result/stderr" | sed 's/^/      /'
		fi
		return 1
	fi
}

# say_crash_site RESULT: where the fatal signal stopped the program, in its
# own code, with its callers and the line itself (memcheck --crash-site).
say_crash_site() {
	[ -s "$1/crash-site" ] || return 0
	SHOWN_LINES=()
	say_place "stopped at" "$(grep -vx 'stack overflow' "$1/crash-site" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ < /g')" "$1" code
}

# say_stderr_end RESULT: the last lines the program wrote on its standard
# error (an assert's message, the C library's complaint).
say_stderr_end() {
	[ -s "$1/stderr" ] || return 0
	echo "  Its error output ended with:"
	tail -n 5 "$1/stderr" | cut -c1-200 | sed 's/^/      /'
}

# verdict_output RESULT [EXPECTED-FILE]: the program printed exactly the
# expected output (the spec's, or that file's).
verdict_output() {
	local result=$1 expected=${2:-}
	if ! expected_output "$expected" | cmp -s - "$result/stdout"; then
		echo "It printed the wrong output. Differences (- expected, + printed):"
		expected_output "$expected" | diff -u --label expected --label printed - "$result/stdout" |
			tail -n +3 | head -n 20 | mark_trailing_space | sed 's/^/    /'
		return 1
	fi
}

# mark_trailing_space: a diff's lines with the spaces and tabs that end
# them made visible (else "-total 1.55" and "+total 1.55 " look the same),
# and a line saying so when there were any; diff's "\ No newline at end of
# file" in words. Control characters (a \r) are made visible by the
# report, as everywhere.
mark_trailing_space() {
	awk '/^[-+ ]/ {
			body = substr($0, 2)
			if (match(body, /[ \t]+$/)) {
				tail = substr(body, RSTART); gsub(/ /, "␣", tail); gsub(/\t/, "→", tail)
				$0 = substr($0, 1, 1) substr(body, 1, RSTART - 1) tail; marked = 1
			}
		}
		/^\\ No newline at end of file/ { print "(the line above ends without a newline)"; next }
		{ print }
		END { if (marked) print "(␣ is a space at the end of a line, → a tab there)" }'
}

# expected_output [FILE]: that file, or the spec's stdout block.
expected_output() {
	if [ -n "$1" ]; then cat -- "$1"; else printf '%s' "$spec_stdout"; fi
}

# case_verdict CASE: the problems of the run of one visible case
# (RESULT/cases/NAME): it ended well, printed what the case expects and
# was clean. Fails with the words when it has any.
case_verdict() {
	local case=$1 bad=0
	if ! verdict_run "$case" "$(cat "$case/expected-status")"; then
		verdict_unfinished "$case"
		return 1
	fi
	verdict_output "$case" "$case/expected" || bad=1
	verdict_clean "$case" || bad=1
	return "$bad"
}

# show_input CASE: the start of a visible case's input and its arguments,
# as the learner would type them (the report makes control characters
# visible, as in everything else a verdict quotes).
show_input() {
	local case=$1 lines
	if [ -n "$(cat "$case/args")" ]; then
		printf '  Its arguments: %s\n' "$(cat "$case/args")"
	fi
	if [ ! -s "$case/stdin" ]; then
		echo "  Its input is empty."
		return 0
	fi
	echo "  Its input:"
	head -n 12 "$case/stdin" | sed 's/^/    | /'
	lines=$(wc -l <"$case/stdin")
	[ "$lines" -le 12 ] || echo "    ... ($((lines - 12)) more lines)"
}

# verdict_case_outputs RESULT: every visible case's run ended well and
# printed what its case expects (class grading's "prints the expected
# output"); fails with the words of the first that did not.
verdict_case_outputs() {
	local case words
	for case in "$1"/cases/*/; do
		[ -d "$case" ] || continue
		case=${case%/}
		words=$(verdict_run "$case" "$(cat "$case/expected-status")" && verdict_output "$case" "$case/expected") &&
			continue
		printf 'On the input of case %s (cases/%s.case):\n' "${case##*/}" "${case##*/}"
		printf '%s\n' "$words" | sed 's/^/  /'
		return 1
	done
}

# verdict_case_memory RESULT: every visible case's run was clean (class
# grading's "memory-clean"); fails with the words of the first that was not.
verdict_case_memory() {
	local case words
	for case in "$1"/cases/*/; do
		[ -d "$case" ] || continue
		case=${case%/}
		words=$(verdict_clean "$case") && continue
		printf 'On the input of case %s (cases/%s.case):\n' "${case##*/}" "${case##*/}"
		printf '%s\n' "$words" | sed 's/^/  /'
		return 1
	done
}

# verdict_cases RESULT SHOWN: the runs of the exercise's visible cases
# (cases/NAME.case). The first that fails is told in full, with its input,
# unless SHOWN is 1 (the spec's own run already has problems to fix
# first); the others are named. Fails when any case fails.
verdict_cases() {
	local result=$1 shown=$2 case name words failing=() failed=0
	for case in "$result"/cases/*/; do
		[ -d "$case" ] || continue
		case=${case%/} name=${case##*/}
		words=$(case_verdict "$case") && continue
		failed=1
		if [ "$shown" = 0 ]; then
			echo "On the input of case $name (cases/$name.case):"
			show_input "$case"
			printf '%s\n' "$words" | sed 's/^/  /'
			shown=1
		else
			failing+=("$name")
		fi
	done
	[ ${#failing[@]} -gt 0 ] || return "$failed"
	if [ ${#failing[@]} = 1 ]; then
		echo "It fails on the input of case ${failing[0]} (cases/${failing[0]}.case) too."
	else
		echo "It fails on the input of cases ${failing[*]} (in cases/) too."
	fi
	return 1
}

# The diagnoses of what a program did not release (an extended regex).
LEAK_IDS='definite-leak|indirect-leak|possible-leak|still-reachable|fd-leak'

# verdict_unfinished RESULT: what memory says of a run that failed. One
# that crashed or was stopped never got to free anything: its leaks (the
# C library's buffers among them) are not things to fix, only the errors
# that may be behind the crash. One that ended, with the wrong status,
# gets the whole check.
verdict_unfinished() {
	local result=$1 problems
	[ "$(cat "$result/memcheck.status")" = 0 ] || return 0
	if [ "$(summary_value "$result/summary" signal)" = none ] &&
		[ "$(summary_value "$result/summary" timed_out)" != 1 ]; then
		verdict_clean "$result" || true
		return 0
	fi
	problems=$(say_memory_problems "$result" noleaks)
	if [ -n "$problems" ]; then
		echo "Before it stopped, $(detector_name) found these errors (the first is often the cause):"
		printf '%s\n' "$problems"
	fi
	if diagnoses "$result" | grep -qxE "$LEAK_IDS"; then
		echo "(Its leak check means little until it runs to the end: a program stopped midway has not freed anything yet.)"
	fi
}

# verdict_clean RESULT: no memory error, no leak of any kind, no open fd.
verdict_clean() {
	local result=$1 s=$1/summary fds
	fds=$(summary_value "$s" fds_leaked)
	if [ "$(summary_value "$s" errors)" != 0 ] || [ "$fds" != 0 ]; then
		if [ "$(summary_value "$s" errors)" != 0 ]; then
			echo "$(detector_name) found $(plural "$(summary_value "$s" errors)" error) in $(plural "$(folded_places "$result")" place)$([ "$fds" = 0 ] || echo ", and $(plural "$fds" file) left open"):"
		else
			echo "It left $(plural "$fds" file) open at exit:"
		fi
		say_memory_problems "$result"
		return 1
	fi
}

# learner_verdict DIR CC: every problem a learner must fix, in order.
learner_verdict() {
	local dir=$1 cc=$2 result bad=0
	result=$(exercise_prepare "$dir" "$cc")
	spec_load "$dir" >/dev/null 2>&1 || true
	verdict_build "$result" || return 1
	verdict_warnings "$result" || bad=1
	if ! verdict_run "$result"; then
		# A crash usually has a memory error behind it: show where.
		verdict_unfinished "$result"
		if [ -n "${VERBOSE:-}" ]; then raw_report "$dir" "$result"; fi
		return 1
	fi
	verdict_output "$result" || bad=1
	verdict_clean "$result" || bad=1
	verdict_allocation_failures "$result" || bad=1
	local main_bad=$bad
	verdict_cases "$result" "$main_bad" || bad=1
	if [ "$main_bad" = 1 ] && [ -n "${VERBOSE:-}" ]; then raw_report "$dir" "$result"; fi
	return "$bad"
}

# Closes every descriptor but 0, 1 and 2 (bats keeps its TAP stream on 3).
close_inherited_fds() {
	local fd
	for fd in /proc/self/fd/*; do
		fd=${fd##*/}
		if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
	done
}

# raw_report DIR RESULT: the detector's own text report of the
# same program and input, for those who want it (make check V=1). An extra
# run, made only on request, in the sandbox as every run of the program.
raw_report() {
	local dir=$1 result=$2 scratch args=() detector_cmd=() sandbox=()
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/raw-report.XXXXXX")
	cp -R -- "$result/data/." "$scratch/" 2>/dev/null || true
	# shellcheck disable=SC2206 # args are plain words, split on spaces
	[ -z "$spec_args" ] || args=($spec_args)
	if [ "$(detector)" = asan ]; then
		detector_cmd=(env ASAN_OPTIONS=halt_on_error=0:exitcode=0:color=never UBSAN_OPTIONS=print_stacktrace=1:color=never)
	else
		detector_cmd=(valgrind --leak-check=full --show-leak-kinds=all --track-fds=yes)
	fi
	if sandbox_enabled; then
		sandbox=("$GRADER_DIR/lib/isolation/sandbox" --scratch "$scratch" --readable "$result/program")
		[ "$(detector)" = valgrind ] || sandbox+=(--no-address-limit)
		sandbox+=(--)
	fi
	echo "$(detector_name)'s own report (V=1):"
	# The program was built in a scratch copy of the exercise: its files
	# are named without that folder, as the verdict names them.
	(cd "$scratch" && close_inherited_fds && timeout "$RUN_TIMEOUT" ${sandbox[@]+"${sandbox[@]}"} \
		"${detector_cmd[@]}" "$result/program" ${args[@]+"${args[@]}"} <"$result/stdin" 2>&1 >/dev/null) |
		grep -v '^sandbox: ' | sed -e "s#$(cache_root)/[^/ ]*/src/##g" -e 's/^/    /' || true
	rm -rf "$scratch"
}

# oom_run_problems RUN: what went wrong in one run whose allocation failed.
oom_run_problems() {
	local run=$1 bad=0
	verdict_run "$run" "$spec_oom_status" || return 1
	if [ -n "$spec_oom_stderr" ] && ! grep -qF -- "$spec_oom_stderr" "$run/stderr"; then
		echo "It did not print \"$spec_oom_stderr\" on its error output."
		bad=1
	fi
	verdict_clean "$run" || bad=1
	return "$bad"
}

# verdict_allocation_failures RESULT: with oom-status in the spec, every
# run in which one allocation failed must stop cleanly. Shows the first
# failing run, and each later one that goes wrong in a new way.
verdict_allocation_failures() {
	local result=$1 count k failed=0 problems kinds id ids=() reports
	local -A runs_of=() problems_of=()
	[ -n "$spec_oom_status" ] || return 0
	count=$(cat "$result/allocations" 2>/dev/null || true)
	if [ -z "$count" ]; then
		echo "It did not finish normally, so its allocations could not be counted for the allocation-failure runs."
		return 1
	fi
	for k in $(seq 1 "$count"); do
		problems=$(oom_run_problems "$result/oom/$k") && continue
		failed=$((failed + 1))
		# Runs that went wrong the same way (the same problem titles, or
		# the same first line) are told once, with the numbers of all.
		kinds=$(grep -oE '^- [A-Z][^:]*:' <<<"$problems" | tr '\n' ' ')
		[ -n "$kinds" ] || kinds=$(head -n 1 <<<"$problems")
		if [ -z "${runs_of[$kinds]:-}" ]; then
			ids+=("$kinds")
			problems_of[$kinds]=$problems
		fi
		runs_of[$kinds]+="$k "
	done
	[ "$failed" -gt 0 ] || return 0
	echo "When an allocation fails, it must stop cleanly: exit with status $spec_oom_status${spec_oom_stderr:+, say \"$spec_oom_stderr\" on its error output,} and release everything it holds."
	reports=''
	for id in "${ids[@]}"; do
		# shellcheck disable=SC2086 # run numbers separated by spaces
		set -- ${runs_of[$id]}
		if [ $# = 1 ]; then
			reports+=$'\n'"When allocation $1 of $count failed:"
		else
			reports+=$'\n'"When allocation $1 of $count failed (and likewise $(number_ranges "${@:2}")):"
		fi
		reports+=$'\n'"$(say_failed_allocation "$result/oom/$1")"
		reports+=$'\n'"$(printf '%s\n' "${problems_of[$id]}" | sed 's/^/    /')"
	done
	echo "The grader ran it $count more times, making allocation 1, 2, ... $count fail in turn; $failed of those runs went wrong ($(plural_runs "${runs_of[@]}")).${reports}"
	return 1
}

# say_failed_allocation RUN: the call that failed in an allocation-failure
# run, and its line (memcheck --failed-allocation); nothing if unknown.
say_failed_allocation() {
	local fn site
	[ -s "$1/failed-allocation" ] || return 0
	IFS=$'\t' read -r fn site <"$1/failed-allocation"
	case $fn in *[!a-z_]* | '') return 0 ;; esac
	SHOWN_LINES=()
	say_place "the $fn at" "$site" "$1" code | sed 's/^  //'
}

# number_ranges N...: the numbers, ascending, as "7-9, 12 and 15".
number_ranges() {
	printf '%s\n' "$@" | sort -n | awk '
		function flush() { if (start == "") return; part[++n] = (start == prev) ? start : start "-" prev }
		{ if (start != "" && $1 == prev + 1) { prev = $1; next } flush(); start = $1; prev = $1 }
		END {
			flush()
			for (i = 1; i <= n; i++) printf "%s%s", part[i], (i == n) ? "\n" : (i == n - 1) ? " and " : ", "
		}'
}

# plural_runs LIST...: "run 7" or "runs 7-9 and 12", of every run in LISTs.
plural_runs() {
	# shellcheck disable=SC2068 # each LIST holds numbers separated by spaces
	set -- $@
	if [ $# = 1 ]; then echo "run $1"; else echo "runs $(number_ranges "$@")"; fi
}

# report VERDICT ARGS...: runs a verdict function for a bats test and prints
# its words only if it fails. Running it inside `if` keeps bats' errexit
# away from the verdict's own tests, so a failure is always the verdict's.
report() {
	local words
	if ! words=$("$@"); then
		printf '%s\n' "$words"
		return 1
	fi
}

# summary_differences EXPECTED ACTUAL: key-by-key, both ways.
summary_differences() {
	awk 'NR == FNR { want[$1] = $2; order[++n] = $1; next }
		{ got[$1] = $2; if (!($1 in want)) order[++n] = $1 }
		END {
			for (i = 1; i <= n; i++) {
				k = order[i]; w = (k in want) ? want[k] : "(absent)"; g = (k in got) ? got[k] : "(absent)"
				if (w != g) printf "    %-24s declared %-10s measured %s\n", k, w, g
			}
		}' "$1" "$2"
}

# workbook_exercise_verdict DIR CC: the shipped exercise builds cleanly and
# shows exactly the summary its spec declares.
workbook_exercise_verdict() {
	local dir=$1 cc=$2 result diffs
	result=$(exercise_prepare "$dir" "$cc")
	spec_load "$dir" || return 1
	verdict_build "$result" || return 1
	verdict_warnings "$result" || return 1
	if [ "$(cat "$result/memcheck.status")" != 0 ]; then
		sed 's/^/    /' "$result/memcheck.log"
		return 1
	fi
	local measured
	measured=$(declared_run "$result")/summary
	if [ -n "$spec_oom_fail_at" ] && [ ! -f "$measured" ]; then
		echo "The spec declares the run where allocation $spec_oom_fail_at fails, but the program made only $(cat "$result/allocations" 2>/dev/null || echo 0) allocations."
		return 1
	fi
	diffs=$(summary_differences <(declared_summary) "$measured")
	if [ -n "$diffs" ]; then
		echo "The shipped exercise no longer shows the bug its spec declares:"
		printf '%s\n' "$diffs"
		return 1
	fi
}

# workbook_solution_verdict DIR CC: the solution passes as a learner's would.
workbook_solution_verdict() {
	learner_verdict "$1" "$2"
}

# ------------------------------------------------- agreement of detectors

# diagnoses RESULT: what a run found, as the ids of lib/grading/explanations.tsv
# (uaf-read, double-free, definite-leak...), one per line, sorted.
diagnoses() {
	local kind aux2 auxfn
	while IFS=$'\037' read -r kind _ _ _ aux2 _ _ _ auxfn; do
		diagnose "$kind" "$aux2" "$auxfn"
	done < <(details_rows "$1") | LC_ALL=C sort -u
}

# workbook_agreement_verdict DIR CC: Valgrind and AddressSanitizer find the
# same kinds of bug in the shipped exercise, but for the kinds its spec
# says the sanitizers cannot see (sanitizer-misses) or see besides
# (sanitizer-adds), with the reason (sanitizer-why).
workbook_agreement_verdict() {
	local dir=$1 cc=$2 vg asan id missing='' unexpected='' vg_ids asan_ids
	spec_load "$dir" || return 1
	vg=$(GRADER_DETECTOR=valgrind exercise_prepare "$dir" "$cc")
	asan=$(GRADER_DETECTOR=asan exercise_prepare "$dir" "$cc")
	GRADER_DETECTOR=asan verdict_build "$asan" || return 1
	if [ "$(cat "$asan/memcheck.status")" != 0 ]; then
		echo "The AddressSanitizer run could not be read:"
		sed 's/^/    /' "$asan/memcheck.log"
		return 1
	fi
	vg=$(declared_run "$vg") asan=$(declared_run "$asan")
	if [ ! -f "$vg/details" ] || [ ! -f "$asan/details" ]; then
		echo "The run the spec declares is missing."
		return 1
	fi
	vg_ids=$(diagnoses "$vg") asan_ids=$(diagnoses "$asan")
	for id in $vg_ids; do
		grep -qx -- "$id" <<<"$asan_ids" || case " $spec_sanitizer_misses " in *" $id "*) ;; *) missing="$missing $id" ;; esac
	done
	for id in $asan_ids; do
		grep -qx -- "$id" <<<"$vg_ids" || case " $spec_sanitizer_adds " in *" $id "*) ;; *) unexpected="$unexpected $id" ;; esac
	done
	[ -n "$missing$unexpected" ] || return 0
	echo "Valgrind found:         $(tr '\n' ' ' <<<"$vg_ids")"
	echo "AddressSanitizer found: $(tr '\n' ' ' <<<"$asan_ids")"
	[ -z "$missing" ] || echo "AddressSanitizer missed:$missing (if it cannot see them, say why: sanitizer-misses, sanitizer-why)"
	[ -z "$unexpected" ] || echo "AddressSanitizer also found:$unexpected (if that is expected, say why: sanitizer-adds, sanitizer-why)"
	return 1
}
