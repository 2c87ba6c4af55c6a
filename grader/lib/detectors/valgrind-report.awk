# Adds up the rows that lib/detectors/memcheck.xsl made of the one Valgrind report of
# a run and checks they are what Valgrind writes: one memcheck report,
# finished, whose counts come from its end. Prints grader/memcheck's
# summary (lib/detectors/summary.awk) and the --details rows. Used by grader/memcheck.
#
# Valgrind writes its last status (FINISHED) once the program has ended,
# then the leaks and the counts of every other error: those are taken from
# there, and a leak, or a count, anywhere else is refused.
#
# Variables: partial (1: the run was killed, so its report may be
# unfinished), details (file for the --details rows, or ""), srcdir (sites
# are shown relative to it), rc (the exit status the run ended with),
# timed_out, crash (file for where a fatal signal stopped the program, or
# ""), fdsites (file for where each descriptor left open was opened, one
# place a line, or ""), failmark (file for the call failalloc made fail, or
# "") and markfile (failalloc.c's path), stack_overflow (1: Valgrind said
# the stack could not grow); ENVIRON["MEMCHECK_FDS"]: the
# descriptors left open.

function fail(msg) { print "memcheck: " msg > "/dev/stderr"; bad = 1; exit 2 }
# site(key): where a stack happened, as the learner reads it: up to three
# frames of the code in srcdir, innermost first, joined by " < "; when the
# innermost of them called into code not its own (the C library's fclose,
# say), "inside FN < " first, unless FN is the allocator (the label says
# allocated or freed). With no frame in srcdir, the first frame with a
# source file, else the first function named.
function site(key,    i, f, n, out, outside, best) {
	best = ""; out = ""; n = 0; outside = ""
	for (i = 1; (key, i) in ffn && n < 3; i++) {
		f = ffile[key, i]
		if (f != "" && index(f, srcdir "/") == 1) {
			if (n == 0 && outside != "" && !allocator(outside)) out = "inside " outside " < "
			out = out (n ? " < " : "") substr(f, length(srcdir) + 2) ":" fline[key, i] " (" ffn[key, i] ")"
			n++
		} else if (n == 0) {
			if (ffn[key, i] != "") outside = ffn[key, i]
			if (best == "" && f != "") best = f ":" fline[key, i] " (" ffn[key, i] ")"
		}
	}
	if (out != "") return out
	# No frame of its own: the C library at exit (flushing the FILEs the
	# program left open, say), after main returned.
	for (i = 1; (key, i) in ffn; i++)
		if (ffn[key, i] == "exit" && ffn[key, 1] != "") return "inside " ffn[key, 1] " < exit (after main returned)"
	if (best != "") return best
	return ((key, 1) in ffn) ? ffn[key, 1] : "?"
}
# failed_call(key): for the stack of failalloc's mark (its own function,
# in its own file, atop the stack but for the allocator), the wrapped
# function whose call failed (strdup); else "".
function failed_call(key,    i) {
	if (!((key, 2) in ffn) || ffn[key, 2] != "failalloc_mark_failure" || ffile[key, 2] != markfile) return ""
	for (i = 3; (key, i) in ffn; i++)
		if (ffn[key, i] ~ /^__wrap_/ && ffile[key, i] == markfile) return substr(ffn[key, i], 8)
	return ""
}
# allocator(fn): a function of the allocator, or failalloc's wrapper of one.
function allocator(fn) {
	sub(/^__wrap_/, "", fn)
	return fn ~ /^(malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign|memalign|valloc|operator new|operator delete)/
}
# crash_places(key): where a fatal signal stopped the program, one line
# per frame of the code in srcdir (innermost first, three at most), after
# a line "inside FN" naming the function outside that code that its
# innermost frame called, when the signal came from there (abort, say).
function crash_places(key,    i, f, n, out, outside) {
	out = ""; n = 0; outside = ""
	for (i = 1; (key, i) in ffn && n < 3; i++) {
		f = ffile[key, i]
		if (f != "" && index(f, srcdir "/") == 1) {
			if (n == 0 && outside != "") out = "inside " outside "\n"
			out = out substr(f, length(srcdir) + 2) ":" fline[key, i] " (" ffn[key, i] ")\n"
			n++
		} else if (n == 0 && ffn[key, i] != "") {
			outside = ffn[key, i]
		}
	}
	return out
}
$1 == "process" {
	if (nprocess++) fail("Valgrind's report is damaged (two headers)")
	if ($4 != "memcheck" || $6 != "4") fail("Valgrind's report is not a memcheck report")
	next
}
$1 == "state"  { last_state = $2; next }
$1 == "signal" { sig = $2; next }
$1 == "statuses" { statuses = $2; next }
$1 == "error" {
	k = $2
	if (k in kind) fail("Valgrind's report is damaged (error " k " twice)")
	kind[k] = $3; bytes[k] = $4; blocks[k] = $5; what[k] = $6; before[k] = $7
	order[++nerr] = k
	next
}
$1 == "frame" {
	k = $2
	n = ++nframes[k, $3]
	ffn[k SUBSEP $3, n] = $4; ffile[k SUBSEP $3, n] = $5; fline[k SUBSEP $3, n] = $6
	next
}
$1 == "aux" { aux[$2, $3] = $4; next }
$1 == "count" {
	k = $2
	if (k in cnt) fail("Valgrind's report is damaged (count " k " twice)")
	cnt[k] = $3; cnt_before[k] = $4
	next
}
{ fail("cannot read Valgrind report row: " $0) }
END {
	if (bad) exit 2
	if (nprocess == 0) {
		if (partial) { emit_empty(); exit 0 }
		fail("Valgrind wrote no report (did it start?)")
	}
	if (last_state != "FINISHED" && !partial) fail("Valgrind's report is unfinished or damaged")
	for (k in cnt) {
		if (!(k in kind)) fail("Valgrind's report is damaged (a count of no error, " k ")")
		if (cnt_before[k] != statuses) fail("Valgrind's report is damaged (error counts before its end)")
	}
	for (i = 1; i <= nerr; i++) {
		k = order[i]; t = kind[k]
		# failalloc's mark of the failing call (--failed-allocation): one,
		# not a bug of the program.
		if (failmark != "" && !marked && t == "FishyValue" && (wrapped = failed_call(k SUBSEP 1)) != "") {
			marked = 1
			print wrapped "\t" site(k SUBSEP 1) > failmark
			continue
		}
		if (t ~ /^Leak_/) {
			if (before[k] != statuses) fail("Valgrind's report is damaged (a leak before its end)")
			n = 1
			direct = bytes[k]
			if (match(what[k], /^[0-9,]+ \([0-9,]+ direct/)) {
				s = what[k]; sub(/^[0-9,]+ \(/, "", s); sub(/ direct.*/, "", s)
				gsub(/,/, "", s); direct = s
			}
			leak_bytes[t] += direct; leak_blocks[t] += blocks[k]
		} else if (k in cnt) {
			n = cnt[k]
		} else if (partial) {
			# Killed before Valgrind could count: as many as were shown.
			n = 1
		} else {
			fail("Valgrind's report is damaged (error " k " has no count)")
		}
		per_kind[t] += n; errors += n; contexts++
		if (details != "") {
			line = t "\t" n "\t" what[k] "\t" site(k SUBSEP 1)
			for (s = 2; s <= 3; s++)
				line = line "\t" aux[k, s] "\t" (((k SUBSEP s, 1) in ffn) ? site(k SUBSEP s) : "")
			# The function that freed the block: free, or realloc moving it.
			line = line "\t" (((k SUBSEP 2, 1) in ffn) ? ffn[k SUBSEP 2, 1] : "")
			print line > details
		}
	}
	if (crash != "" && sig != "") printf "%s%s", (stack_overflow ? "stack overflow\n" : ""), crash_places("signal" SUBSEP 1) > crash
	if (fdsites != "")
		for (i = 1; ("fdopen-" i SUBSEP 1, 1) in ffn; i++) print site("fdopen-" i SUBSEP 1) > fdsites
	status = rc + 0
	signame = sig
	if (signame == "" && status > 128) signame = "signal " (status - 128)
	print_summary(errors, contexts, leak_bytes, leak_blocks, ENVIRON["MEMCHECK_FDS"], status,
		signame == "" ? "none" : signame, timed_out, per_kind)
}

# A run killed before Valgrind could finish any report: nothing counted.
function emit_empty(    no_bytes, no_blocks, no_kinds) {
	split("", no_bytes); split("", no_blocks); split("", no_kinds)
	print_summary(0, 0, no_bytes, no_blocks, 0, rc + 0, "SIGKILL", timed_out, no_kinds)
}
