#!/usr/bin/env bats
# shellcheck disable=SC2154 # bats sets $output, $status and $stderr
# make bench writes its measures where a script can read them: one line per
# measure, with its median, its baseline and their ratio.

bats_require_minimum_version 1.11.0
load helpers

@test "bench: every measure has a median, a baseline and their ratio" {
	local out=$BATS_TEST_TMPDIR/results.tsv name median base ratio names=''
	# A small bench: one run of each, the first chapter, two students.
	run env BENCH_RUNS=1 BENCH_SELF_RUNS=1 BENCH_CHAPTERS=01 BENCH_STUDENTS=2 \
		"$GRADER_DIR/lib/grading/bench" "$out"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[ "$(head -n 1 "$out")" = "$(printf 'measure\tmedian_s\tbaseline_s\tratio')" ]
	while IFS=$'\t' read -r name median base ratio; do
		names="$names $name"
		[[ "$median" =~ ^[0-9]+\.[0-9]{3}$ ]] || { echo "$name: median '$median'"; return 1; }
		[[ "$base" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "$name: baseline '$base'"; return 1; }
		case $name in
		recheck) [ "$ratio" = - ] ;;
		class-j*)
			# Students per second: the students over the median.
			[ "$(awk -v m="$median" -v n="$base" 'BEGIN { printf "%.2f", n / m }')" = "$ratio" ] ;;
		*) [ "$(awk -v m="$median" -v b="$base" 'BEGIN { printf "%.2f", m / b }')" = "$ratio" ] ;;
		esac || { echo "$name: ratio '$ratio' is not $median over $base"; return 1; }
	done < <(tail -n +2 "$out")
	[ "$names" = " check-one check-one-asan recheck self-j1 self-j2 class-j1 class-j2" ]
	# What it printed is what it wrote.
	[[ "$output" == *"check-one "*"ratio"* ]]
	[[ "$output" == *"written to"* ]]
}
