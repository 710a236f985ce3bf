-- 001-init.sql: the first oomlens schema.
--
-- One row in events per kernel OOM report, with its task dump, kill lines
-- and zone watermarks in child tables.  Unknown stays unknown: a value the
-- report did not print is NULL, never a made-up 0.  Units follow the
-- kernel and the column names say which: task-dump columns in pages
-- (pgtables_bytes in bytes), kill-line, memcg and zone figures in kB,
-- Mem-Info counters in pages.  Times are UTC microseconds since the epoch.
--
-- Counters are unsigned 64-bit in oomlens and signed 64-bit in SQLite: a
-- value past 2^63 (never seen in a real report) is stored with its bits
-- unchanged and so reads back negative here.
--
-- The store runs this file in one transaction, sets application_id and
-- user_version in that same transaction, and refuses databases it does
-- not recognise.  Later changes go in 002-*.sql and so on; never edit a
-- migration that has shipped.

-- An input that was ingested: a file, a journal, or standard input.
CREATE TABLE sources (
	id INTEGER PRIMARY KEY,
	-- path as given on the command line; "-" for standard input
	path TEXT NOT NULL,
	-- host the input came from when known (journal, syslog), else NULL
	host TEXT,
	-- when oomlens recorded it: UTC microseconds since the epoch
	added_at INTEGER NOT NULL
);

