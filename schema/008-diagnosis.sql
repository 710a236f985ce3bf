-- 008-diagnosis: what the diagnosis (src/diagnosis.c) needs and decides.

-- a zone's buddy line: free blocks per order, "N0 N1 N2 ..." (from
-- "N0*4kB N1*8kB ..."); NULL when not printed
ALTER TABLE zones ADD COLUMN buddy TEXT;
