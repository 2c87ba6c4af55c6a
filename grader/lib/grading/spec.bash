# shellcheck shell=bash
# Reading exercise.spec: its keys into spec_* variables, and the summaries
# a spec declares. Sourced by exercise.bash.

# ---------------------------------------------------------------- spec files

# spec_load DIR: reads DIR/exercise.spec into spec_<key> variables; blocks
# (stdin, stdout, memcheck, hint) keep their exact lines. Fails with
# "file:line: reason" on anything it does not understand.
spec_load() {
	local dir=$1 file=$1/exercise.spec
	# Read by the callers: the grader, the bats suites, `make hint`.
	# shellcheck disable=SC2034
	spec_title='' spec_bug='' spec_lesson='' spec_sources='' spec_args='' spec_data=''
	# shellcheck disable=SC2034
	spec_status=0 spec_stdin='' spec_stdout='' spec_memcheck='' spec_hint=''
	# shellcheck disable=SC2034
	spec_has_stdin=0 spec_has_stdout=0 spec_has_memcheck=0 spec_cert='' spec_cwe=''
	# shellcheck disable=SC2034
	spec_oom_status='' spec_oom_stderr='' spec_oom_fail_at=''
	# shellcheck disable=SC2034
	spec_sanitizer_misses='' spec_sanitizer_adds='' spec_sanitizer_why='' spec_cases='' spec_read=''
	[ -f "$file" ] || { echo "$file: missing (every exercise needs one)"; return 1; }
	keyvalue_read "$file" spec "stdin stdout memcheck hint" \
		"title bug lesson sources args data status cert cwe oom-status oom-stderr oom-fail-at sanitizer-misses sanitizer-adds sanitizer-why read" \
		"" "unknown key '%s'" || return 1
	local required
	for required in title bug lesson hint; do
		[ -n "$(eval "printf %s \"\$spec_$required\"")" ] || { echo "$file: '$required' is missing"; return 1; }
	done
	[ "$spec_has_stdout" = 1 ] || { echo "$file: the 'stdout' block is missing"; return 1; }
	[ "$spec_has_memcheck" = 1 ] || { echo "$file: the 'memcheck' block is missing"; return 1; }
	case $spec_status in '' | *[!0-9]*) echo "$file: status must be a number"; return 1 ;; esac
	local id
	for id in $spec_sanitizer_misses $spec_sanitizer_adds; do
		grep -q "^$id	" "$GRADER_DIR/lib/grading/explanations.tsv" ||
			{ echo "$file: '$id' is not a kind of lib/grading/explanations.tsv (sanitizer-misses, sanitizer-adds)"; return 1; }
	done
	if [ -n "$spec_sanitizer_misses$spec_sanitizer_adds" ] && [ -z "$spec_sanitizer_why" ]; then
		echo "$file: sanitizer-misses and sanitizer-adds need sanitizer-why: the reason"
		return 1
	fi
	spec_cases_load "$dir"
}

# spec_cases_load DIR: the names of DIR's visible cases (DIR/cases/NAME.case)
# into spec_cases, each case read to check it; fails with "file:line: reason".
spec_cases_load() {
	local f name
	spec_cases=''
	for f in "$1"/cases/*.case; do
		[ -e "$f" ] || continue
		name=${f##*/}
		name=${name%.case}
		[[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] ||
			{ echo "$f: a case's name is lower-case letters, digits and dashes"; return 1; }
		case_load "$f" || return 1
		spec_cases+="${spec_cases:+ }$name"
	done
}

# case_load FILE: one visible case, another input for the same program:
# its stdin and stdout blocks and its args and status lines (by default
# the spec's args and status) into case_stdin, case_stdout, case_args and
# case_status. Fails with "file:line: reason".
case_load() {
	local file=$1
	# Read by the build (run_cases); args and status are the spec's unless
	# the case says otherwise.
	# shellcheck disable=SC2034
	case_stdin='' case_stdout='' case_args=$spec_args case_status=$spec_status case_has_stdin=0 case_has_stdout=0
	keyvalue_read "$file" case "stdin stdout" "args status" " of a case" \
		"a case has only stdin, stdout, args and status, not '%s'" || return 1
	[ "$case_has_stdout" = 1 ] || { echo "$file: the 'stdout' block is missing"; return 1; }
	case $case_status in '' | *[!0-9]*) echo "$file: status must be a number"; return 1 ;; esac
}

