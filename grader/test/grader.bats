#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# The grader end to end, as a learner and a maintainer meet it: `make check`
# verdicts, solutions that pass, programs that do not compile, crash or
# loop, a checkout whose path has a space, and a workbook self-test that
# fails when an exercise or a solution drifts from what its spec declares.

bats_require_minimum_version 1.11.0
load helpers

# A copy of the workbook in a folder whose path contains a space, holding
# only EXERCISE (exercise and solution), so that tests may change it.
copy_workbook() {
	local name=$1 copy="$BATS_TEST_TMPDIR/work book"
	mkdir -p "$copy/exercises/${name%/*}" "$copy/solutions/${name%/*}"
	cp -R "$WORKBOOK_DIR/Makefile" "$WORKBOOK_DIR/grader" "$copy/"
	cp -R "$WORKBOOK_DIR/exercises/$name" "$copy/exercises/$name"
	cp -R "$WORKBOOK_DIR/solutions/$name" "$copy/solutions/$name"
	printf '%s\n' "$copy"
}

# A fingerprint of every file under a folder, to prove nothing changed.
fingerprint() {
	(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# Replaces the C of EXERCISE in the copy by a single fixture file.
replace_sources() {
	local dir=$1 fixture=$2 f
	for f in "$dir"/*.c; do rm -f "$f"; done
	cp "$BATS_TEST_DIRNAME/fixtures/learner/$fixture" "$dir/main.c"
	sed -i 's/^sources:.*//' "$dir/exercise.spec"
}

@test "make check: every shipped exercise fails, named with file:line" {
	local spec name
	run make -s -C "$WORKBOOK_DIR" check
	[ "$status" -ne 0 ]
	for spec in "$WORKBOOK_DIR"/exercises/*/*/exercise.spec; do
		name=${spec%/exercise.spec}
		name=${name#"$WORKBOOK_DIR"/}
		[[ "$output" == *"FAIL $name"* ]] || { echo "no failure for $name"; return 1; }
	done
	[[ "$output" =~ \.c:[0-9]+\ \( ]]
	[[ "$output" != *"in test file"* ]]
	[[ "$output" == *" passed, "*" failed"* ]]
}

@test "make check: a solution copied over its exercise passes, from a path with a space" {
	local name copy before
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	cp -R "$copy/solutions/$name/." "$copy/exercises/$name/"
	before=$(fingerprint "$copy/exercises")
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -eq 0 ]
	# The last line names what graded: the compiler and its version, the detector.
	[[ "$output" == *"1 passed, 0 failed (${CC:-cc} "[0-9]*", Valgrind 3."* ]]
	[ "$(fingerprint "$copy/exercises")" = "$before" ]
}

@test "make check inside an exercise folder grades that exercise" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	run make -s -C "$copy/exercises/$name" check
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	run make -s -C "$copy/solutions/$name" check
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"solutions/$name"* ]]
}

@test "make check: code that does not compile gets the compiler's message" {
	local name copy before
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" broken.c
	before=$(fingerprint "$copy/exercises")
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"It does not compile. The compiler said:"* ]]
	[[ "$output" == *"main.c:4"*"undeclared_variable"* ]]
	[[ "$output" != *"in test file"* ]]
	[ "$(fingerprint "$copy/exercises")" = "$before" ]
}

@test "make check: a crash is named, with where it happened" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" segfault.c
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"It crashed with SIGSEGV"* ]]
	[[ "$output" == *"stopped at main.c:8 (main)"$'\n'*"-->    8 | return *p;"* ]]
	# V=1 adds Valgrind's own report for a crash too.
	run make -s -C "$copy" check EX="$name" V=1
	[ "$status" -ne 0 ]
	[[ "$output" == *"Valgrind's own report (V=1):"*"Process terminating with default action of signal 11 (SIGSEGV)"* ]]
}

