-- 007-story: who killed, and what userspace said around a kill.
--
-- A kill need not be the kernel's: systemd-oomd, earlyoom and nohang kill
-- from userspace, with no kernel report.  Such a kill is an event too,
-- with its killer named and nothing else of a report (no dump, no memory
-- state: NULL).
ALTER TABLE events ADD COLUMN killer TEXT NOT NULL DEFAULT 'kernel';

-- One userspace log line about an OOM (parsers/story.h): systemd's unit
-- lines, systemd-oomd, earlyoom and nohang kills, containerd's TaskOOM,
-- the kubelet's SystemOOM, node-problem-detector's OOMKilling, and
-- "forged" lines: userspace text that reads as a kernel OOM line and is
-- therefore never taken for one.
CREATE TABLE actions (
	id INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	-- line in that input, 1-based
	line INTEGER NOT NULL,
	host TEXT,
	boot_id TEXT,
	-- wall clock of the line, UTC microseconds; NULL when unknown
	wall_us INTEGER,
	-- bit 0: the time had no zone (read as local), bit 1: year guessed
	flags INTEGER NOT NULL DEFAULT 0,
	-- the program that logged it: 'systemd', 'systemd-oomd', 'earlyoom',
	-- 'nohang', 'containerd', 'kubelet', 'node-problem-detector'; for a
	-- forged line, the tag it was logged under
	actor TEXT NOT NULL,
	-- 'unit-oom', 'unit-failed', 'unit-oomd', 'oomd-kill',
	-- 'earlyoom-kill', 'nohang-kill', 'task-oom', 'system-oom',
	-- 'npd-oom', 'forged'
	kind TEXT NOT NULL,
	-- what the line names, where it names it
	unit TEXT,
	cgroup TEXT,
	container_id TEXT,
	pid INTEGER,
	comm TEXT,
	uid INTEGER,
	-- oom_score and oom_score_adj as the killer printed them (earlyoom)
	score INTEGER,
	adj INTEGER,
	-- resident memory the killer printed, kB (earlyoom: VmRSS)
	rss_kb INTEGER,
	-- processes killed (systemd's "systemd-oomd killed N process(es)")
	count INTEGER,
	signal TEXT,
	-- oomd: "memory pressure for X being ..."; earlyoom: the cmdline
	reason TEXT,
	-- the message as logged, after the tag
	message TEXT NOT NULL,
	-- the event it tells about: the kernel kill it follows, or for a
	-- userspace kill the event it is; NULL when none is known
	event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
	-- how it was linked: 'self' (its own kill), 'unit', 'cgroup',
	-- 'container', 'pid' or 'time' (the only kill on the host then)
	link TEXT
);
CREATE INDEX actions_event ON actions(event_id);
CREATE INDEX actions_host_wall ON actions(host, wall_us);
CREATE INDEX actions_unlinked ON actions(wall_us) WHERE event_id IS NULL;
