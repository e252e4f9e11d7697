package sinktest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

func testRoundTrip(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	batch := []trawler.Article{Article(1, 0), Article(2, 0), Minimal(3)}
	write(t, s, batch...)
	Expect(t, Read(t, tg), batch, batch)
}

func testRedelivery(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	batch := []trawler.Article{Article(1, 0), Article(2, 0), Article(3, 1), Minimal(4)}
	write(t, s, batch...)
	before := Read(t, tg)
	// The same batch again, part of it, in another order, and one article
	// twice in a batch: all of it is stored already.
	write(t, s, batch...)
	write(t, s, batch[1:3]...)
	write(t, s, batch[3], batch[0], batch[0])
	after := Read(t, tg)
	if after.State != before.State {
		t.Errorf("redelivered articles changed the store")
	}
	Expect(t, after, batch, batch)
}

func testNewVersion(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	v0, v1, other := Article(1, 0), Article(1, 1), Article(2, 0)
	write(t, s, v0, other)
	write(t, s, v1)
	Expect(t, Read(t, tg), []trawler.Article{v0, v1, other}, []trawler.Article{v1, other})
	before := Read(t, tg)
	write(t, s, v0) // the old version again
	if Read(t, tg).State != before.State {
		t.Errorf("an old version redelivered changed the store")
	}
}

// A content hash sent with an article is not taken on trust: the sink
// stores the hash of the body, so a forged hash neither makes a changed
// article pass for the stored version nor the stored version for a new one.
func testForgedHash(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	v0 := Article(1, 0)
	forged := v0
	forged.ContentHash = "0000"
	write(t, s, forged)
	Expect(t, Read(t, tg), []trawler.Article{v0}, []trawler.Article{v0})
	before := Read(t, tg)
	write(t, s, v0) // the true hash: the same version
	if Read(t, tg).State != before.State {
		t.Errorf("the version stored under a forged hash was stored again under its own")
	}
	changed := Article(1, 1)
	changed.ContentHash = v0.ContentHash // a new body passed off as the stored version
	write(t, s, changed)
	Expect(t, Read(t, tg), []trawler.Article{v0, Article(1, 1)}, []trawler.Article{Article(1, 1)})
}

// Two extractions of one fetch (an archive parsed again by a newer parser):
// the later one is current, whatever the content hashes and the order they
// arrive in; both are stored versions.
func testLaterExtraction(t *testing.T, newTarget func(*testing.T) Target) {
	old := Article(1, 0)
	old.ExtractedAt = old.FetchedAt.Add(time.Minute)
	reparsed := old
	reparsed.ExtractedAt = old.FetchedAt.Add(time.Hour)
	// A body whose hash is smaller than the old one's: the hash alone would
	// keep the old extraction.
	for i := 0; ; i++ {
		reparsed.Body = fmt.Sprintf("%s Corrected (%d).", old.Body, i)
		if reparsed.ContentHash = hash(reparsed.Body); reparsed.ContentHash < old.ContentHash {
			break
		}
	}
	for _, order := range [][]trawler.Article{{old, reparsed}, {reparsed, old}} {
		tg := newTarget(t)
		s := open(t, tg)
		for _, a := range order {
			write(t, s, a)
		}
		Expect(t, Read(t, tg), []trawler.Article{old, reparsed}, []trawler.Article{reparsed})
		before := Read(t, tg)
		write(t, s, old) // the old extraction again: changes nothing
		if Read(t, tg).State != before.State {
			t.Errorf("the old extraction redelivered changed the store")
		}
	}
}

// Versions of one article reach the sink in any order, in one batch or
// several: the store ends the same.
func testOrder(t *testing.T, newTarget func(*testing.T) Target) {
	v := []trawler.Article{Article(1, 0), Article(1, 1), Article(1, 2)}
	// Same fetch time, different content: the greater hash wins everywhere.
	tie := Article(1, 2)
	tie.Body += " Corrected."
	tie.ContentHash = hash(tie.Body)
	all := append(slices.Clone(v), tie)
	current := Latest(all)
	orders := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}}
	for _, order := range orders {
		for _, together := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/one-batch=%t", order, together), func(t *testing.T) {
				tg := newTarget(t)
				s := open(t, tg)
				var batch []trawler.Article
				for _, i := range order {
					batch = append(batch, all[i])
				}
				if together {
					write(t, s, batch...)
				} else {
					for _, a := range batch {
						write(t, s, a)
					}
				}
				Expect(t, Read(t, tg), all, current)
			})
		}
	}
}

