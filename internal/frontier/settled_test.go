package frontier

import (
	"context"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

func TestSettledGenerations(t *testing.T) {
	s := newSettled(2, time.Hour)
	a, b, c, d := keySum("a"), keySum("b"), keySum("c"), keySum("d")
	s.add(a)
	s.add(b) // the generation is full
	s.add(c) // a new one: a and b are the older
	if !s.has(a) || !s.has(b) || !s.has(c) {
		t.Fatal("a key of the last two generations was lost")
	}
	s.add(d) // full again: a and b are dropped
	s.add(keySum("e"))
	if s.has(a) || s.has(b) {
		t.Error("a key outlived two generations: the memory is not bounded")
	}
	if !s.has(c) || !s.has(d) {
		t.Error("a key of the older generation was lost")
	}
	s.drop(c)
	if s.has(c) {
		t.Error("a dropped key is still settled")
	}

	s = newSettled(100, 20*time.Millisecond)
	s.add(a)
	time.Sleep(25 * time.Millisecond)
	if !s.has(a) { // rotates: a is in the older generation
		t.Fatal("a key was lost after one generation's age")
	}
	time.Sleep(25 * time.Millisecond)
	if s.has(a) {
		t.Error("a key outlived twice the age of a generation")
	}
}

// A link to a URL this process found settled (queued by itself, or found
// queued or fetched by a lookup) is answered without the bucket: here the
// entry is purged behind the frontier's back, and only a new process,
// which has to ask, takes the URL as new.
func TestEnqueueAnswersSettledLinksLocally(t *testing.T) {
	srv, names, f := open(t)
	ctx := context.Background()
	_, js := srv.Connect(t)
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		t.Fatal(err)
	}
	other, err := New(ctx, js, names)
	if err != nil {
		t.Fatal(err)
	}
	const mine, theirs, fetched = "http://example.com/mine", "http://example.com/theirs", "http://example.com/fetched"
	if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: mine, Referrer: "http://example.com/"}); err != nil || !isNew {
		t.Fatalf("enqueue: new=%v err=%v", isNew, err)
	}
	if isNew, err := other.Enqueue(ctx, trawler.CrawlRequest{URL: theirs, Referrer: "http://example.com/"}); err != nil || !isNew {
		t.Fatalf("enqueue by another process: new=%v err=%v", isNew, err)
	}
	if _, err := kv.Put(ctx, Key(fetched), []byte("fetched")); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{theirs, fetched} { // asks the bucket
		if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Referrer: "http://example.com/x"}); err != nil || isNew {
			t.Fatalf("%s: new=%v err=%v, want a duplicate", u, isNew, err)
		}
	}
	for _, u := range []string{mine, theirs, fetched} {
		if err := kv.Purge(ctx, Key(u)); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{mine, theirs, fetched} {
		if isNew, err := f.Enqueue(ctx, trawler.CrawlRequest{URL: u, Referrer: "http://example.com/y"}); err != nil || isNew {
			t.Errorf("%s: new=%v err=%v, want a duplicate answered from memory", u, isNew, err)
		}
	}
	fresh, err := New(ctx, js, names)
	if err != nil {
		t.Fatal(err)
	}
	if isNew, err := fresh.Enqueue(ctx, trawler.CrawlRequest{URL: mine, Referrer: "http://example.com/y"}); err != nil || !isNew {
		t.Errorf("a new process: new=%v err=%v, want the purged URL taken as new", isNew, err)
	}
}