# keyvalue_read FILE PREFIX BLOCKS KEYS OF UNKNOWN: the lines of a spec or a
# case ("key: value", and "key <<END" blocks of verbatim lines ending at a
# line "END"; "#" starts a comment) into the variables PREFIX_key (a dash
# in a key is an underscore), and PREFIX_has_key=1 for each block given.
# BLOCKS and KEYS: the names allowed; OF: what "a block" is of, in the
# message (" of a case"); UNKNOWN: the message for any other key, its %s
# the key. Fails with "file:line: reason".
keyvalue_read() {
	local file=$1 prefix=$2 blocks=" $3 " keys=" $4 " of=$5 unknown=$6 line n=0 key value mark block='' var
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ -n "$block" ]; then
			if [ "$line" = "$mark" ]; then
				block=''
			else
				var=${prefix}_$block
				printf -v "$var" '%s%s\n' "${!var}" "$line"
			fi
			continue
		fi
		case $line in
		'' | '#'*) continue ;;
		*' <<'*)
			key=${line%% <<*} mark=${line#* <<}
			case $blocks in *" $key "*) ;; *)
				local allowed=${3// /, }
				echo "$file:$n: '$key' cannot be a block$of (only $allowed)"
				return 1 ;;
			esac
			block=$key
			printf -v "${prefix}_$key" '%s' ''
			printf -v "${prefix}_has_$key" 1
			;;
		*:*)
			key=${line%%:*} value=${line#*:} value=${value# }
			case $keys in *" $key "*) ;; *)
				printf '%s:%s: ' "$file" "$n"
				# shellcheck disable=SC2059 # the message is the caller's format
				printf "$unknown\n" "$key"
				return 1 ;;
			esac
			printf -v "${prefix}_${key//-/_}" '%s' "$value"
			;;
		*) echo "$file:$n: expected 'key: value' or 'key <<END', got '$line'"; return 1 ;;
		esac
	done <"$file"
	[ -z "$block" ] || { echo "$file: block '$block' never ends (no line '$mark')"; return 1; }
}

# spec_source_files DIR: the C files to compile, one per line.
spec_source_files() {
	local dir=$1 f
	if [ -n "$spec_sources" ]; then
		for f in $spec_sources; do printf '%s\n' "$f"; done
	else
		(cd "$dir" && for f in *.c; do [ -e "$f" ] && printf '%s\n' "$f"; done)
	fi
}

# The summary a clean, correct run prints: clean_summary [EXIT_STATUS].
clean_summary() {
	local key
	for key in "${SUMMARY_KEYS[@]}"; do
		case $key in
		exit_status) echo "exit_status ${1:-$spec_status}" ;;
		signal) echo "signal none" ;;
		*) echo "$key 0" ;;
		esac
	done
}

# The summary the spec declares for the shipped exercise: the clean summary
# with the keys of its memcheck block replacing the defaults. With
# oom-fail-at, it describes the run in which that allocation failed.
declared_summary() {
	{
		if [ -n "$spec_oom_fail_at" ]; then clean_summary "$spec_oom_status"; else clean_summary; fi
		printf '%s' "$spec_memcheck"
	} | awk 'NF { if (!($1 in v)) order[++n] = $1; v[$1] = $2 }
		END { for (i = 1; i <= n; i++) print order[i], v[order[i]] }'
}

# declared_run RESULT: the run the spec's memcheck block describes (with
# oom-fail-at, the one where that allocation failed).
declared_run() {
	if [ -n "$spec_oom_fail_at" ]; then printf '%s\n' "$1/oom/$spec_oom_fail_at"; else printf '%s\n' "$1"; fi
}