// One article fetched under two URLs (a redirect and a direct link) is one
// article: its key is the canonical URL.
func testKey(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	a := Article(1, 0)
	b := a
	b.URL = "https://news.example/old/story-1.html"
	write(t, s, a)
	write(t, s, b)
	c := Read(t, tg)
	if len(c.Versions) != 1 || len(c.Current) != 1 {
		t.Errorf("one article under two URLs stored as %d versions, %d current", len(c.Versions), len(c.Current))
	}
}

// What was written is there after Close, and a reopened sink still skips
// it: redeliveries often follow a restart.
func testReopen(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	batch := []trawler.Article{Article(1, 0), Article(2, 0)}
	write(t, s, batch...)
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	before := Read(t, tg)
	Expect(t, before, batch, batch)
	s = open(t, tg)
	write(t, s, batch...)
	if Read(t, tg).State != before.State {
		t.Errorf("a batch redelivered after a restart changed the store")
	}
	next := Article(3, 0)
	write(t, s, next)
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	want := append(batch, next)
	Expect(t, Read(t, tg), want, want)
}

// Several workers of one sink write overlapping batches at once.
func testConcurrent(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	if !tg.Shared {
		t.Skip("this sink takes one writer per store")
	}
	const writers, keys, versions = 4, 8, 3
	var all []trawler.Article
	for n := range keys {
		for v := range versions {
			all = append(all, Article(n, v))
		}
	}
	sinks := make([]interface {
		Write(context.Context, []trawler.Article) error
	}, writers)
	for i := range sinks {
		sinks[i] = open(t, tg)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer sends every version, in its own order and batches.
			batch := slices.Clone(all)
			for i := range batch {
				j := (i*7 + w*5) % len(batch)
				batch[i], batch[j] = batch[j], batch[i]
			}
			for len(batch) > 0 {
				n := min(len(batch), 1+w*3)
				if err := sinks[w].Write(context.Background(), batch[:n]); err != nil {
					errs <- err
					return
				}
				batch = batch[n:]
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}
	Expect(t, Read(t, tg), all, Latest(all))
}

// An article's other addresses arrive as alias records, before or after
// the article; each sink keeps one article with every alias once, and
// redelivered aliases change nothing.
func testAliases(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	s := open(t, tg)
	a, b := Article(1, 0), Article(2, 0)
	a.Aliases = []string{a.URL} // known when it was written: the URL fetched
	b.Aliases = []string{}
	pageA := Alias(a.Key(), a.Key()+"?p=2")
	printA := Alias(a.Key(), a.Key()+"?print=1", a.Key()+"?p=3")
	ampB := Alias(b.Key(), "https://news.example/amp/story-2.html") // before its article
	write(t, s, a, pageA)
	write(t, s, ampB)
	write(t, s, b, printA)
	c := Read(t, tg)
	Expect(t, c, []trawler.Article{a, b}, []trawler.Article{a, b})
	want := map[string][]string{
		a.Key(): {a.URL, a.Key() + "?p=2", a.Key() + "?print=1", a.Key() + "?p=3"},
		b.Key(): {"https://news.example/amp/story-2.html"},
	}
	for _, cur := range c.Current {
		got, w := slices.Sorted(slices.Values(cur.Aliases)), slices.Sorted(slices.Values(want[cur.Key()]))
		if !slices.Equal(got, w) {
			t.Errorf("aliases of %s = %q, want %q", cur.Key(), got, w)
		}
	}
	write(t, s, printA, a, ampB, pageA, b)
	if Read(t, tg).State != c.State {
		t.Errorf("redelivered aliases changed the store")
	}
}