@test "make check: each kind of crash names the learner's line, its callers and the program's own message" {
	local name copy fixture wants want
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	# fixture|what the verdict says|...
	while IFS='|' read -r fixture wants; do
		replace_sources "$copy/exercises/$name" "$fixture.c"
		run make -s -C "$copy" check EX="$name"
		echo "$fixture: $output"
		[ "$status" -ne 0 ]
		while IFS= read -r want; do
			[[ "$output" == *"$want"* ]] || { echo "missing: $want"; return 1; }
		done < <(tr '|' '\n' <<<"$wants")
		# What a crashed run never freed is not a thing to fix.
		[[ "$output" != *"Memory never freed"* ]]
	done <<'END'
assert-fail|It crashed with SIGABRT|stopped inside the C library (assert), called from main.c:7 (average)|-->    7 | assert(count > 0 && "average of nothing");|called from main.c:13 (main)|Its error output ended with:|main.c:7: average: Assertion `count > 0 && "average of nothing"' failed.
abort-helper|It crashed with SIGABRT|stopped inside the C library (abort), called from main.c:8 (give_up)|-->    8 | abort();|called from main.c:13 (main)|fatal: the table is full
null-write|It crashed with SIGSEGV|stopped at main.c:10 (set_value)|-->   10 | n->value = value;|called from main.c:15 (main)
divide-by-zero|It crashed with SIGFPE|stopped at main.c:6 (per_item)|-->    6 | return total / items;|called from main.c:15 (main)|(Its leak check means little until it runs to the end
stack-overflow|It crashed with SIGSEGV: a stack overflow|stopped at main.c:5 (depth)|-->    5 | {
END
}

@test "make check DETECTOR=asan: a crash names the learner's line and its callers too" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" null-write.c
	run make -s -C "$copy" check EX="$name" DETECTOR=asan
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"It crashed with SIGSEGV"* ]]
	[[ "$output" == *"stopped at main.c:10 (set_value)"$'\n'*"-->   10 | n->value = value;"$'\n'*"called from main.c:15 (main)"* ]]
}

@test "make check: a write so far past a block that Valgrind stops is told as such, with its line" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" far-overflow.c
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"It wrote so far past the end of a heap block"*"Valgrind had to stop"* ]]
	[[ "$output" == *"Heap buffer overflow"*"written inside the C library (memset), called from main.c:15 (main)"* ]]
	[[ "$output" == *"-->   15 | memset(name, 0, width);"* ]]
	[[ "$output" != *"compiles with warnings"* ]]
	[[ "$output" != *"could not check"* ]]
}

@test "make check: errors inside the C library at exit are one place each, after the learner's own lines" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" free-a-file.c
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"read inside the C library (its FILE code), called from exit (after main returned)"$'\n'*"freed at main.c:12 (main)"$'\n'*"-->   12 | free(f);"* ]]
	[[ "$output" == *"allocated inside the C library (fopen), called from main.c:8 (main)"$'\n'*"-->    8 | FILE *f = fopen(\"/dev/null\", \"r\");"* ]]
	# One place per kind of error, its count the sum: no flood of the library's lines.
	[ "$(grep -c 'Invalid read (InvalidRead, ' <<<"$output")" = 1 ]
	[[ "$output" != *"libio"* ]]
	[[ "$output" != *"more places like these"* ]]
}

@test "make check: an output diff shows a space or a tab at the end of a line" {
	local name copy dir
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	dir=$copy/exercises/$name
	replace_sources "$dir" trailing-space.c
	perl -0pi -e 's/^stdout <<END\n.*?^END\n/stdout <<END\ntotal 1.55\nEND\n/ms; s/^status: .*\n//m' "$dir/exercise.spec"
	rm -rf "$dir/cases"
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"-total 1.55"$'\n'*"+total 1.55␣"$'\n'* ]]
	[[ "$output" == *"(␣ is a space at the end of a line, → a tab there)"* ]]
}

@test "make check: an output diff says when the last line has no newline" {
	local name copy dir
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	dir=$copy/exercises/$name
	replace_sources "$dir" no-newline.c
	perl -0pi -e 's/^stdout <<END\n.*?^END\n/stdout <<END\ntotal 1.55\nEND\n/ms; s/^status: .*\n//m' "$dir/exercise.spec"
	rm -rf "$dir/cases"
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"-total 1.55"$'\n'*"+total 1.55"$'\n'*"(the line above ends without a newline)"* ]]
}

@test "make check: an endless loop is stopped and named, not waited for" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	replace_sources "$copy/exercises/$name" endless.c
	SECONDS=0
	RUN_TIMEOUT=2 run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"did not finish within 2 seconds"* ]]
	# Where the stop found it: the loop, with its code.
	echo "$output"
	[[ "$output" =~ "it was stopped at main.c:"[45]" (main)"$'\n'" "*"-->"" "*[45]" | "(for|continue) ]]
	[ "$SECONDS" -lt 20 ]
}

@test "make check: an unknown exercise is one clear line" {
	run make -s -C "$WORKBOOK_DIR" check EX=no-such-exercise
	[ "$status" -ne 0 ]
	[[ "$output" == *"grade: no exercise named 'no-such-exercise'"* ]]
}

@test "workbook mode fails when an exercise stops showing its declared bug" {
	local name
	name=$(first_exercise)
	# The solution folder carries the same spec but not the bug.
	run workbook_exercise_verdict "$WORKBOOK_DIR/solutions/$name" "${CC:-cc}"
	[ "$status" -ne 0 ]
	[[ "$output" == *"no longer shows the bug its spec declares"* ]]
}

@test "workbook mode fails when a solution stops being clean" {
	local name
	name=$(first_exercise)
	run workbook_solution_verdict "$WORKBOOK_DIR/exercises/$name" "${CC:-cc}"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Valgrind found"* ]]
}

@test "make check: a fix on the paths of the spec's input alone fails on a visible case, named with its input" {
	local name=01-scope-bound-cleanup/order-totals copy src
	copy=$(copy_workbook "$name")
	src=$copy/exercises/$name/order_totals.c
	# The learner frees the copy on the two early returns the spec's input
	# takes (a line without a comma, a bad quantity), and on no other.
	perl -0pi -e 's/if \(!qty\)\n\t\treturn ("[^"]*");/if (!qty) {\n\t\tfree(copy);\n\t\treturn $1;\n\t}/;
		s/(if \(parse_positive\(qty, [^\n]*\))\n\t\treturn ("[^"]*");/$1 {\n\t\tfree(copy);\n\t\treturn $2;\n\t}/' "$src"
	[ "$(grep -c 'free(copy);' "$src")" = 3 ]
	run make -s -C "$copy" check EX="$name"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "FAIL exercises/$name" ]
	# The spec's own run is clean: the case is the first thing said.
	[[ "${lines[1]}" == *"On the input of case every-reason (cases/every-reason.case):" ]]
	[[ "$output" == *"| gizmo,4"* ]]
	[[ "$output" == *"- Definite leak: "*"allocated at order_totals.c:"*"(parse_order_line)"* ]]
}

@test "the result cache never serves a stale result: editing a file changes the key" {
	local name copy before after
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	before=$(result_key "$copy/exercises/$name" "${CC:-cc}")
	printf '\n' >>"$copy/exercises/$name/exercise.spec"
	after=$(result_key "$copy/exercises/$name" "${CC:-cc}")
	[ "$before" != "$after" ]
}

@test "the saved report of make check is never stale: an edit grades again" {
	local name copy
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	# Unchanged: the same report, served from the cache.
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	# Fixed: graded again, and it passes.
	cp -R "$copy/solutions/$name/." "$copy/exercises/$name/"
	run make -s -C "$copy" check EX="$name"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 passed, 0 failed"* ]]
	# A change to the grader's explanations is a change too.
	cp -R "$WORKBOOK_DIR/exercises/$name/." "$copy/exercises/$name/"
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	sed -i 's/^definite-leak\tDefinite leak\t/definite-leak\tA definite leak\t/' "$copy/grader/lib/grading/explanations.tsv"
	run make -s -C "$copy" check EX="$name"
	[[ "$output" == *"- A definite leak: "* ]]
}

@test "a malformed exercise.spec is reported with its file and line" {
	local dir=$BATS_TEST_TMPDIR/bad
	mkdir "$dir"
	printf 'title: x\nflavour: vanilla\n' >"$dir/exercise.spec"
	run spec_load "$dir"
	[ "$status" -ne 0 ]
	[ "$output" = "$dir/exercise.spec:2: unknown key 'flavour'" ]
}

@test "a malformed visible case is reported with its file and line" {
	local name copy dir
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	dir=$copy/exercises/$name
	mkdir -p "$dir/cases"
	printf 'stdin <<END\nEND\nmemcheck <<END\nEND\n' >"$dir/cases/empty.case"
	run make -s -C "$copy" check EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$dir/cases/empty.case:3: 'memcheck' cannot be a block of a case (only stdin, stdout)"* ]]
	printf 'stdout <<END\nEND\n' >"$dir/cases/Bad_Name.case"
	rm "$dir/cases/empty.case"
	run make -s -C "$copy" check EX="$name"
	[[ "$output" == *"$dir/cases/Bad_Name.case: a case's name is lower-case letters, digits and dashes"* ]]
}

@test "make check DETECTOR=valgrind without Valgrind is one line naming what to install" {
	local bin
	bin=$(path_without valgrind)
	run env PATH="$bin" make -s -C "$WORKBOOK_DIR" check DETECTOR=valgrind
	[ "$status" -ne 0 ]
	[[ "${lines[0]}" == "grade: valgrind is not installed: install it (Debian/Ubuntu: sudo apt-get install valgrind)" ]]
}

@test "a result this machine could not make is never kept: once mended, it grades" {
	local copy name bin
	name=$(first_exercise)
	copy=$(copy_workbook "$name")
	export GRADER_CACHE=$BATS_TEST_TMPDIR/cache
	bin=$(path_without xsltproc)
	run env PATH="$bin" "$copy/grader/lib/teaching/class" --check-cases
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "class: xsltproc is not installed (Debian/Ubuntu: sudo apt-get install xsltproc)" ]
	# Past the entry points' checks, the run itself says what is missing...
	run env PATH="$bin" "$copy/grader/lib/grading/prepare" "${CC:-cc}" "$copy/exercises/$name"
	[ "$status" -eq 0 ]
	run grep -rh 'xsltproc is not installed' "$GRADER_CACHE"
	[ "$status" -eq 0 ]
	# ...and the next run, with it installed, grades instead of repeating it.
	run make -s -C "$copy" check EX="$name" CC="${CC:-cc}"
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	[[ "$output" != *"could not check"* ]]
}

@test "make check where the cache cannot be written is one clear line" {
	run env GRADER_CACHE=/dev/null/results make -s -C "$WORKBOOK_DIR" check EX="$(first_exercise)"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "grade: cannot write the grader's cache /dev/null/results: grade as the user who owns the workbook, or set GRADER_CACHE to a folder you can write" ]
	[ "${#lines[@]}" -le 2 ]
}

@test "make check with an unknown detector is one line naming the choices" {
	run make -s -C "$WORKBOOK_DIR" check DETECTOR=foo
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "grade: unknown detector 'foo': DETECTOR is valgrind or asan (or unset: Valgrind where it is installed)" ]
	[ "${#lines[@]}" -le 2 ]
}

@test "make check with a compiler that is not installed is one clear line" {
	run make -s -C "$WORKBOOK_DIR" check CC=no-such-cc
	[ "$status" -ne 0 ]
	[[ "${lines[0]}" == "grade: the C compiler 'no-such-cc' is not installed"* ]]
}

@test "make check without bats and npm is one line naming what to install" {
	local copy bin
	copy=$(copy_workbook "$(first_exercise)")
	rm -rf "$copy/grader/node_modules"
	bin=$(path_without npm node)
	run env PATH="$bin" make -s -C "$copy" check
	[ "$status" -ne 0 ]
	[[ "${lines[0]}" == "grade: bats-core 1.13.0 is needed and npm installs it: install npm"* ]]
}

@test "allocation-failure grading fails a program that leaks when one allocation fails" {
	run learner_verdict "$BATS_TEST_DIRNAME/fixtures/oom/leaky" "${CC:-cc}"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"making allocation 1, 2, ... 4 fail in turn; 2 of those runs went wrong (runs 2 and 4)."* ]]
	# The runs that went wrong alike are told once, with the call that failed and its line.
	[[ "$output" == *"When allocation 2 of 4 failed (and likewise 4):"$'\n'"    the strdup at words.c:35 (main)"$'\n'"    -->   35 | w->text = strdup(buf);"* ]]
	[ "$(grep -c 'When allocation' <<<"$output")" = 1 ]
	[[ "$output" == *"16 bytes in 1 blocks are definitely lost"*"allocated at words.c:"*"(main)"* ]]
}

@test "allocation-failure grading passes a program that cleans up after every failure" {
	run learner_verdict "$BATS_TEST_DIRNAME/fixtures/oom/careful" "${CC:-cc}"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "allocation-failure grading: the declared summary is the run where that allocation fails" {
	run workbook_exercise_verdict "$BATS_TEST_DIRNAME/fixtures/oom/leaky" "${CC:-cc}"
	echo "$output"
	[ "$status" -eq 0 ]
	run workbook_exercise_verdict "$BATS_TEST_DIRNAME/fixtures/oom/careful" "${CC:-cc}"
	[ "$status" -ne 0 ]
}
