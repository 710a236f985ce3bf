/*
 * store-statements.c: all SQL of the store, one entry per enum stmt_id
 * (store-int.h), prepared on first use by q_start() (store.c) and kept
 * for the life of the store; the name is for error messages.
 */
#include "oom.h"
#include "store-int.h"

/* Column lists to SQL text, at compile time (see store-int.h).  Each item
 * brings its comma, so lists follow the hand-written columns. */
#define SQL_NAME3(col, member, bit) ", " #col
#define SQL_PARAM3(col, member, bit) ", :" #col
#define SQL_NAME1(col) ", " #col
#define SQL_PARAM1(col) ", :" #col

/* --boot (struct event_filter's boot_id, boot_offset), after the other
 * filters of a statement on events (or actions) aliased P ("e." or ""):
 * a boot id or its start, or a host's boots in the order they started,
 * as journalctl counts them: back 0 the latest, fwd 1 the first; the
 * boots counted are those of the stored events. */
#define BOOT_FILTER(P)							\
	"AND (:boot IS NULL OR substr(" P "boot_id, 1, length(:boot)) = "	\
	":boot) "							\
	"AND (:boot_n IS NULL OR " P "boot_id IN (SELECT boot_id FROM ("	\
	"  SELECT boot_id, ROW_NUMBER() OVER (PARTITION BY host "	\
	"    ORDER BY MIN(wall_us) DESC, MIN(id) DESC) - 1 AS back, "	\
	"  ROW_NUMBER() OVER (PARTITION BY host "			\
	"    ORDER BY MIN(wall_us), MIN(id)) AS fwd "			\
	"  FROM events WHERE boot_id IS NOT NULL GROUP BY host, boot_id) "	\
	"  WHERE (:boot_n <= 0 AND back = -:boot_n) "			\
	"  OR (:boot_n > 0 AND fwd = :boot_n))) "

