-- 005-snapshots: live samples taken by `oomlens risk --record`, so that a
-- later OOM of the same host can be compared with what ran before it.
CREATE TABLE snapshots (
	id INTEGER PRIMARY KEY,
	-- the sampled host (/proc/sys/kernel/hostname)
	host TEXT,
	-- when: UTC microseconds since the epoch
	wall_us INTEGER NOT NULL,
	-- the running kernel
	kernel_release TEXT,
	-- the kernel's badness denominator then, in pages
	totalpages INTEGER,
	-- page size in kB
	page_size_kb INTEGER,
	-- MemTotal in pages; SwapTotal and SwapFree in kB
	ram_pages INTEGER,
	total_swap_kb INTEGER,
	free_swap_kb INTEGER
);
CREATE INDEX snapshots_host_time ON snapshots(host, wall_us);

CREATE TABLE snapshot_tasks (
	snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
	pid INTEGER NOT NULL,
	-- comm, as in a task dump
	name TEXT NOT NULL,
	-- rss + swap + page tables, pages: what the badness counts
	usage_pages INTEGER,
	rss_pages INTEGER,
	swap_pages INTEGER,
	pgtables_bytes INTEGER,
	oom_score_adj INTEGER,
	-- badness, rank (1 = first to die) and /proc oom_score as computed
	points INTEGER,
	rank INTEGER,
	oom_score INTEGER,
	-- /proc/PID/oom_score as the kernel reported it
	kernel_oom_score INTEGER,
	-- the task's memory cgroup
	cgroup TEXT
);
CREATE INDEX snapshot_tasks_snapshot ON snapshot_tasks(snapshot_id);
