package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/testkit"
)

func TestDecide(t *testing.T) {
	transient := errors.New("timeout")
	tests := []struct {
		name      string
		err       error
		delivered uint64
		want      Action
	}{
		{"success", nil, 1, Acked},
		{"success on last delivery", nil, 5, Acked},
		{"transient", transient, 1, Retried},
		{"transient wrapped", fmt.Errorf("fetch: %w", transient), 4, Retried},
		{"transient on last delivery", transient, 5, DeadLettered},
		{"permanent", Permanent(transient), 1, DeadLettered},
		{"permanent wrapped", fmt.Errorf("x: %w", Permanent(transient)), 1, DeadLettered},
		{"retry-after is transient", RetryAfter(transient, time.Minute), 2, Retried},
		{"deferred", Defer(transient, time.Minute), 1, Deferred},
		{"deferred past the last delivery", fmt.Errorf("x: %w", Defer(transient, 0)), 9, Deferred},
	}
	for _, tt := range tests {
		if got := Decide(tt.err, tt.delivered, 5); got != tt.want {
			t.Errorf("%s: Decide = %s, want %s", tt.name, got, tt.want)
		}
	}
	if Permanent(nil) != nil || RetryAfter(nil, time.Second) != nil || Defer(nil, time.Second) != nil {
		t.Error("wrapping nil must give nil")
	}
}

func TestBackoff(t *testing.T) {
	err := errors.New("x")
	tests := []struct {
		delivered uint64
		err       error
		want      time.Duration
	}{
		{1, err, time.Second},
		{2, err, 2 * time.Second},
		{4, err, 8 * time.Second},
		{20, err, time.Minute},
		{1, RetryAfter(err, 90*time.Second), 90 * time.Second},
		{3, RetryAfter(err, time.Second), 4 * time.Second},
	}
	for _, tt := range tests {
		if got := Backoff(tt.err, tt.delivered, time.Second, time.Minute); got != tt.want {
			t.Errorf("Backoff(%v, %d) = %v, want %v", tt.err, tt.delivered, got, tt.want)
		}
	}
}