const struct store_stmt_def store_stmt_sql[STMT_COUNT] = {
	[STMT_BEGIN] = { "begin", "BEGIN IMMEDIATE" },
	/* a read of many events: one snapshot, one lock, not one per row */
	[STMT_BEGIN_READ] = { "begin read", "BEGIN" },
	[STMT_COMMIT] = { "commit", "COMMIT" },
	[STMT_ROLLBACK] = { "rollback", "ROLLBACK" },
	/* store_save_report() is atomic even inside a caller's transaction */
	[STMT_SAVEPOINT] = { "savepoint", "SAVEPOINT save_report" },
	[STMT_RELEASE] = { "release savepoint", "RELEASE save_report" },
	[STMT_ROLLBACK_TO] = { "rollback to savepoint",
			       "ROLLBACK TO save_report" },
	[STMT_FOREIGN_KEYS] = { "enable foreign keys",
				"PRAGMA foreign_keys = ON" },
	/* In WAL mode, NORMAL syncs at checkpoints, not at every commit: a
	 * crash cannot corrupt or half-apply a transaction, a power cut may
	 * lose the last ones (a re-run ingests them again).  One fsync per
	 * input was most of the time of a 5000-file archive. */
	[STMT_SYNC_NORMAL] = { "set synchronous", "PRAGMA synchronous = NORMAL" },
	/* a writer's savepoint per report keeps the pages it changes in a
	 * sub-journal: a temporary file wrote them one pwrite() at a time
	 * (45 calls per event); in memory it is truncated at each release */
	[STMT_TEMP_MEMORY] = { "keep sub-journals in memory",
			       "PRAGMA temp_store = MEMORY" },
	[STMT_JOURNAL_WAL] = { "set WAL mode", "PRAGMA journal_mode = WAL" },
	[STMT_GET_APP_ID] = { "read application_id",
			      "PRAGMA application_id" },
	/* 1330597196 == 0x4F4F4D4C: PRAGMA wants a decimal number */
	[STMT_SET_APP_ID] = { "set application_id",
			      "PRAGMA application_id = 1330597196" },
	[STMT_GET_USER_VERSION] = { "read user_version",
				    "PRAGMA user_version" },
	/* sqlite_master rather than sqlite_schema: SQLite < 3.33 */
	[STMT_COUNT_SCHEMA] = { "count schema objects",
				"SELECT count(*) FROM sqlite_master" },
	[STMT_INSERT_SOURCE] = {
		"insert source",
		"INSERT INTO sources (path, host, added_at) "
		"VALUES (:path, :host, :added_at)"
	},
	/*
	 * The hand-written columns come first, then the lists: store-events.c
	 * binds and loads the lists by position (checked against the names
	 * once per statement), which saves a name lookup per column and row.
	 */
	[STMT_INSERT_EVENT] = {
		"insert event",
		"INSERT INTO events (id, source_id, flags, task_layout, killer, "
		"provenance, facts_digest"
		EVENT_COLUMNS(SQL_NAME3) MEM_COLUMNS(SQL_NAME1)
		MEMCG_COLUMNS(SQL_NAME1)
		/* the diagnosis with the row (store_bind_verdict()), not
		 * an UPDATE that writes the row again */
		", diag_kind, diag_also, culprit_kind, culprit_name, "
		"culprit_pid, culprit_tasks, culprit_private_kb, "
		"culprit_estimated"
		") VALUES (:id, :source_id, :flags, :task_layout, :killer, "
		":provenance, :facts_digest"
		EVENT_COLUMNS(SQL_PARAM3) MEM_COLUMNS(SQL_PARAM1)
		MEMCG_COLUMNS(SQL_PARAM1)
		", :kind, :also, :culprit_kind, :culprit_name, :culprit_pid, "
		":culprit_tasks, :culprit_private_kb, :culprit_estimated)"
	},
	[STMT_INSERT_EVENT_TEXT] = {
		"insert event text",
		"INSERT INTO event_text (event_id, raw, memcg_stats) "
		"VALUES (:event_id, :raw, :memcg_stats)"
	},
	[STMT_INSERT_TASK] = {
		"insert task",
		"INSERT INTO tasks (event_id, seq, rank" TASK_COLUMNS(SQL_NAME3)
		") VALUES (:event_id, :seq, :rank" TASK_COLUMNS(SQL_PARAM3) ")"
	},
	[STMT_INSERT_KILL] = {
		"insert kill",
		"INSERT INTO kills (event_id, seq, reap_state, wall_us, host"
		KILL_COLUMNS(SQL_NAME3)
		") VALUES (:event_id, :seq, :reap_state, :wall_us, :host"
		KILL_COLUMNS(SQL_PARAM3) ")"
	},
	[STMT_INSERT_ZONE] = {
		"insert zone",
		"INSERT INTO zones (event_id, seq, node" ZONE_COLUMNS(SQL_NAME3)
		") VALUES (:event_id, :seq, :node" ZONE_COLUMNS(SQL_PARAM3) ")"
	},
	[STMT_SELECT_EVENT] = {
		"select event",
		"SELECT flags, task_layout, killer" EVENT_COLUMNS(SQL_NAME3)
		MEM_COLUMNS(SQL_NAME1) MEMCG_COLUMNS(SQL_NAME1)
		" FROM events WHERE id = :id"
	},
	/* The same with its text, its verdict (as STMT_SELECT_DIAGNOSIS) and
	 * its origin (as STMT_EVENT_SOURCE): an event of an export is read
	 * once, not three times.  Qualified: sources has a host too. */
#define SQL_E_NAME3(col, member, bit) ", e." #col
#define SQL_E_NAME1(col) ", e." #col
	[STMT_SELECT_EVENT_FULL] = {
		"select event with text",
		"SELECT e.flags, e.task_layout, e.killer"
		EVENT_COLUMNS(SQL_E_NAME3) MEM_COLUMNS(SQL_E_NAME1)
		MEMCG_COLUMNS(SQL_E_NAME1)
		", t.raw, t.memcg_stats, e.diag_kind, e.diag_also, "
		"e.culprit_kind, e.culprit_name, e.culprit_pid, "
		"e.culprit_tasks, e.culprit_private_kb, e.culprit_estimated, "
		"s.path, COALESCE((SELECT MIN(c.added_at) "
		"FROM event_sources AS es JOIN sources AS c "
		"ON c.id = es.source_id WHERE es.event_id = e.id), s.added_at) "
		"FROM events AS e LEFT JOIN event_text AS t ON t.event_id = e.id "
		"LEFT JOIN sources AS s ON s.id = e.source_id WHERE e.id = :id"
	},
	[STMT_SELECT_TASKS] = {
		"select tasks",
		"SELECT rank" TASK_COLUMNS(SQL_NAME3)
		" FROM tasks WHERE event_id = :event_id ORDER BY seq"
	},
	[STMT_SELECT_KILLS] = {
		"select kills",
		"SELECT reap_state" KILL_COLUMNS(SQL_NAME3)
		" FROM kills WHERE event_id = :event_id ORDER BY seq"
	},
	[STMT_SELECT_ZONES] = {
		"select zones",
		"SELECT node" ZONE_COLUMNS(SQL_NAME3)
		" FROM zones WHERE event_id = :event_id ORDER BY seq"
	},
	/* One statement for every filter: an unset filter binds NULL.
	 * A time filter drops events without a wall clock (NULL compares
	 * false), which is what "since" means for them. */
	[STMT_EVENT_IDS] = {
		"select event ids",
		"SELECT id FROM events "
		"WHERE (:host IS NULL OR host = :host) "
		"AND (:since IS NULL OR wall_us >= :since) "
		"AND (:until IS NULL OR wall_us < :until) "
		"AND trust >= :min_trust "
		BOOT_FILTER("")
		"ORDER BY wall_us IS NULL, wall_us, source_id, first_line, id"
	},
	[STMT_EVENT_SOURCE] = {
		"select event source",
		/* when it was first ingested: the earliest input it was
		 * seen in, so that a better copy read later keeps it */
		"SELECT s.path, COALESCE((SELECT MIN(c.added_at) "
		"FROM event_sources AS es JOIN sources AS c "
		"ON c.id = es.source_id WHERE es.event_id = e.id), "
		"s.added_at) FROM events AS e "
		"JOIN sources AS s ON s.id = e.source_id WHERE e.id = :id"
	},
	/* Newest first: the kill a person asks about is usually the last.
	 * One statement per key, each served in order by its index
	 * (kills carry their event's time and host for that, 003). */
	[STMT_FIND_KILLS_NAME] = {
		"find kills by name",
		"SELECT event_id FROM kills WHERE comm = :name "
		"AND (:host IS NULL OR host = :host) "
		"AND (:event IS NULL OR event_id = :event) "
		"ORDER BY wall_us DESC, event_id DESC LIMIT :limit"
	},
	[STMT_FIND_KILLS_PID] = {
		"find kills by pid",
		"SELECT event_id FROM kills WHERE pid = :pid "
		"AND (:host IS NULL OR host = :host) "
		"AND (:event IS NULL OR event_id = :event) "
		"ORDER BY wall_us DESC, event_id DESC LIMIT :limit"
	},
	[STMT_COUNT_KILLS_NAME] = {
		"count kills by name",
		"SELECT COUNT(DISTINCT event_id) FROM kills WHERE comm = :name "
		"AND (:host IS NULL OR host = :host) "
		"AND (:event IS NULL OR event_id = :event)"
	},
	[STMT_COUNT_KILLS_PID] = {
		"count kills by pid",
		"SELECT COUNT(DISTINCT event_id) FROM kills WHERE pid = :pid "
		"AND (:host IS NULL OR host = :host) "
		"AND (:event IS NULL OR event_id = :event)"
	},
	/* Events whose dump lists the task and that did not kill it. */
	[STMT_FIND_SURVIVORS_NAME] = {
		"find survivors by name",
		"SELECT DISTINCT e.id, e.wall_us FROM tasks AS t "
		"JOIN events AS e ON e.id = t.event_id "
		"WHERE t.name = :name "
		"AND (:host IS NULL OR e.host = :host) "
		"AND (:event IS NULL OR e.id = :event) "
		"AND NOT EXISTS (SELECT 1 FROM kills AS k "
		"WHERE k.event_id = e.id AND k.pid = t.pid) "
		"ORDER BY e.wall_us IS NULL, e.wall_us DESC, e.id DESC"
	},
	[STMT_FIND_SURVIVORS_PID] = {
		"find survivors by pid",
		"SELECT DISTINCT e.id, e.wall_us FROM tasks AS t "
		"JOIN events AS e ON e.id = t.event_id "
		"WHERE t.pid = :pid "
		"AND (:host IS NULL OR e.host = :host) "
		"AND (:event IS NULL OR e.id = :event) "
		"AND NOT EXISTS (SELECT 1 FROM kills AS k "
		"WHERE k.event_id = e.id AND k.pid = t.pid) "
		"ORDER BY e.wall_us IS NULL, e.wall_us DESC, e.id DESC"
	},
	/* The last earlier report of the host that has a task dump. */
	[STMT_PREV_EVENT] = {
		"find previous event",
		"SELECT e.id FROM events AS e WHERE e.host = :host "
		"AND e.wall_us < :wall AND e.id != :id "
		"AND EXISTS (SELECT 1 FROM tasks AS t WHERE t.event_id = e.id) "
		"ORDER BY e.wall_us DESC, e.id DESC LIMIT 1"
	},
	/* Aggregates for 'top': key, count, last time; same filter as
	 * STMT_EVENT_IDS. */
	[STMT_TOP_VICTIM] = {
		"top victims",
		"SELECT k.comm, COUNT(*), MAX(e.wall_us) FROM kills AS k "
		"JOIN events AS e ON e.id = k.event_id "
		"WHERE (:host IS NULL OR e.host = :host) "
		"AND (:since IS NULL OR e.wall_us >= :since) "
		"AND (:until IS NULL OR e.wall_us < :until) "
		BOOT_FILTER("e.")
		"GROUP BY k.comm ORDER BY 2 DESC, 3 DESC, 1"
	},
	/* The culprit of an event is its diagnosis' (008): a task or group
	 * by name, the kernel, tmpfs or hugetlb by their name, else their
	 * kind.  Events without one (culprit 'none', no diagnosis) are not
	 * counted. */
	[STMT_TOP_CULPRIT] = {
		"top culprits",
		"SELECT COALESCE(e.culprit_name, e.culprit_kind), COUNT(*), "
		"MAX(e.wall_us) FROM events AS e "
		"WHERE e.culprit_kind IS NOT NULL AND e.culprit_kind <> 'none' "
		"AND (:host IS NULL OR e.host = :host) "
		"AND (:since IS NULL OR e.wall_us >= :since) "
		"AND (:until IS NULL OR e.wall_us < :until) "
		BOOT_FILTER("e.")
		"GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1"
	},
	[STMT_TOP_HOST] = {
		"top hosts",
		"SELECT e.host, COUNT(*), MAX(e.wall_us) FROM events AS e "
		"WHERE (:host IS NULL OR e.host = :host) "
		"AND (:since IS NULL OR e.wall_us >= :since) "
		"AND (:until IS NULL OR e.wall_us < :until) "
		BOOT_FILTER("e.")
		"GROUP BY e.host ORDER BY 2 DESC, 3 DESC, 1"
	},
	[STMT_INSERT_SNAPSHOT] = {
		"insert snapshot",
		"INSERT INTO snapshots (host, wall_us, kernel_release, "
		"totalpages, page_size_kb, ram_pages, total_swap_kb, "
		"free_swap_kb) VALUES (:host, :wall, :release, :total, :page_kb, "
		":ram, :swap, :swap_free)"
	},
	[STMT_INSERT_SNAPSHOT_TASK] = {
		"insert snapshot task",
		"INSERT INTO snapshot_tasks (snapshot_id, pid, name, "
		"usage_pages, rss_pages, swap_pages, pgtables_bytes, "
		"oom_score_adj, points, rank, oom_score, kernel_oom_score, "
		"cgroup) VALUES (:id, :pid, :name, :usage, :rss, :swap, "
		":pgtables, :adj, :points, :rank, :score, :kscore, :cgroup)"
	},
	[STMT_LAST_SNAPSHOT] = {
		"find last snapshot",
		"SELECT id, wall_us, page_size_kb FROM snapshots "
		"WHERE host = :host AND wall_us < :before "
		"ORDER BY wall_us DESC, id DESC LIMIT 1"
	},
	/* usage per comm, summed over its processes, in kB */
	[STMT_SNAPSHOT_USAGE] = {
		"snapshot usage",
		"SELECT t.name, SUM(t.usage_pages) * s.page_size_kb "
		"FROM snapshot_tasks AS t JOIN snapshots AS s "
		"ON s.id = t.snapshot_id WHERE t.snapshot_id = :id GROUP BY t.name"
	},
	/* Another copy of a report: the same host, and the same kernel time
	 * (µs, so one boot's report; a copy cut before its kill line or its
	 * header matches too), or without one the same wall second +-2 s
	 * and the same killer, victim and trigger (a userspace killer's
	 * kill: the same cgroup too, as systemd-oomd names no process).  A dmesg without a host matches
	 * only another without one: give it --host to join its syslog. */
	/* a copy found, with what weighs it against another (store-save.c,
	 * read_stored_copy()) */
#define COPY_COLUMNS							\
		"SELECT e.id, e.flags, (SELECT COUNT(*) FROM tasks AS t "	\
		"WHERE t.event_id = e.id), (SELECT COUNT(*) FROM kills AS k "	\
		"WHERE k.event_id = e.id), e.trust, e.facts_digest, "		\
		"e.source_id, e.first_line FROM events AS e "
	[STMT_FIND_COPY_KTIME] = {
		"find copy by kernel time",
		COPY_COLUMNS "WHERE e.ktime_us = :ktime "
		"AND e.host IS :host "
		/* kernel time starts again at each boot */
		"AND (e.boot_id IS NULL OR :boot IS NULL OR e.boot_id = :boot) "
		"AND (e.trigger_pid IS :trigger OR e.trigger_pid IS NULL "
		"OR :trigger IS NULL) "
		"AND (:victim IS NULL OR NOT EXISTS (SELECT 1 FROM kills AS k "
		"WHERE k.event_id = e.id) OR (SELECT k.pid FROM kills AS k "
		"WHERE k.event_id = e.id ORDER BY k.seq LIMIT 1) = :victim) "
		"LIMIT 1"
	},
	[STMT_FIND_COPY_WALL] = {
		"find copy by wall clock",
		COPY_COLUMNS "WHERE e.host = :host "
		"AND e.wall_us BETWEEN :wall - 2000000 AND :wall + 2000000 "
		"AND e.killer = :killer AND e.trigger_comm IS :comm "
		"AND (:killer = 'kernel' OR e.task_memcg IS :cgroup) "
		"AND (SELECT k.pid FROM kills AS k WHERE k.event_id = e.id "
		"ORDER BY k.seq LIMIT 1) IS :victim LIMIT 1"
	},
	[STMT_INSERT_CONFLICT] = {
		"insert copy conflict",
		"INSERT INTO copy_conflicts (event_id, source_id, first_line, "
		"provenance, fact, kept, other) VALUES (:event_id, :source_id, "
		":first_line, :provenance, :fact, :kept, :other)"
	},
	[STMT_SELECT_CONFLICTS] = {
		"select copy conflicts",
		"SELECT s.path, c.first_line, c.provenance, c.fact, c.kept, "
		"c.other FROM copy_conflicts AS c LEFT JOIN sources AS s "
		"ON s.id = c.source_id WHERE c.event_id = :id ORDER BY c.rowid"
	},
	[STMT_INSERT_EVENT_SOURCE] = {
		"insert event source",
		"INSERT OR IGNORE INTO event_sources (event_id, source_id, "
		"first_line) VALUES (:event_id, :source_id, :first_line)"
	},
	/* a copy that replaces the stored one keeps its id: what points at
	 * the old row (its inputs, the other copies' conflicts, the story
	 * lines linked to it) is parked on -id while the row is rebuilt
	 * (foreign keys checked at commit) */
	[STMT_DEFER_FOREIGN_KEYS] = {
		"defer foreign keys", "PRAGMA defer_foreign_keys = ON"
	},
	[STMT_PARK_SOURCES] = {
		"park event sources",
		"UPDATE event_sources SET event_id = :to WHERE event_id = :from"
	},
	[STMT_PARK_CONFLICTS] = {
		"park copy conflicts",
		"UPDATE copy_conflicts SET event_id = :to WHERE event_id = :from"
	},
	[STMT_PARK_ACTIONS] = {
		"park actions",
		"UPDATE actions SET event_id = :to WHERE event_id = :from"
	},
	[STMT_DELETE_EVENT] = {
		"delete event",
		"DELETE FROM events WHERE id = :id"
	},
	[STMT_FLAG_EVENT] = {
		"flag event",
		"UPDATE events SET flags = flags | :flags WHERE id = :id"
	},
	[STMT_SOURCE_SEEN] = {
		"source seen",
		"SELECT 1 FROM sources WHERE path = :path AND id != :id LIMIT 1"
	},
	/* the kept copy takes what only the other one printed: a dmesg copy
	 * has the kernel time, its syslog twin the wall clock */
	[STMT_FILL_COPY] = {
		"fill event from its copy",
		"UPDATE events SET boot_id = COALESCE(boot_id, :boot), "
		"wall_us = COALESCE(wall_us, :wall), "
		"ktime_us = COALESCE(ktime_us, :ktime), "
		"host = COALESCE(host, :host), "
		"kernel_release = COALESCE(kernel_release, :release), "
		"provenance = CASE trust WHEN 0 THEN :provenance "
		"ELSE provenance END, "
		"trust = CASE trust WHEN 0 THEN :trust ELSE trust END "
		/* a row with nothing to fill is not written again */
		"WHERE id = :id AND (boot_id IS NULL OR wall_us IS NULL OR "
		"ktime_us IS NULL OR host IS NULL OR kernel_release IS NULL OR "
		"trust = 0)"
	},
	[STMT_GET_RESUME] = {
		"read resume point",
		"SELECT cursor, byte_offset, fingerprint FROM resume "
		"WHERE key = :key"
	},
	[STMT_SET_RESUME] = {
		"save resume point",
		"INSERT INTO resume (key, cursor, byte_offset, fingerprint, "
		"updated_at) VALUES (:key, :cursor, :offset, :fingerprint, :now) "
		"ON CONFLICT (key) DO UPDATE SET cursor = excluded.cursor, "
		"byte_offset = excluded.byte_offset, "
		"fingerprint = excluded.fingerprint, "
		"updated_at = excluded.updated_at"
	},
	/* The same userspace line read again (syslog and journal, or an
	 * input ingested twice): same host, kind and text, within 2 s. */
	[STMT_FIND_ACTION_COPY] = {
		"find action copy",
		"SELECT id FROM actions WHERE host IS :host AND kind = :kind "
		"AND message = :message AND (wall_us IS :wall OR wall_us "
		"BETWEEN :wall - 2000000 AND :wall + 2000000) LIMIT 1"
	},
	[STMT_INSERT_ACTION] = {
		"insert action",
		"INSERT INTO actions (source_id, line, host, boot_id, wall_us, "
		"flags, actor, kind, unit, cgroup, container_id, pid, comm, uid, "
		"score, adj, rss_kb, count, signal, reason, message, event_id, "
		"link) VALUES (:source_id, :line, :host, :boot_id, :wall_us, "
		":flags, :actor, :kind, :unit, :cgroup, :container_id, :pid, "
		":comm, :uid, :score, :adj, :rss_kb, :count, :signal, :reason, "
		":message, :event_id, :link)"
	},
	[STMT_SET_ACTION_EVENT] = {
		"link action",
		"UPDATE actions SET event_id = :event_id, link = :link "
		"WHERE id = :id"
	},
	/* the lines that may link now (store_link_story()'s span, over the
	 * partial index actions_unlinked, named: without statistics the
	 * planner takes actions_event and walks every unlinked line); forged
	 * lines tell of no event,
	 * lines without a time cannot be placed near one */
	[STMT_UNLINKED_ACTIONS] = {
		"select unlinked actions",
		"SELECT id, kind, actor, host, boot_id, wall_us, unit, cgroup, "
		"container_id, pid FROM actions INDEXED BY actions_unlinked "
		"WHERE event_id IS NULL "
		"AND wall_us BETWEEN :from AND :to AND kind <> 'forged' "
		"ORDER BY wall_us"
	},
	/*
	 * The event a userspace line tells of: the same host (and boot, when
	 * both say), a killer, a time window around the line, and what the
	 * line names: a unit as a component of the event's cgroup paths, a
	 * cgroup, a container id inside them, or the victim's pid.  With
	 * :any, a kernel kill that names no cgroup at all (older kernels),
	 * or any kill of the userspace killer, will do.
	 * The closest in time wins.
	 */
	[STMT_ACTION_LINK] = {
		"find event of action",
		"SELECT e.id FROM events AS e WHERE e.host IS :host "
		"AND e.killer = :killer "
		"AND e.wall_us BETWEEN :from AND :to "
		"AND (e.boot_id IS NULL OR :boot IS NULL OR e.boot_id = :boot) "
		"AND ((:unit IS NOT NULL AND (instr(COALESCE(e.task_memcg, '') "
		"|| '/', '/' || :unit || '/') > 0 OR "
		"instr(COALESCE(e.oom_memcg, '') || '/', '/' || :unit || '/') > 0)) "
		"OR (:cgroup IS NOT NULL AND e.task_memcg = :cgroup) "
		"OR (:cid IS NOT NULL AND (instr(COALESCE(e.task_memcg, ''), :cid) > 0 "
		"OR instr(COALESCE(e.oom_memcg, ''), :cid) > 0)) "
		"OR (:pid IS NOT NULL AND EXISTS (SELECT 1 FROM kills AS k "
		"WHERE k.event_id = e.id AND k.pid = :pid)) "
		"OR (:any = 1 AND (e.killer <> 'kernel' OR "
		"(e.task_memcg IS NULL AND e.oom_memcg IS NULL)))) "
		"ORDER BY abs(e.wall_us - :wall), e.id LIMIT 1"
	},
#define ACTION_COLUMNS "a.id, a.event_id, a.link, a.line, a.host, " \
	"a.boot_id, a.wall_us, a.flags, a.actor, a.kind, a.unit, a.cgroup, " \
	"a.container_id, a.pid, a.comm, a.uid, a.score, a.adj, a.rss_kb, " \
	"a.count, a.signal, a.reason, a.message"
	[STMT_SELECT_ACTIONS] = {
		"select actions",
		"SELECT " ACTION_COLUMNS " FROM actions AS a "
		"WHERE (:host IS NULL OR a.host = :host) "
		"AND (:since IS NULL OR a.wall_us >= :since) "
		"AND (:until IS NULL OR a.wall_us < :until) "
		BOOT_FILTER("a.")
		"ORDER BY a.wall_us IS NULL, a.wall_us, a.source_id, a.line"
	},
	[STMT_EVENT_ACTIONS] = {
		"select actions of event",
		"SELECT " ACTION_COLUMNS " FROM actions AS a "
		"WHERE a.event_id = :id ORDER BY a.wall_us, a.source_id, a.line"
	},
	/* By cgroup path; the caller folds paths into units. */
	[STMT_TOP_MEMCG] = {
		"top cgroups",
		"SELECT COALESCE(e.task_memcg, e.oom_memcg), COUNT(*), "
		"MAX(e.wall_us) FROM events AS e "
		"WHERE (:host IS NULL OR e.host = :host) "
		"AND (:since IS NULL OR e.wall_us >= :since) "
		"AND (:until IS NULL OR e.wall_us < :until) "
		BOOT_FILTER("e.")
		"GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1"
	},
	/* By the diagnosis' kind; events without one are not counted. */
	[STMT_TOP_CAUSE] = {
		"top causes",
		"SELECT e.diag_kind, COUNT(*), MAX(e.wall_us) FROM events AS e "
		"WHERE e.diag_kind IS NOT NULL "
		"AND (:host IS NULL OR e.host = :host) "
		"AND (:since IS NULL OR e.wall_us >= :since) "
		"AND (:until IS NULL OR e.wall_us < :until) "
		BOOT_FILTER("e.")
		"GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1"
	},
	/* The diagnosis (store-diagnosis.c): the event's columns, then its
	 * advice rows. */
	[STMT_SET_DIAGNOSIS] = {
		"save diagnosis",
		"UPDATE events SET diag_kind = :kind, diag_also = :also, "
		"culprit_kind = :culprit_kind, culprit_name = :culprit_name, "
		"culprit_pid = :culprit_pid, culprit_tasks = :culprit_tasks, "
		"culprit_private_kb = :culprit_private_kb, "
		"culprit_estimated = :culprit_estimated WHERE id = :id"
	},
	[STMT_DELETE_ADVICE] = {
		"delete advice",
		"DELETE FROM advice WHERE event_id = :event_id"
	},
	[STMT_INSERT_ADVICE] = {
		"insert advice",
		"INSERT INTO advice (event_id, seq, setting, target, value, why) "
		"VALUES (:event_id, :seq, :setting, :target, :value, :why)"
	},
	[STMT_SELECT_DIAGNOSIS] = {
		"select diagnosis",
		"SELECT diag_kind, diag_also, culprit_kind, culprit_name, "
		"culprit_pid, culprit_tasks, culprit_private_kb, "
		"culprit_estimated FROM events WHERE id = :id"
	},
	[STMT_SELECT_ADVICE] = {
		"select advice",
		"SELECT setting, target, value, why FROM advice "
		"WHERE event_id = :event_id ORDER BY seq"
	},
	/* kernel reports stored before 008, over their partial index */
	[STMT_UNDIAGNOSED] = {
		"select undiagnosed events",
		"SELECT id FROM events INDEXED BY events_undiagnosed "
		"WHERE diag_kind IS NULL AND killer = 'kernel' ORDER BY id"
	},
};