-- One kernel OOM report: header, scope, memory state and the victim as
-- selected.  The task dump, kill lines and zones are in child tables.
CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	-- the input it was read from
	source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	-- first and last line of the report in that input, 1-based
	first_line INTEGER NOT NULL,
	last_line INTEGER NOT NULL,
	-- host name from the log container, NULL when it has none (dmesg)
	host TEXT,
	-- systemd boot id, NULL unless the container says (journal)
	boot_id TEXT,
	-- wall clock of the first line, UTC microseconds; NULL when unknown
	wall_us INTEGER,
	-- kernel timestamp of the first line, microseconds since boot
	ktime_us INTEGER,
	-- what the report lacks or how it was damaged: a bitmask of
	-- enum report_flag (src/oom.h), named in bit order by
	-- report_flag_names: bit 0 no_header, 1 no_kill, 2 no_dump,
	-- 3 no_meminfo, 4 dump_partial, 5 cut, 6 no_killable, 7 panic,
	-- 8 victim_exiting, 9 year_guessed, 10 local_time, 11 summary_cut,
	-- 12 too_long
	flags INTEGER NOT NULL DEFAULT 0,

	-- the allocating task from the "invoked oom-killer" header (not the
	-- victim)
	trigger_comm TEXT,
	-- its pid and uid from the "CPU: ... PID: ..." line (uid: 6.9+)
	trigger_pid INTEGER,
	trigger_uid INTEGER,
	-- the header's gfp_mask as printed: "0x140cca(GFP_HIGHUSER_MOVABLE)"
	gfp_mask TEXT,
	-- allocation order from the header; -1 for a SysRq-f kill
	alloc_order INTEGER,
	-- the allocating task's oom_score_adj from the header
	trigger_adj INTEGER,
	-- kernel release from the "CPU:" line, e.g. "6.1.0-13-amd64"
	kernel_release TEXT,
	-- the "Hardware name:" line
	hardware TEXT,

	-- constraint: 'none', 'cpuset', 'mempolicy' or 'memcg'
	constraint_name TEXT,
	-- nodemask as printed (header before 5.0, summary line after)
	nodemask TEXT,
	-- cpuset of the allocating task and its mems_allowed
	cpuset TEXT,
	mems_allowed TEXT,
	-- the memory cgroup over its limit (oom_memcg=) and the victim's
	-- (task_memcg=)
	oom_memcg TEXT,
	task_memcg TEXT,

	-- the victim as selected, from the oom-kill: summary (5.0+) or the
	-- "Kill process N (comm) score S" line
	selected_comm TEXT,
	selected_pid INTEGER,
	selected_uid INTEGER,
	-- printed badness score, kernels up to 5.0
	selected_score INTEGER,

	-- Mem-Info counter record, in pages
	active_anon INTEGER,
	inactive_anon INTEGER,
	isolated_anon INTEGER,
	active_file INTEGER,
	inactive_file INTEGER,
	isolated_file INTEGER,
	unevictable INTEGER,
	dirty INTEGER,
	writeback INTEGER,
	slab_reclaimable INTEGER,
	slab_unreclaimable INTEGER,
	mapped INTEGER,
	shmem INTEGER,
	pagetables INTEGER,
	free INTEGER,
	free_pcp INTEGER,
	free_cma INTEGER,
	-- Mem-Info summary lines
	-- "N total pagecache pages"
	pagecache_pages INTEGER,
	-- "N pages in swap cache"
	swapcache_pages INTEGER,
	-- "Free swap  = NkB" and "Total swap = NkB"
	free_swap_kb INTEGER,
	total_swap_kb INTEGER,
	-- "N pages RAM"
	ram_pages INTEGER,
	-- "N pages reserved"
	reserved_pages INTEGER,
	-- "N pages HighMem/MovableOnly"
	highmem_pages INTEGER,
	-- "N pages cma reserved"
	cma_reserved_pages INTEGER,
	-- "N pages hwpoisoned"
	hwpoisoned_pages INTEGER,
	-- page size in kB, from the first buddy bucket ("N*4kB")
	page_size_kb INTEGER,
	-- huge pages summed over nodes and sizes: total and free in pages,
	-- and the memory they reserve (total x size) in kB
	hugepages_total INTEGER,
	hugepages_free INTEGER,
	hugepages_kb INTEGER,

	-- memory cgroup counter lines, kB; all three NULL when the line was
	-- not printed.  A limit at or above 2^52 kB means unlimited.
	-- "memory: usage NkB, limit NkB, failcnt N"
	memcg_usage_kb INTEGER,
	memcg_limit_kb INTEGER,
	memcg_failcnt INTEGER,
	-- "swap: usage ..." (cgroup v2, 5.3+)
	memcg_swap_usage_kb INTEGER,
	memcg_swap_limit_kb INTEGER,
	memcg_swap_failcnt INTEGER,
	-- "memory+swap: usage ..." (cgroup v1)
	memcg_memsw_usage_kb INTEGER,
	memcg_memsw_limit_kb INTEGER,
	memcg_memsw_failcnt INTEGER,
	-- "kmem: usage ..." (cgroup v1, 3.10+)
	memcg_kmem_usage_kb INTEGER,
	memcg_kmem_limit_kb INTEGER,
	memcg_kmem_failcnt INTEGER,
	-- X of "Memory cgroup stats for X:"
	memcg_stats_path TEXT,
	-- the stats that follow, "key value" lines, units as printed
	memcg_stats TEXT,

	-- task-dump column layout, enum task_layout (src/oom.h):
	-- 0 unknown, 1 pgtables_bytes (4.15-6.6), 2 rss split (6.8+),
	-- 3 nr_pmds (4.0-4.14), 4 nr_ptes (3.6-3.19, RHEL 7),
	-- 5 oom_adj + oom_score_adj (RHEL 6.2+), 6 oom_adj (2.6.32)
	task_layout INTEGER NOT NULL DEFAULT 0,
	-- X of "Tasks in X are going to be killed due to memory.oom.group"
	group_kill_memcg TEXT,
	-- the badness denominator (RAM + swap, or the memcg limit), pages;
	-- NULL until analysis computes it
	totalpages INTEGER,
	-- the report's lines as read, prefixes included, newline-separated
	raw TEXT
);

-- Time-range queries and the list order.
CREATE INDEX events_wall ON events(wall_us);
-- --host filters.
CREATE INDEX events_host ON events(host);
-- A report is stored once per input; also the index behind the
-- source_id foreign key.
CREATE UNIQUE INDEX events_source ON events(source_id, first_line);

