-- 002-analysis: what oomlens recomputed of the kernel's choice
-- (src/badness.c, reference §3).  Filled at ingest.

-- badness era of the report: 0 unknown, 1-5 = E0-E4 (reference §3.1)
ALTER TABLE events ADD COLUMN era INTEGER;
-- where totalpages came from: 0 unknown, 1 global (RAM - reserved +
-- swap), 2 memcg limit, 3 cpuset/mempolicy nodes
ALTER TABLE events ADD COLUMN total_source INTEGER;
-- bits of enum analysis_flag (src/oom.h): 1 t_estimated, 2 swap_assumed,
-- 4 root_bonus, 8 era_guessed, 16 no_candidate, 32 usage_partial,
-- 64 page_assumed, 128 tie_rule_guessed
ALTER TABLE events ADD COLUMN analysis_flags INTEGER;
-- the pid the kernel should have chosen by its own formula; NULL when the
-- report does not allow the computation
ALTER TABLE events ADD COLUMN predicted_pid INTEGER;
-- 1 when predicted_pid is the task killed, 0 when not, NULL unknown
ALTER TABLE events ADD COLUMN agrees INTEGER;
-- why not (enum mismatch_reason): 0 none, 1 child sacrifice,
-- 2 oom_kill_allocating_task, 3 victim exiting, 4 victim outside the
-- dump, 5 dump partial, 6 tie, 7 unknown
ALTER TABLE events ADD COLUMN mismatch INTEGER;

-- the task's /proc/PID/oom_score at the time, as the era computed it
ALTER TABLE tasks ADD COLUMN oom_score INTEGER;
