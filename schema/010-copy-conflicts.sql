-- 010-copy-conflicts: what another copy of an OOM said that the copy kept
-- does not (issue: trust).  A copy anyone could have written never rewrites
-- the record, and what it claimed stays to be seen (oomlens show).

CREATE TABLE copy_conflicts (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	-- the other copy's input and its first line there
	source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
	first_line INTEGER,
	-- the other copy's provenance, as events.provenance; NULL unknown
	provenance TEXT,
	-- 'victim', 'rows' (their number), 'task PID', or 'more' (how many
	-- differences past the first 16 were not recorded one by one)
	fact TEXT NOT NULL,
	-- what the kept copy says ('' nothing: no such row), and the other
	kept TEXT NOT NULL,
	other TEXT NOT NULL
);
CREATE INDEX copy_conflicts_event ON copy_conflicts (event_id);

-- A digest of the facts copies are compared on (the victim, each row's
-- pid, name, rss and oom_score_adj): a copy of an equal digest says
-- nothing else and is merged without loading the stored one's rows.
-- NULL before 010.
ALTER TABLE events ADD COLUMN facts_digest INTEGER;
