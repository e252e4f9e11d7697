package sinktest

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/sink"
)

// Faulty wraps a sink and fails writes on demand: the first FailBefore
// writes fail without reaching the sink (it is down), the next FailAfter
// reach it and then fail (the process dies between the write and the ack).
// Block, when set, holds the first write until it is closed.
type Faulty struct {
	sink.Sink
	FailBefore, FailAfter int
	Block                 chan struct{}
	// Entered is closed when the first write starts (optional).
	Entered chan struct{}

	mu       sync.Mutex
	writes   int
	failures int
}

var _ sink.Sink = (*Faulty)(nil)

// errInjected is the failure Faulty reports.
var errInjected = errors.New("injected sink failure")

// Write fails or passes the batch on, as configured.
func (f *Faulty) Write(ctx context.Context, batch []trawler.Article) error {
	f.mu.Lock()
	f.writes++
	n := f.writes
	f.mu.Unlock()
	if n == 1 && f.Entered != nil {
		close(f.Entered)
	}
	if n == 1 && f.Block != nil {
		<-f.Block
	}
	if n <= f.FailBefore {
		f.fail()
		return errInjected
	}
	err := f.Sink.Write(ctx, batch)
	if err == nil && n <= f.FailBefore+f.FailAfter {
		f.fail()
		return errInjected
	}
	return err
}

func (f *Faulty) fail() {
	f.mu.Lock()
	f.failures++
	f.mu.Unlock()
}

// Failures is how many writes Faulty failed.
func (f *Faulty) Failures() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}

// runSink starts the sink stage alone on a fresh NATS server with f in
// front of the target's sink.
func runSink(t *testing.T, tg Target, f *Faulty) (jetstream.JetStream, *pipeline.Node, trawler.Names, context.CancelFunc) {
	t.Helper()
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "sinktest"}
	ctx, cancel := context.WithCancel(context.Background())
	node, err := pipeline.Start(ctx, nc, pipeline.Config{
		Names:     names,
		Sinks:     []string{"contract:under-test"},
		SinkBatch: 10,
		OpenSink: func(ctx context.Context, _ string, _ *slog.Logger) (sink.Sink, error) {
			s, err := tg.Open(ctx)
			f.Sink = s
			return f, err
		},
		Registry: prometheus.NewRegistry(),
		Log:      natstest.Discard(),
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cancel()
			node.Wait()
		}
	})
	return js, node, names, func() {
		stopped = true
		cancel()
		if err := node.Wait(); err != nil {
			t.Errorf("node: %v", err)
		}
	}
}

// publish sends articles as the parser does, but without message ids, so
// that a duplicate reaches the sink as a redelivery would.
func publish(t *testing.T, js jetstream.JetStream, names trawler.Names, arts []trawler.Article) {
	t.Helper()
	for i := range arts {
		data, err := json.Marshal(&arts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := js.Publish(context.Background(), names.ArticlesSubject(), data); err != nil {
			t.Fatal(err)
		}
	}
}

func testRetry(t *testing.T, newTarget func(*testing.T) Target) {
	if testing.Short() {
		t.Skip("waits for the pipeline's retry backoff")
	}
	tg := newTarget(t)
	f := &Faulty{FailBefore: 2, FailAfter: 2}
	js, node, names, stop := runSink(t, tg, f)
	var want, msgs []trawler.Article
	for n := range 12 {
		for v := range 2 {
			want = append(want, Article(n, v))
		}
	}
	msgs = append(msgs, want...)
	msgs = append(msgs, want[:5]...) // published twice
	publish(t, js, names, msgs)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := pipeline.WaitIdle(ctx, js, names, node.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatalf("sink never caught up: %v", err)
	}
	stop()
	if f.Failures() != 4 {
		t.Errorf("%d writes failed, want 4", f.Failures())
	}
	expect(t, read(t, tg), want, Latest(want))
	if n := streamMsgs(t, js, names.DeadLetterStream()); n != 0 {
		t.Errorf("%d dead letters: a sink outage must be retried, not dead-lettered", n)
	}
}

func testShutdown(t *testing.T, newTarget func(*testing.T) Target) {
	tg := newTarget(t)
	f := &Faulty{Block: make(chan struct{}), Entered: make(chan struct{})}
	js, node, names, stop := runSink(t, tg, f)
	var arts []trawler.Article
	for n := range 5 {
		arts = append(arts, Article(n, 0))
	}
	publish(t, js, names, arts)
	<-f.Entered
	// SIGTERM while a batch is being written: the worker stops pulling,
	// finishes the write, acks it, and only then closes the sink.
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	close(f.Block)
	<-done
	info := consumerInfo(t, js, names, node.SinkConsumers[0])
	if info.NumAckPending != 0 {
		t.Errorf("%d articles left unsettled at shutdown", info.NumAckPending)
	}
	c := read(t, tg)
	if acked := int(info.AckFloor.Stream); acked == 0 || len(c.Versions) != acked {
		t.Errorf("stored %d articles, acked %d: shutdown must ack exactly what it stored", len(c.Versions), acked)
	}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	return natstest.StreamState(t, js, name).Msgs
}

func consumerInfo(t *testing.T, js jetstream.JetStream, names trawler.Names, name string) *jetstream.ConsumerInfo {
	t.Helper()
	cons, err := js.Consumer(context.Background(), names.ArticlesStream(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info
}
