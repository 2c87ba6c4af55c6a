# Adds up the rows that lib/memcheck.xsl made of every Valgrind report of
# one run (each row prefixed by its report's file name) and checks they are
# what Valgrind writes: one memcheck report per process, finished, carrying
# the run's nonce. Prints grader/memcheck's summary (lib/summary.awk) and
# the --details rows. Used by grader/memcheck.
#
# Variables: nonce, partial (1: the run was killed, so its reports may be
# unfinished), details (file for the --details rows, or ""), srcdir (sites
# are shown relative to it), rc (the exit status the run ended with),
# timed_out; ENVIRON["MEMCHECK_FDS"]: the descriptors left open.

function fail(msg) { print "memcheck: " msg > "/dev/stderr"; bad = 1; exit 2 }
function site(key,    i, f, best) {
	best = ""
	for (i = 1; (key, i) in ffn; i++) {
		f = ffile[key, i]
		if (f != "" && index(f, srcdir "/") == 1) {
			return substr(f, length(srcdir) + 2) ":" fline[key, i] " (" ffn[key, i] ")"
		}
		if (best == "" && f != "") best = f ":" fline[key, i] " (" ffn[key, i] ")"
	}
	if (best != "") return best
	return ((key, 1) in ffn) ? ffn[key, 1] : "?"
}
$2 == "process" {
	if ($1 in pid) fail("Valgrind report " $1 " is damaged (two headers)")
	pid[$1] = $3; ppid[$1] = $4; nfiles++
	if ($5 != "memcheck" || $6 != nonce || $7 != "4")
		fail("Valgrind report " $1 " is not the one this run wrote (tampered with?)")
	next
}
$2 == "state"  { last_state[$1] = $3; next }
$2 == "signal" { sig[$1] = $3; next }
$2 == "error" {
	k = $1 SUBSEP $3
	if (k in kind) fail("Valgrind report " $1 " is damaged (error " $3 " twice)")
	kind[k] = $4; bytes[k] = $5; blocks[k] = $6; what[k] = $7
	order[++nerr] = k
	next
}
$2 == "frame" {
	k = $1 SUBSEP $3
	n = ++nframes[k, $4]
	ffn[k SUBSEP $4, n] = $5; ffile[k SUBSEP $4, n] = $6; fline[k SUBSEP $4, n] = $7
	next
}
$2 == "aux" { aux[$1, $3, $4] = $5; next }
$2 == "count" {
	k = $1 SUBSEP $3
	if (k in cnt) fail("Valgrind report " $1 " is damaged (count " $3 " twice)")
	cnt[k] = $4
	next
}
{ fail("cannot read Valgrind report row: " $0) }
END {
	if (bad) exit 2
	if (nfiles == 0) {
		if (partial) { emit_empty(); exit 0 }
		fail("Valgrind wrote no report (did it start?)")
	}
	main = ""
	for (f in pid) {
		is_child = 0
		for (g in pid) if (g != f && pid[g] == ppid[f]) is_child = 1
		if (!is_child) {
			if (main != "") fail("Valgrind reports disagree: two main processes")
			main = f
		}
		if (last_state[f] != "FINISHED" && !partial)
			fail("Valgrind report " f " is unfinished or damaged")
	}
	if (main == "") fail("Valgrind reports disagree: no main process")
	for (i = 1; i <= nerr; i++) {
		k = order[i]; split(k, part, SUBSEP); t = kind[k]
		if (t ~ /^Leak_/) {
			n = 1
			direct = bytes[k]
			if (match(what[k], /^[0-9,]+ \([0-9,]+ direct/)) {
				s = what[k]; sub(/^[0-9,]+ \(/, "", s); sub(/ direct.*/, "", s)
				gsub(/,/, "", s); direct = s
			}
			leak_bytes[t] += direct; leak_blocks[t] += blocks[k]
		} else if (k in cnt) {
			n = cnt[k]
		} else {
			fail("Valgrind report " part[1] " is damaged (error " part[2] " has no count)")
		}
		per_kind[t] += n; errors += n; contexts++
		if (details != "") {
			line = t "\t" n "\t" what[k] "\t" site(k SUBSEP 1)
			for (s = 2; s <= 3; s++)
				line = line "\t" aux[part[1], part[2], s] "\t" (((k SUBSEP s, 1) in ffn) ? site(k SUBSEP s) : "")
			# The function that freed the block: free, or realloc moving it.
			line = line "\t" (((k SUBSEP 2, 1) in ffn) ? ffn[k SUBSEP 2, 1] : "")
			print line > details
		}
	}
	signame = (main in sig) ? sig[main] : ""
	status = rc + 0
	if (signame == "" && status > 128) signame = "signal " (status - 128)
	print_summary(errors, contexts, leak_bytes, leak_blocks, ENVIRON["MEMCHECK_FDS"], status,
		signame == "" ? "none" : signame, timed_out, per_kind)
}

# A run killed before Valgrind could finish any report: nothing counted.
function emit_empty(    no_bytes, no_blocks, no_kinds) {
	split("", no_bytes); split("", no_blocks); split("", no_kinds)
	print_summary(0, 0, no_bytes, no_blocks, 0, rc + 0, "SIGKILL", timed_out, no_kinds)
}
