package natsutil_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/testkit"
)

// Every stream is created with a cap on its messages and refuses new ones
// when full, rather than dropping old ones: nothing stored is lost.
func TestStreamsAreCapped(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: "caps"}
	limits := natsutil.StreamLimits{Frontier: 5, Pages: 2, Articles: 7, DeadLetters: 3}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{StreamLimits: limits}); err != nil {
		t.Fatal(err)
	}
	for stream, want := range map[string]int64{names.FrontierStream(): 5, names.PagesStream(): 2, names.ArticlesStream(): 7, names.DeadLetterStream(): 3} {
		st, err := js.Stream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		if c := st.CachedInfo().Config; c.MaxMsgs != want || c.Discard != jetstream.DiscardNew {
			t.Errorf("%s: max msgs %d, discard %v; want %d, new", stream, c.MaxMsgs, c.Discard, want)
		}
	}
	for i := range 3 {
		_, err := js.Publish(ctx, names.PagesSubject(), []byte{byte(i)})
		if full := i == 2; (err != nil) != full {
			t.Errorf("page %d: %v, want refused=%v", i, err, full)
		}
	}
	if n := natstest.StreamState(t, js, names.PagesStream()).Msgs; n != 2 {
		t.Errorf("pages stream holds %d, want the first 2 kept", n)
	}
	if d := natsutil.DefaultStreamLimits(); d.Frontier <= 0 || d.Pages <= 0 || d.Articles <= 0 || d.DeadLetters <= 0 {
		t.Errorf("default limits %+v: every stream needs one", d)
	}
}

// The seen bucket takes --seen-ttl when created and when given later, and
// forgets a URL that long after.
func TestSeenTTL(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: "ttl"}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	ttl := func() time.Duration {
		kv, err := js.KeyValue(ctx, names.SeenBucket())
		if err != nil {
			t.Fatal(err)
		}
		st, err := kv.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.TTL()
	}
	if got := ttl(); got != 0 {
		t.Fatalf("seen TTL %v by default, want none", got)
	}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{SeenTTL: time.Second}); err != nil {
		t.Fatal(err)
	}
	if got := ttl(); got != time.Second {
		t.Fatalf("seen TTL %v after Setup with 1s", got)
	}
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, "k", []byte("queued")); err != nil {
		t.Fatal(err)
	}
	testkit.WaitFor(t, 10*time.Second, "the seen entry expired", func() bool {
		_, err := kv.Get(ctx, "k")
		return errors.Is(err, jetstream.ErrKeyNotFound)
	})
}

// A worker that may not declare the streams waits for them, and for the
// consumers and buckets declared after them, and goes on once an admin
// (seed, run) has declared them all.
func TestWaitDeclared(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: "wait"}
	done := make(chan error, 1)
	go func() { done <- natsutil.WaitDeclared(ctx, js, names, natstest.Discard()) }()
	select {
	case err := <-done:
		t.Fatalf("WaitDeclared returned %v before the streams existed", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("WaitDeclared: %v", err)
	}

	// The streams exist but the admin has not declared everything yet: a
	// worker going on now would try to declare the rest and be refused.
	for name, drop := range map[string]func() error{
		"a partition consumer": func() error {
			return js.DeleteConsumer(ctx, names.FrontierStream(), natsutil.PartitionConsumer(natsutil.DefaultPartitions-1))
		},
		"the parsers' consumer": func() error { return js.DeleteConsumer(ctx, names.PagesStream(), natsutil.ParseConsumer) },
		"a bucket":              func() error { return js.DeleteKeyValue(ctx, names.ScheduleBucket()) },
	} {
		if err := drop(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- natsutil.WaitDeclared(ctx, js, names, natstest.Discard()) }()
		select {
		case err := <-done:
			t.Fatalf("without %s, WaitDeclared returned %v", name, err)
		case <-time.After(300 * time.Millisecond):
		}
		if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("WaitDeclared after %s was declared: %v", name, err)
		}
	}
}
