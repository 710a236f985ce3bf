# ingest-time.sed: export documents with the time they were ingested
# written as X, so that a run compares with an expected file (t0110,
# t0500, regen-expected.sh): event.created, the @timestamp taken from it
# when the log has no wall clock, HEC's time of the same, and OTLP's
# observedTimeUnixNano.
s/"@timestamp":"\([^"]*\)"\(.*"created":"\1"\)/"@timestamp":"X"\2/
s/^{"time":[0-9.]*\(,.*"@timestamp":"X"\)/{"time":X\1/
s/"created":"[^"]*"/"created":"X"/
s/"observedTimeUnixNano":"[0-9]*"/"observedTimeUnixNano":"X"/
