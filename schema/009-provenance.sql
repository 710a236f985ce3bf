-- 009-provenance: where each event's text came from, so that a copy of
-- an OOM that anyone could have written (a syslog line: logger -t kernel)
-- never replaces one the kernel wrote (issue: trust).

-- How far the copy kept can be trusted, enum oom_provenance (src/oom.h):
-- 0 not recorded (stored before 009), 1 syslog text, 2 syslog text with
-- the kernel's uptime stamp, 3 /dev/kmsg or dmesg output, 4 the journal
-- with _TRANSPORT=kernel.  Copies of one OOM are merged by it first, by
-- completeness second.
ALTER TABLE events ADD COLUMN trust INTEGER NOT NULL DEFAULT 0;
-- Its name: 'journal-kernel', 'kmsg' or 'text'; NULL before 009.
ALTER TABLE events ADD COLUMN provenance TEXT;

-- events.flags has a new bit: 1073741824 conflicting_copies (copies of
-- this OOM disagree on a task, a name or a number; the most trusted
-- copy's facts are kept, the others stay linked in event_sources).
