//go:build race

package faults

// raceEnabled builds the processes under test with the race detector too,
// sharing the build cache of a `go test -race` run.
const raceEnabled = true
