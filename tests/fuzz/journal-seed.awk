# journal-seed.awk: dmesg lines (raw or kern.log) as journal entries, one
# per line, in Journal Export Format (json=0) or as journalctl -o json
# objects (json=1); realtime = boot + kernel time.  A seed generator.
function q(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s);
	return "\"" s "\"";
}
function entry(mono, msg) {
	if (json) {
		printf "{\"__REALTIME_TIMESTAMP\":\"%.0f\",\"__MONOTONIC_TIMESTAMP\":\"%.0f\",", boot + mono, mono;
		printf "\"_BOOT_ID\":\"4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\",\"_HOSTNAME\":\"db1\",";
		printf "\"_TRANSPORT\":\"kernel\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":%s}\n", q(msg);
	} else {
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", boot + mono, mono;
		printf "_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n_HOSTNAME=db1\n";
		printf "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\nMESSAGE=%s\n\n", msg;
	}
}
{
	s = $0;
	sub(/^.* kernel: /, "", s);
	if (match(s, /^\[ *[0-9]+\.[0-9]+\] /)) {
		t = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1);
		gsub(/[\[\] ]/, "", t); split(t, p, ".");
		mono = p[1] * 1000000 + p[2];
	}
	entry(mono, s);
}
