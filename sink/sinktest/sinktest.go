// Package sinktest is the contract every sink passes: run Run from the
// sink's tests with a Target that opens a fresh, empty store per test. The
// suite checks that a sink makes at-least-once delivery look exactly-once:
// redeliveries change nothing, a changed article is a new version, the
// current version does not depend on arrival order, aliases are recorded
// once, concurrent writers agree, and what was written survives Close.
//
// The suite knows sink.Sink and nothing above it. What the sink stage adds
// (a failed batch retried without loss or duplicates, a batch in hand
// settled at shutdown) is checked against the same targets by the tests of
// internal/pipeline, with Faulty in front of the sink and Read and Expect
// to look at the store.
//
// It also finds the test PostgreSQL server (see PostgresURL) and gives each
// test a schema of its own.
package sinktest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
)

// Target is a sink under test and the means to look at what it stores.
type Target struct {
	// Open opens the sink on the test's store. It is called again after
	// Close, and must then find what was written.
	Open func(ctx context.Context) (sink.Sink, error)
	// Read returns what the store holds.
	Read func(ctx context.Context) (Contents, error)
	// Shared is set when several sinks may write one store at once
	// (PostgreSQL, not JSONL, whose files take one writer).
	Shared bool
}

// Contents is what a store holds.
type Contents struct {
	// Versions are the stored versions in any order; each key and content
	// hash must appear once.
	Versions []trawler.Article
	// Current is what a reader sees as the article now, one per key.
	Current []trawler.Article
	// State digests everything stored, bookkeeping and timestamps
	// included: a write that stores nothing must leave it unchanged.
	State string
}

// Run runs the contract suite. newTarget is called once per test (and
// several times in the ordering test) and must return an empty store of its
// own.
func Run(t *testing.T, newTarget func(t *testing.T) Target) {
	tests := []struct {
		name string
		fn   func(*testing.T, func(*testing.T) Target)
	}{
		{"RoundTrip", testRoundTrip},
		{"RedeliveryChangesNothing", testRedelivery},
		{"ChangedArticleIsNewVersion", testNewVersion},
		{"ContentHashIsComputed", testForgedHash},
		{"LaterExtractionIsCurrent", testLaterExtraction},
		{"OrderDoesNotMatter", testOrder},
		{"KeyIsCanonicalURL", testKey},
		{"AliasesAreRecordedOnce", testAliases},
		{"CloseFlushesAndReopenRemembers", testReopen},
		{"ConcurrentWriters", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newTarget) })
	}
}

// open opens the target's sink and closes it when the test ends unless the
// test closed it.
func open(t *testing.T, tg Target) sink.Sink {
	t.Helper()
	s, err := tg.Open(context.Background())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { s.Close() }) })
	return &closeOnce{Sink: s, once: &once}
}

type closeOnce struct {
	sink.Sink
	once *sync.Once
}

func (c *closeOnce) Close() error {
	var err error
	c.once.Do(func() { err = c.Sink.Close() })
	return err
}

func write(t *testing.T, s sink.Sink, batch ...trawler.Article) {
	t.Helper()
	if err := s.Write(context.Background(), batch); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// Read returns what the target's store holds, versions and current
// articles sorted.
func Read(t *testing.T, tg Target) Contents {
	t.Helper()
	c, err := tg.Read(context.Background())
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	sortArticles(c.Versions)
	sortArticles(c.Current)
	return c
}

// Expect checks that the store holds exactly the versions want, each once
// and stored faithfully, and that the current article of each key is the
// one in current.
func Expect(t *testing.T, c Contents, want, current []trawler.Article) {
	t.Helper()
	if msg := sameSet("version", c.Versions, want); msg != "" {
		t.Error(msg)
	}
	if msg := sameSet("current article", c.Current, current); msg != "" {
		t.Error(msg)
	}
}

// sameSet compares stored articles with the expected ones by identity, each
// expected exactly once, then field by field.
func sameSet(what string, got, want []trawler.Article) string {
	byID := map[string]trawler.Article{}
	for _, w := range want {
		byID[identity(w)] = w
	}
	seen := map[string]int{}
	var msg string
	for _, g := range got {
		id := identity(g)
		seen[id]++
		w, ok := byID[id]
		switch {
		case !ok:
			msg += fmt.Sprintf("\nunexpected %s %s", what, id)
		case seen[id] == 2:
			msg += fmt.Sprintf("\n%s %s stored twice", what, id)
		case seen[id] == 1:
			if d := diff(g, w); d != "" {
				msg += fmt.Sprintf("\n%s %s: %s", what, id, d)
			}
		}
	}
	for id := range byID {
		if seen[id] == 0 {
			msg += fmt.Sprintf("\nmissing %s %s", what, id)
		}
	}
	return msg
}
