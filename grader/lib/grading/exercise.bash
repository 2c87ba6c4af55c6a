# shellcheck shell=bash
# The grader's core, sourced by grader/grade, the bats files and the tools
# of grader/lib: where things are and the fixed flags (here), reading
# exercise.spec files (spec.bash), building and running an exercise once
# into the result cache (build.bash), and turning results into verdicts
# (verdicts.bash). See README.md, "The grader".

GRADER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORKBOOK_DIR=$(cd "$GRADER_DIR/.." && pwd)
# -gdwarf-4: Valgrind 3.19 cannot read all of the DWARF 5 that clang 14
# writes by default, and would lose the file:line of the learner's code.
CFLAGS_FIXED=(-std=c11 -g -O0 -Wall -Wextra -gdwarf-4 -fdiagnostics-color=never)
RUN_TIMEOUT=${RUN_TIMEOUT:-10}
# The second detector: AddressSanitizer with LeakSanitizer and UBSan, for
# machines without Valgrind (macOS on Apple silicon). Recovering after an
# error, as Valgrind goes on, so that one run finds what Valgrind finds.
# shellcheck disable=SC2054 # one flag, its commas included
SANITIZER_FLAGS=(-fsanitize=address,undefined -fsanitize-recover=address -fno-omit-frame-pointer)
SUMMARY_KEYS=(errors contexts definitely_lost_bytes definitely_lost_blocks
	indirectly_lost_bytes indirectly_lost_blocks possibly_lost_bytes
	possibly_lost_blocks still_reachable_bytes still_reachable_blocks
	fds_leaked exit_status signal timed_out)

# shellcheck source=grader/lib/grading/spec.bash
. "$GRADER_DIR/lib/grading/spec.bash"
# shellcheck source=grader/lib/grading/build.bash
. "$GRADER_DIR/lib/grading/build.bash"
# shellcheck source=grader/lib/grading/verdicts.bash
. "$GRADER_DIR/lib/grading/verdicts.bash"
