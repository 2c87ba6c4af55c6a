#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# The second detector: grader/memcheck --detector asan reads what
# AddressSanitizer, LeakSanitizer and UBSan report, and says it with
# Valgrind's keys; the grader falls back to it where Valgrind is missing.

bats_require_minimum_version 1.11.0
load helpers

# build_sanitized NAME: fixtures/NAME.c built as the grader builds for the
# sanitizers: its flags, plus grader/lib/detectors/fdcheck.c.
build_sanitized() {
	local out=$BATS_FILE_TMPDIR/asan-$1
	if [ ! -x "$out" ]; then
		"${CC:-cc}" "${CFLAGS_FIXED[@]}" -c -o "$BATS_FILE_TMPDIR/fdcheck.o" "$GRADER_DIR/lib/detectors/fdcheck.c"
		"${CC:-cc}" "${CFLAGS_FIXED[@]}" "${SANITIZER_FLAGS[@]}" -o "$out" \
			"$BATS_TEST_DIRNAME/fixtures/$1.c" "$BATS_FILE_TMPDIR/fdcheck.o"
	fi
	printf '%s\n' "$out"
}

sancheck() {
	"$GRADER_DIR/memcheck" --detector asan --source-dir "$BATS_TEST_DIRNAME/fixtures" "$@"
}

@test "sanitizer: a clean program gets a clean summary" {
	run -0 sancheck "$(build_sanitized clean)"
	expect_summary </dev/null
}

@test "sanitizer: memory errors get Valgrind's kinds, each place counted once" {
	run -0 sancheck --details "$BATS_TEST_TMPDIR/details" "$(build_sanitized errors)"
	# AddressSanitizer cannot see the uninitialised reads Valgrind also counts.
	expect_summary <<-END
	errors 4
	contexts 4
	InvalidFree 1
	InvalidRead 1
	InvalidWrite 1
	Overlap 1
	END
	run diagnoses "$BATS_TEST_TMPDIR"
	[ "$output" = "$(printf '%s\n' double-free overflow overlap uaf-read)" ]
	grep -q "errors.c:29 (main)" "$BATS_TEST_TMPDIR/details"
}

@test "sanitizer: a leak is definitely lost; LeakSanitizer reports nothing reachable" {
	run -0 sancheck "$(build_sanitized leaks)"
	grep -qx 'definitely_lost_bytes 16' <<<"$output"
	grep -qx 'definitely_lost_blocks 1' <<<"$output"
	grep -qx 'Leak_DefinitelyLost 1' <<<"$output"
	grep -qx 'possibly_lost_blocks 0' <<<"$output"
	grep -qx 'still_reachable_blocks 0' <<<"$output"
}

@test "sanitizer: files left open are counted, as --track-fds counts them" {
	run -0 sancheck --details "$BATS_TEST_TMPDIR/details" "$(build_sanitized fds)"
	grep -qx 'fds_leaked 2' <<<"$output"
	[ "$(grep -c '^FdLeak' "$BATS_TEST_TMPDIR/details")" = 2 ]
}

@test "sanitizer: a program that uses up every descriptor still has them counted" {
	local program
	program=$(build_sanitized fd-hog)
	# 64 descriptors: 0-2, fdcheck's log (opened before main), and the 60
	# the program opens until open() fails.
	run -0 bash -c 'ulimit -n 64 && exec "$@"' sh "$GRADER_DIR/memcheck" --detector asan "$program"
	grep -qx 'fds_leaked 60' <<<"$output"
}

@test "sanitizer: a NULL dereference is an invalid read and a SIGSEGV" {
	run -0 sancheck "$(build_sanitized crash)"
	grep -qx 'signal SIGSEGV' <<<"$output"
	grep -qx 'exit_status 139' <<<"$output"
	grep -qx 'InvalidRead 1' <<<"$output"
}

@test "sanitizer: a smashed return address is the overflow and the crash it is, not an exec" {
	run -0 sancheck "$(build_sanitized smashed-return)"
	echo "$output"
	grep -qx 'signal SIGSEGV' <<<"$output"
	grep -qx 'exit_status 139' <<<"$output"
	[ "$(summary_value <(printf '%s\n' "$output") errors)" -ge 1 ]
}

