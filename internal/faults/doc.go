// Package faults holds the fault tests: the pipeline runs as separate
// processes (the trawler binary and natsd, a JetStream server in its own
// process) against the fixture site, the tests kill, stop and cut them in
// the middle of a crawl, and then compare what the JSONL and PostgreSQL
// sinks hold with the site's expected articles: nothing missing, nothing
// twice. The figures of each case are logged and kept in
// docs/reliability.md. The tests are skipped with -short.
package faults
