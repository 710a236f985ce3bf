-- 008-diagnosis: what the diagnosis (src/diagnosis.c) needs and decides.

-- a zone's buddy line: free blocks per order, "N0 N1 N2 ..." (from
-- "N0*4kB N1*8kB ..."); NULL when not printed
ALTER TABLE zones ADD COLUMN buddy TEXT;

-- events.analysis_flags (002) has two more bits: 256 t_unknown (no
-- totalpages: ranked by usage), 512 score_settled (the printed score gave
-- the chosen task's points: its swap in an E1 table, or its root bonus)

-- The diagnosis of the event (src/diagnosis.h), decided at ingest after
-- the points.  All NULL for an event with no diagnosis: a userspace kill
-- (killer other than 'kernel'), or a kernel report stored before 008 and
-- not diagnosed yet (the next ingest diagnoses those, see
-- events_undiagnosed).  A kernel report whose data decide nothing is
-- diagnosed 'none'.
-- the primary cause, a name of diag_kind_names[]: 'manual',
-- 'cgroup-limit', 'fragmentation', 'lowmem', 'child-sacrificed',
-- 'adj-shielded', 'adj-targeted', 'shared-memory', 'process-group',
-- 'kernel-memory', 'tmpfs', 'hugetlb-reserved', 'largest-consumer', 'none'
ALTER TABLE events ADD COLUMN diag_kind TEXT;
-- the contributing causes, the same names, comma-separated in the
-- diagnosis' order ('shared-memory,hugetlb-reserved'); '' when none
ALTER TABLE events ADD COLUMN diag_also TEXT;
-- what held the memory: 'task', 'tasks' (a group of one program),
-- 'kernel', 'tmpfs', 'hugetlb' or 'none'
ALTER TABLE events ADD COLUMN culprit_kind TEXT;
-- its name: a comm, the group's name, 'slab', 'tmpfs' ...; NULL for none
ALTER TABLE events ADD COLUMN culprit_name TEXT;
-- the culprit task's pid (culprit_kind 'task'), else NULL
ALTER TABLE events ADD COLUMN culprit_pid INTEGER;
-- the tasks of the group (culprit_kind 'tasks'), else NULL
ALTER TABLE events ADD COLUMN culprit_tasks INTEGER;
-- what it held that a kill or a cap gives back, kB; NULL when unknown
ALTER TABLE events ADD COLUMN culprit_private_kb INTEGER;
-- 1: culprit_private_kb is an estimate (an rss-only dump, or swap
-- inferred from the printed score); NULL when culprit_private_kb is
ALTER TABLE events ADD COLUMN culprit_estimated INTEGER;

-- Kernel reports that still need a diagnosis (stored before 008): kept
-- small by the ingest, which diagnoses them when it opens the database.
CREATE INDEX events_undiagnosed ON events(id)
	WHERE diag_kind IS NULL AND killer = 'kernel';

-- The diagnosis' advice for an event, in its order: one setting each.
CREATE TABLE advice (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	-- 0-based, in the diagnosis' order
	seq INTEGER NOT NULL,
	-- what to set: 'OOMScoreAdjust', 'oom_score_adj', 'MemoryMax',
	-- 'MemoryHigh', 'resources.limits.memory', 'vm.nr_hugepages' ...
	setting TEXT NOT NULL,
	-- where: a unit, a pid, a pod, a mount, a sysctl; NULL when the
	-- setting names its own place
	target TEXT,
	-- the value to set ('-112', '4G'); NULL when it is a place to look
	value TEXT,
	-- why, in one line
	why TEXT
);

-- Loading an event's advice in order; also the index behind event_id.
CREATE UNIQUE INDEX advice_event ON advice(event_id, seq);
