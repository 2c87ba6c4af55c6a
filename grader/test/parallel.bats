#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# The grader's parallelism is safe: jobs share no temporary file, and the
# result of a run does not depend on what ran beside it or before it.

bats_require_minimum_version 1.11.0
load helpers

# The summaries and outputs of every result in a cache, one line per file,
# named by result key (the same keys in two caches of the same workbook).
results_of() {
	(cd "$1" && for f in */summary */stdout */build.status; do
		[ -e "$f" ] && printf '%s %s\n' "$f" "$(sha256sum <"$f" | cut -c1-16)"
	done)
}

@test "parallel: the whole workbook self-test, twice in a row with 2 jobs, passes alike and leaves nothing behind" {
	local run first
	for run in 1 2; do
		mkdir "$BATS_TEST_TMPDIR/tmp$run"
		run env JOBS=2 COMPILERS=gcc TMPDIR="$BATS_TEST_TMPDIR/tmp$run" \
			GRADER_CACHE="$BATS_TEST_TMPDIR/cache$run" "$GRADER_DIR/grade" test workbook
		if [ "$status" -ne 0 ]; then
			echo "run $run failed:"
			grep -A8 '^FAIL' <<<"$output" | head -40
			return 1
		fi
		[[ "${lines[-1]}" == *" passed, 0 failed" ]] || { echo "run $run ended: ${lines[-1]}"; return 1; }
		[ -z "${first:-}" ] || [ "${lines[-1]}" = "$first" ] ||
			{ echo "run 1 ended: $first; run 2 ended: ${lines[-1]}"; return 1; }
		first=${lines[-1]}
		# No job left a scratch folder, a lock or a half-written result.
		[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp$run")" ] ||
			{ echo "run $run left in TMPDIR:"; ls -A "$BATS_TEST_TMPDIR/tmp$run"; return 1; }
		[ -z "$(find "$BATS_TEST_TMPDIR/cache$run" -maxdepth 1 \( -name 'tmp.*' -o -name '*.lock' \))" ] ||
			{ echo "run $run left in the cache:"; find "$BATS_TEST_TMPDIR/cache$run" -maxdepth 1 \( -name 'tmp.*' -o -name '*.lock' \); return 1; }
	done
	[ -n "$(results_of "$BATS_TEST_TMPDIR/cache1")" ]
	diff <(results_of "$BATS_TEST_TMPDIR/cache1") <(results_of "$BATS_TEST_TMPDIR/cache2")
}

@test "parallel: two checks of the same exercise at once build it once and agree" {
	local name
	name=$(first_exercise)
	GRADER_CACHE=$BATS_TEST_TMPDIR/cache make -s -C "$WORKBOOK_DIR" check EX="$name" >"$BATS_TEST_TMPDIR/a" 2>&1 &
	GRADER_CACHE=$BATS_TEST_TMPDIR/cache make -s -C "$WORKBOOK_DIR" check EX="$name" >"$BATS_TEST_TMPDIR/b" 2>&1 || true
	wait || true
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	grep -q "FAIL exercises/$name" "$BATS_TEST_TMPDIR/a"
	# One result for the exercise, not two half-built ones.
	[ "$(find "$BATS_TEST_TMPDIR/cache" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 1 ]
}
