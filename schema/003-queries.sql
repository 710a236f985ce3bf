-- 003-queries: lean rows and indexes for the questions (why, why-not,
-- top, list) on databases of 100,000 events.

-- The report's text moves out of events: a row that carries a few KiB of
-- text spans overflow pages, and every column added later (002) sits
-- behind them, so reading an event's time cost a chain of pages.
CREATE TABLE event_text (
	-- the event this text belongs to
	event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	-- the report's lines as read, prefixes included, '\n'-separated
	raw TEXT,
	-- the memory.stat dump of the memcg block, "key value" lines
	memcg_stats TEXT
);
INSERT INTO event_text (event_id, raw, memcg_stats)
	SELECT id, raw, memcg_stats FROM events
	WHERE raw IS NOT NULL OR memcg_stats IS NOT NULL;
ALTER TABLE events DROP COLUMN raw;
ALTER TABLE events DROP COLUMN memcg_stats;
--
-- "Why was postgres killed?" wants the newest kills of a name.  Joining
-- kills to events for their time costs one event row (a page: events hold
-- the report text) per kill, so the kill keeps copies of its event's time
-- and host and one index answers the question in order.

-- copy of events.wall_us of the kill's event
ALTER TABLE kills ADD COLUMN wall_us INTEGER;
-- copy of events.host of the kill's event
ALTER TABLE kills ADD COLUMN host TEXT;
UPDATE kills SET
	wall_us = (SELECT e.wall_us FROM events AS e WHERE e.id = kills.event_id),
	host = (SELECT e.host FROM events AS e WHERE e.id = kills.event_id);

DROP INDEX kills_comm;
-- why NAME / why PID: newest first, straight from the index
CREATE INDEX kills_comm_time ON kills(comm, wall_us, event_id);
CREATE INDEX kills_pid_time ON kills(pid, wall_us, event_id);

-- "the host's previous report": newest first within a host, no sort
DROP INDEX events_host;
CREATE INDEX events_host_time ON events(host, wall_us);

-- why-not NAME / PID
CREATE INDEX tasks_name ON tasks(name);
CREATE INDEX tasks_pid ON tasks(pid);