@test "sanitizer: a forked child's errors count" {
	run -0 sancheck "$(build_sanitized fork)"
	grep -qx 'InvalidFree 1' <<<"$output"
}

@test "sanitizer: a program that execs away from its leak check is refused" {
	run -2 --separate-stderr sancheck --no-exec "$(build_sanitized exec-away)"
	[[ "$stderr" == *"ran another program (exec)"* ]]
}

@test "sanitizer: text that looks like a sanitizer report on stderr counts for nothing" {
	run -0 sancheck --stderr "$BATS_TEST_TMPDIR/stderr" "$(build_sanitized fake-asan)"
	expect_summary </dev/null
	grep -q 'ERROR: AddressSanitizer' "$BATS_TEST_TMPDIR/stderr"
}

@test "sanitizer: the program's own stderr holds none of the sanitizers' reports" {
	run -0 sancheck --stderr "$BATS_TEST_TMPDIR/stderr" "$(build_sanitized errors)"
	run ! grep -q 'Sanitizer' "$BATS_TEST_TMPDIR/stderr"
}

@test "sanitizer: a program built without AddressSanitizer is refused in one line" {
	run -2 --separate-stderr sancheck "$(build_fixture clean)"
	[[ "$stderr" == *"was not built with AddressSanitizer"* ]]
}

@test "sanitizer: make check DETECTOR=asan names AddressSanitizer in its verdict" {
	local name
	name=$(first_exercise)
	run make --no-print-directory -C "$WORKBOOK_DIR" check DETECTOR=asan EX="$name"
	[ "$status" -ne 0 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	[[ "$output" != *"Valgrind"* ]]
}

@test "sanitizer: without Valgrind, make check grades with AddressSanitizer and says so once" {
	local bin name
	bin=$(path_without valgrind)
	name=$(first_exercise)
	run --separate-stderr env -u GRADER_DETECTOR PATH="$bin" make --no-print-directory -C "$WORKBOOK_DIR" check EX="$name"
	[ "$status" -ne 0 ]
	[ "$(grep -c 'Valgrind is not installed here, so AddressSanitizer grades instead' <<<"$stderr")" = 1 ]
	[[ "$output" == *"FAIL exercises/$name"* ]]
	[[ "$output" == *"AddressSanitizer found"* ]]
}

@test "sanitizer: make check V=1 adds the detector's own report, naming the learner's files" {
	local name
	name=$(first_exercise)
	run make -s -C "$WORKBOOK_DIR" check EX="$name" V=1
	[[ "$output" == *"Valgrind's own report (V=1):"* ]]
	[[ "$output" == *"ERROR SUMMARY"* ]]
	run make -s -C "$WORKBOOK_DIR" check EX="$name" V=1 DETECTOR=asan
	[[ "$output" == *"AddressSanitizer's own report (V=1):"* ]]
	[[ "$output" == *"ERROR: LeakSanitizer: detected memory leaks"* ]]
	[[ "$output" != *".build/results/"* ]]
}

@test "sanitizer: without Valgrind or a sanitizer runtime, make check is one line naming what to install" {
	local bin
	bin=$(path_without valgrind)
	# A compiler whose sanitizer runtime is missing, as on a machine without libasan.
	# shellcheck disable=SC2016 # the script's own $a and $@
	printf '#!/bin/sh\nfor a; do case $a in -fsanitize=*) echo "cannot find -lasan" >&2; exit 1 ;; esac; done\nexec gcc "$@"\n' >"$bin/nosan-cc"
	chmod +x "$bin/nosan-cc"
	run --separate-stderr env -u GRADER_DETECTOR PATH="$bin" GRADER_TOOLS="$BATS_TEST_TMPDIR/tools" \
		make --no-print-directory -C "$WORKBOOK_DIR" check CC=nosan-cc EX="$(first_exercise)"
	[ "$status" -ne 0 ]
	# The fallback's notice, then what to install; no verdict at all.
	[ "$(grep -c "^grade: 'nosan-cc' cannot build with AddressSanitizer here: install its runtime" <<<"$stderr")" = 1 ]
	[ -z "$output" ]
}