// setup declares a work-queue stream, a consumer with unlimited deliveries
// (as natsutil does) and a dead-letter stream.
func setup(t *testing.T) (jetstream.JetStream, jetstream.Consumer) {
	t.Helper()
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "WORK", Subjects: []string{"work"}, Retention: jetstream.WorkQueuePolicy}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "DLQ", Subjects: []string{"dlq.>"}}); err != nil {
		t.Fatal(err)
	}
	cons, err := js.CreateConsumer(ctx, "WORK", jetstream.ConsumerConfig{
		Durable: "w", AckPolicy: jetstream.AckExplicitPolicy, MaxDeliver: -1, AckWait: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return js, cons
}

func testConfig(js jetstream.JetStream, reg prometheus.Registerer) Config {
	return Config{
		Stage:       "test",
		Concurrency: 4,
		MaxDeliver:  3,
		BackoffBase: 10 * time.Millisecond,
		BackoffMax:  50 * time.Millisecond,
		AckWait:     2 * time.Second,
		DeadLetter:  "dlq.test",
		Publisher:   js,
		Metrics:     NewMetrics(reg),
		Log:         natstest.Discard(),
	}
}

func streamMsgs(t *testing.T, js jetstream.JetStream, name string) uint64 {
	t.Helper()
	return natstest.StreamState(t, js, name).Msgs
}

// waitTimeout bounds every wait of this package's tests.
const waitTimeout = 10 * time.Second

func TestRunSettlesEveryOutcome(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, body := range []string{"ok", "permanent", "transient", "flaky", "panic"} {
		if _, err := js.Publish(ctx, "work", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	calls := map[string]int{}
	h := func(_ context.Context, msg jetstream.Msg) error {
		body := string(msg.Data())
		mu.Lock()
		calls[body]++
		n := calls[body]
		mu.Unlock()
		switch body {
		case "permanent":
			return Permanent(errors.New("bad input"))
		case "transient":
			return errors.New("always down")
		case "flaky":
			if n < 2 {
				return errors.New("down once")
			}
		case "panic":
			panic("boom")
		}
		return nil
	}
	reg := prometheus.NewRegistry()
	cfg := testConfig(js, reg)
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cons, cfg, h) }()

	testkit.WaitFor(t, waitTimeout, "work stream to empty", func() bool { return streamMsgs(t, js, "WORK") == 0 })
	testkit.WaitFor(t, waitTimeout, "three dead letters", func() bool { return streamMsgs(t, js, "DLQ") == 3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{"ok": 1, "permanent": 1, "transient": 3, "flaky": 2, "panic": 1}
	for k, v := range want {
		if calls[k] != v {
			t.Errorf("handler called %d times for %q, want %d", calls[k], k, v)
		}
	}
	dl, err := js.Stream(context.Background(), "DLQ")
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for seq := uint64(1); seq <= 3; seq++ {
		m, err := dl.GetMsg(context.Background(), seq)
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Get(HeaderStage) != "test" || m.Header.Get(HeaderSubject) != "work" || m.Header.Get(HeaderStream) != "WORK" {
			t.Errorf("dead letter %d headers = %v", seq, m.Header)
		}
		reasons[string(m.Data)] = m.Header.Get(HeaderError)
		if string(m.Data) == "transient" && m.Header.Get(HeaderDelivered) != "3" {
			t.Errorf("transient dead letter delivered = %q, want 3", m.Header.Get(HeaderDelivered))
		}
	}
	if reasons["permanent"] != "bad input" || reasons["transient"] != "always down" {
		t.Errorf("dead-letter reasons = %v", reasons)
	}
	if r := reasons["panic"]; len(r) < 11 || r[:11] != "panic: boom" {
		t.Errorf("panic reason = %q", r)
	}
	if got := testutil.ToFloat64(cfg.Metrics.messages.WithLabelValues("test", "dead_letter")); got != 3 {
		t.Errorf("dead_letter metric = %v, want 3", got)
	}
	if got := testutil.ToFloat64(cfg.Metrics.messages.WithLabelValues("test", "ack")); got != 2 {
		t.Errorf("ack metric = %v, want 2", got)
	}
}

func TestRunDeadLettersMessagesThatNeverComeBack(t *testing.T) {
	js, cons := setup(t)
	ctx := context.Background()
	if _, err := js.Publish(ctx, "work", []byte("poison")); err != nil {
		t.Fatal(err)
	}
	// Three workers took the message and died without settling it.
	for i := 0; i < 3; i++ {
		b, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range b.Messages() {
			_ = m.NakWithDelay(0) // as if the worker crashed
		}
	}
	var called atomic.Int32
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- Run(runCtx, cons, testConfig(js, prometheus.NewRegistry()), func(context.Context, jetstream.Msg) error {
			called.Add(1)
			return nil
		})
	}()
	testkit.WaitFor(t, waitTimeout, "dead letter", func() bool { return streamMsgs(t, js, "DLQ") == 1 })
	cancel()
	<-done
	if called.Load() != 0 {
		t.Errorf("handler was given a message past its delivery limit")
	}
	if n := streamMsgs(t, js, "WORK"); n != 0 {
		t.Errorf("work stream holds %d messages, want 0", n)
	}
}

func TestRunFinishesInFlightWorkOnShutdown(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 4; i++ {
		if _, err := js.Publish(ctx, "work", []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	started := make(chan struct{}, 4)
	release := make(chan struct{})
	var finished atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cons, testConfig(js, prometheus.NewRegistry()), func(hctx context.Context, _ jetstream.Msg) error {
			started <- struct{}{}
			<-release
			if hctx.Err() != nil {
				return hctx.Err()
			}
			finished.Add(1)
			return nil
		})
	}()
	for i := 0; i < 4; i++ {
		<-started
	}
	cancel() // SIGTERM while four messages are in flight
	time.Sleep(50 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Run returned before in-flight work finished")
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if finished.Load() != 4 {
		t.Errorf("finished %d in-flight messages, want 4", finished.Load())
	}
	// Acks are published without waiting for the server; give it until
	// half the ack wait to apply them. A message left unacked stays in the
	// stream (nobody consumes it any more).
	deadline := time.Now().Add(time.Second)
	for streamMsgs(t, js, "WORK") != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := streamMsgs(t, js, "WORK"); n != 0 {
		t.Errorf("%d messages left unacked after shutdown", n)
	}
}

func TestRunBatch(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, body := range []string{"a", "bad", "b", "c"} {
		if _, err := js.Publish(ctx, "work", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var stored []string
	fail := true
	h := func(_ context.Context, msgs []jetstream.Msg) []error {
		mu.Lock()
		defer mu.Unlock()
		errs := make([]error, len(msgs))
		for i, m := range msgs {
			switch {
			case string(m.Data()) == "bad":
				errs[i] = Permanent(errors.New("invalid"))
			case fail: // the first write fails: nothing may be acked
				errs[i] = errors.New("store down")
			default:
				stored = append(stored, string(m.Data()))
			}
		}
		fail = false
		return errs
	}
	done := make(chan error, 1)
	go func() { done <- RunBatch(ctx, cons, testConfig(js, prometheus.NewRegistry()), h) }()
	testkit.WaitFor(t, waitTimeout, "work stream to empty", func() bool { return streamMsgs(t, js, "WORK") == 0 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(stored) != 3 {
		t.Errorf("stored %v, want a, b, c once each", stored)
	}
	if n := streamMsgs(t, js, "DLQ"); n != 1 {
		t.Errorf("dead letters = %d, want 1", n)
	}
}

// TestRunStopsInProgressPastTheDeadline checks a handler that overruns its
// deadline and does not return (a parser stuck in a library's pass): the
// worker stops telling the server the message is in progress at the
// deadline, so the server redelivers it after its ack wait rather than
// leaving it with a stuck worker for good.
func TestRunStopsInProgressPastTheDeadline(t *testing.T) {
	js, cons := setup(t) // the consumer's ack wait: 2 s
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := js.Publish(ctx, "work", []byte("slow")); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(js, prometheus.NewRegistry())
	cfg.Timeout = 300 * time.Millisecond
	cfg.AckWait = 600 * time.Millisecond // in progress every 200 ms until the deadline
	release := make(chan struct{})
	deliveries := make(chan uint64, 4)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cons, cfg, func(_ context.Context, msg jetstream.Msg) error {
			meta, err := msg.Metadata()
			if err != nil {
				return err
			}
			deliveries <- meta.NumDelivered
			if meta.NumDelivered == 1 {
				<-release // ignores its context, as go-trafilatura's passes do
			}
			return nil
		})
	}()
	defer func() {
		close(release)
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	if n := <-deliveries; n != 1 {
		t.Fatalf("first delivery is number %d", n)
	}
	select {
	case n := <-deliveries:
		if n != 2 {
			t.Errorf("redelivery is number %d, want 2", n)
		}
	case <-time.After(3 * 2 * time.Second):
		t.Fatal("the message was never redelivered while its handler overran: in progress is still being sent")
	}
}
