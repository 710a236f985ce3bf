-- 004-resume: where the next ingest of an input starts.  Written in the
-- same transaction as the events read before it, so an interrupted ingest
-- resumes without loss and without duplicates.
CREATE TABLE resume (
	-- what was read: "journal:local", "journal:dir:PATH", "journal:files:
	-- PATHS", or a file's identity for appended logs
	key TEXT PRIMARY KEY,
	-- sd-journal cursor of the last entry read, for journals
	cursor TEXT,
	-- bytes read, for files that grow
	byte_offset INTEGER,
	-- what identifies the content read so far (e.g. a hash of its head),
	-- so a rotated or replaced file is read from the start
	fingerprint TEXT,
	-- when it was written: UTC microseconds since the epoch
	updated_at INTEGER NOT NULL
);