-- One row of the task dump ("[  pid  ]   uid  tgid total_vm ..."), every
-- column it prints.  A column is NULL when the row's layout lacks it.
CREATE TABLE tasks (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	-- position in the dump, 0 .. n-1
	seq INTEGER NOT NULL,
	-- source line of the row
	line INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	uid INTEGER,
	tgid INTEGER,
	-- total_vm and rss, pages
	total_vm INTEGER,
	rss INTEGER,
	-- 6.8+: rss_anon, rss_file and rss_shmem, pages
	rss_anon INTEGER,
	rss_file INTEGER,
	rss_shmem INTEGER,
	-- page tables in bytes (4.15+)
	pgtables_bytes INTEGER,
	-- page tables in pages: nr_ptes (3.6-4.14), nr_pmds (4.0-4.14)
	nr_ptes INTEGER,
	nr_pmds INTEGER,
	-- swap entries, pages
	swapents INTEGER,
	oom_score_adj INTEGER,
	-- legacy layouts (2.6.32, RHEL 6): cpu and oom_adj
	cpu INTEGER,
	oom_adj INTEGER,
	-- badness points as recomputed by analysis, NULL until then
	points INTEGER,
	-- 1 = the task the kernel should have picked; NULL when not ranked
	rank INTEGER,
	-- comm, may hold spaces
	name TEXT NOT NULL
);

-- Loading an event's dump in order; also the index behind event_id.
CREATE UNIQUE INDEX tasks_event ON tasks(event_id, seq);

-- One "Killed process" line, with what the oom_reaper later said of it.
-- A memory.oom.group kill prints several.
CREATE TABLE kills (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	-- print order within the report, 0 .. n-1
	seq INTEGER NOT NULL,
	-- source line of the "Killed process" line
	line INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	comm TEXT NOT NULL,
	-- the prefix before "Killed process": "Out of memory", "Memory
	-- cgroup out of memory", ...; NULL when not printed
	reason TEXT,
	uid INTEGER,
	-- sizes from the kill line, kB
	total_vm_kb INTEGER,
	anon_rss_kb INTEGER,
	file_rss_kb INTEGER,
	shmem_rss_kb INTEGER,
	pgtables_kb INTEGER,
	oom_score_adj INTEGER,
	-- 'reaped' ("oom_reaper: reaped process"), 'unable' ("unable to
	-- reap"), or NULL when no reaper line was seen
	reap_state TEXT CHECK (reap_state IN ('reaped', 'unable')),
	-- what the reaper left behind, kB
	reaped_anon_kb INTEGER,
	reaped_file_kb INTEGER,
	reaped_shmem_kb INTEGER
);

-- Loading an event's kills in order; also the index behind event_id.
CREATE UNIQUE INDEX kills_event ON kills(event_id, seq);
-- "Which OOMs killed postgres?"
CREATE INDEX kills_comm ON kills(comm);

-- One zone line of Mem-Info ("Node 0 Normal free:...kB min:...kB"): the
-- watermarks that say why the allocation failed.  kB.
CREATE TABLE zones (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	-- print order within the report, 0 .. n-1
	seq INTEGER NOT NULL,
	-- NUMA node; NULL when the kernel printed none (CONFIG_NUMA=n)
	node INTEGER,
	-- zone name: "DMA", "DMA32", "Normal", "Movable", ...
	name TEXT NOT NULL,
	free_kb INTEGER,
	min_kb INTEGER,
	low_kb INTEGER,
	high_kb INTEGER,
	present_kb INTEGER,
	managed_kb INTEGER
);

-- Loading an event's zones in order; also the index behind event_id.
CREATE UNIQUE INDEX zones_event ON zones(event_id, seq);

-- Every killed process with its event's time and scope: one row per kill
-- line, so a memory.oom.group kill gives several rows (kill_seq 0, 1, ...).
CREATE VIEW victims AS
SELECT
	e.id AS event_id,
	k.seq AS kill_seq,
	e.wall_us,
	e.host,
	k.pid,
	k.comm,
	k.reason,
	e.constraint_name,
	e.oom_memcg,
	e.task_memcg
FROM events AS e
JOIN kills AS k ON k.event_id = e.id;
