-- 006-dedup: one OOM reaches a host's dmesg, kern.log, syslog and journal.
-- It is stored once, as its most complete copy, and every input it was
-- seen in is kept here.
CREATE TABLE event_sources (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES sources(id),
	-- where the copy starts in that input
	first_line INTEGER,
	PRIMARY KEY (event_id, source_id, first_line)
);
INSERT INTO event_sources (event_id, source_id, first_line)
	SELECT id, source_id, first_line FROM events;
-- finding the copies of a report: its kernel time, else its wall clock
CREATE INDEX events_ktime ON events(ktime_us);
