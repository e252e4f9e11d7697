package pipeline

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// The sink stage's part of the sink contract, on the stores of sinktest
// (each sink's own part is sinktest.Run, from package sink): a failed batch
// is retried, without loss or duplicates and without dead letters, and a
// batch in hand at shutdown is written and acked before the sink closes.
func TestSinkStageContract(t *testing.T) {
	targets := []struct {
		name      string
		newTarget func(*testing.T) sinktest.Target
	}{
		{"JSONL", func(t *testing.T) sinktest.Target { return sinktest.JSONL(t, sink.JSONLOptions{}) }},
		{"JSONLRotatedGzip", func(t *testing.T) sinktest.Target {
			return sinktest.JSONL(t, sink.JSONLOptions{RotateSize: 600, RotateAge: time.Hour, Gzip: true})
		}},
		{"Postgres", sinktest.Postgres},
	}
	tests := []struct {
		name string
		fn   func(*testing.T, func(*testing.T) sinktest.Target)
	}{
		{"FailedBatchIsRetriedThroughThePipeline", testSinkRetry},
		{"ShutdownSettlesTheBatchInHand", testSinkShutdown},
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.fn(t, tg.newTarget) })
			}
		})
	}
}

// sinkStage is the sink stage running alone on a fresh NATS server.
type sinkStage struct {
	js    jetstream.JetStream
	node  *Node
	names trawler.Names
	// stop ends the stage and waits for it; the test's cleanup does so
	// otherwise.
	stop func()
}

// runSink starts the sink stage alone with f in front of the target's sink.
func runSink(t *testing.T, tg sinktest.Target, f *sinktest.Faulty) sinkStage {
	t.Helper()
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "sinktest"}
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
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
	return sinkStage{js: js, node: node, names: names, stop: func() {
		stopped = true
		cancel()
		if err := node.Wait(); err != nil {
			t.Errorf("node: %v", err)
		}
	}}
}

// publish sends articles as the parser does, but without message ids, so
// that a duplicate reaches the sink as a redelivery would.
func (s sinkStage) publish(t *testing.T, arts []trawler.Article) {
	t.Helper()
	for i := range arts {
		data, err := json.Marshal(&arts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.js.Publish(context.Background(), s.names.ArticlesSubject(), data); err != nil {
			t.Fatal(err)
		}
	}
}

func testSinkRetry(t *testing.T, newTarget func(*testing.T) sinktest.Target) {
	if testing.Short() {
		t.Skip("waits for the pipeline's retry backoff")
	}
	tg := newTarget(t)
	f := &sinktest.Faulty{FailBefore: 2, FailAfter: 2}
	s := runSink(t, tg, f)
	var want, msgs []trawler.Article
	for n := range 12 {
		for v := range 2 {
			want = append(want, sinktest.Article(n, v))
		}
	}
	msgs = append(msgs, want...)
	msgs = append(msgs, want[:5]...) // published twice
	s.publish(t, msgs)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := WaitIdle(ctx, s.js, s.names, s.node.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatalf("sink never caught up: %v", err)
	}
	s.stop()
	if f.Failures() != 4 {
		t.Errorf("%d writes failed, want 4", f.Failures())
	}
	sinktest.Expect(t, sinktest.Read(t, tg), want, sinktest.Latest(want))
	if n := natstest.StreamState(t, s.js, s.names.DeadLetterStream()).Msgs; n != 0 {
		t.Errorf("%d dead letters: a sink outage must be retried, not dead-lettered", n)
	}
}

func testSinkShutdown(t *testing.T, newTarget func(*testing.T) sinktest.Target) {
	tg := newTarget(t)
	f := &sinktest.Faulty{Block: make(chan struct{}), Entered: make(chan struct{})}
	s := runSink(t, tg, f)
	var arts []trawler.Article
	for n := range 5 {
		arts = append(arts, sinktest.Article(n, 0))
	}
	s.publish(t, arts)
	<-f.Entered
	// SIGTERM while a batch is being written: the worker stops pulling,
	// finishes the write, acks it, and only then closes the sink.
	done := make(chan struct{})
	go func() { s.stop(); close(done) }()
	close(f.Block)
	<-done
	cons, err := s.js.Consumer(context.Background(), s.names.ArticlesStream(), s.node.SinkConsumers[0])
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.NumAckPending != 0 {
		t.Errorf("%d articles left unsettled at shutdown", info.NumAckPending)
	}
	c := sinktest.Read(t, tg)
	if acked := int(info.AckFloor.Stream); acked == 0 || len(c.Versions) != acked {
		t.Errorf("stored %d articles, acked %d: shutdown must ack exactly what it stored", len(c.Versions), acked)
	}
}
