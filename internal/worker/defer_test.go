package worker

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/testkit"
)

// Deferrals do not use up a message's deliveries, however many there are;
// real failures still do, before and after deferrals alike.
func TestRunDeferralsDoNotCountTowardMaxDeliver(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const deferrals = 8 // well past MaxDeliver (3)
	for _, body := range []string{"waits", "waits then fails", "fails then waits", "fails"} {
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
		paused := Defer(errors.New("host paused"), 5*time.Millisecond)
		down := errors.New("server error")
		switch body {
		case "waits": // deferred many times, then one failure, then done
			switch {
			case n <= deferrals:
				return paused
			case n == deferrals+1:
				return down
			}
			return nil
		case "waits then fails":
			if n <= deferrals {
				return paused
			}
			return down
		case "fails then waits": // two failures, many deferrals, done
			switch {
			case n <= 2:
				return down
			case n <= 2+deferrals:
				return Defer(errors.New("rate limited"), 0) // the loop's backoff
			}
			return nil
		default:
			return down
		}
	}
	cfg := testConfig(js, prometheus.NewRegistry())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cons, cfg, h) }()
	testkit.WaitFor(t, waitTimeout, "work stream to empty", func() bool { return streamMsgs(t, js, "WORK") == 0 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{
		"waits":            deferrals + 2,
		"waits then fails": deferrals + 3, // MaxDeliver failures after the deferrals
		"fails then waits": 2 + deferrals + 1,
		"fails":            3,
	}
	for k, v := range want {
		if calls[k] != v {
			t.Errorf("handler called %d times for %q, want %d", calls[k], k, v)
		}
	}
	dead := map[string]nats.Header{}
	for _, m := range natstest.Messages(t, js, "DLQ") {
		dead[string(m.Data)] = m.Header
	}
	if len(dead) != 2 || dead["waits then fails"] == nil || dead["fails"] == nil {
		t.Fatalf("dead letters = %v, want the two that keep failing", dead)
	}
	if h := dead["waits then fails"]; h.Get(HeaderDelivered) != "3" || h.Get(HeaderDeferrals) != strconv.Itoa(deferrals) || h.Get(HeaderError) != "server error" {
		t.Errorf("dead letter after deferrals: delivered %q, deferrals %q, error %q; want 3, %d, server error",
			h.Get(HeaderDelivered), h.Get(HeaderDeferrals), h.Get(HeaderError), deferrals)
	}
	if got := testutil.ToFloat64(cfg.Metrics.messages.WithLabelValues("test", string(Deferred))); got != 3*deferrals {
		t.Errorf("defer metric = %v, want %d", got, 3*deferrals)
	}
}

// A message still deferred MaxDeferral after its first deferral fails like
// any other: waiting is free, but not forever.
func TestRunDeferralsExpire(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := nats.NewMsg("work")
	m.Header.Set(HeaderDeferrals, "40")
	m.Header.Set(HeaderDeferredSince, time.Now().Add(-25*time.Hour).UTC().Format(time.RFC3339Nano))
	m.Data = []byte("old")
	if _, err := js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	calls := 0
	cfg := testConfig(js, prometheus.NewRegistry())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cons, cfg, func(context.Context, jetstream.Msg) error {
			mu.Lock()
			calls++
			mu.Unlock()
			return Defer(errors.New("host paused"), 5*time.Millisecond)
		})
	}()
	testkit.WaitFor(t, waitTimeout, "dead letter", func() bool { return streamMsgs(t, js, "DLQ") == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 3 {
		t.Errorf("handler called %d times, want MaxDeliver (3)", calls)
	}
}

// A deferred copy keeps its failures, and a worker that dies holding it
// adds one, as for any message: deferring cannot launder a poison message.
func TestRunDeferredCopyThatNeverComesBack(t *testing.T) {
	js, cons := setup(t)
	ctx := context.Background()
	m := nats.NewMsg("work")
	m.Header.Set(HeaderFailures, "2")
	m.Header.Set(HeaderDeferrals, "1")
	m.Header.Set(HeaderNotBefore, time.Now().UTC().Format(time.RFC3339Nano))
	m.Data = []byte("poison")
	if _, err := js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}
	// Its wait, then a worker that died without settling it.
	for range 2 {
		b, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range b.Messages() {
			_ = m.NakWithDelay(0)
		}
	}
	var mu sync.Mutex
	called := 0
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- Run(runCtx, cons, testConfig(js, prometheus.NewRegistry()), func(context.Context, jetstream.Msg) error {
			mu.Lock()
			called++
			mu.Unlock()
			return nil
		})
	}()
	testkit.WaitFor(t, waitTimeout, "dead letter", func() bool { return streamMsgs(t, js, "DLQ") == 1 })
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if called != 0 {
		t.Errorf("handler was given a message past its delivery limit (2 failures, then a crash)")
	}
}

// A deferred copy counts the deliveries that failed before it, and its
// first delivery, the wait, is not one of them.
func TestCountDelivery(t *testing.T) {
	due := time.Now().UTC().Format(time.RFC3339Nano)
	tests := []struct {
		name      string
		header    map[string]string
		delivered uint64
		want      uint64
	}{
		{"original", nil, 1, 1},
		{"original redelivered", nil, 4, 4},
		{"copy waiting", map[string]string{HeaderFailures: "2", HeaderNotBefore: due}, 1, 2},
		{"copy handled", map[string]string{HeaderFailures: "2", HeaderNotBefore: due}, 2, 3},
		{"copy retried", map[string]string{HeaderFailures: "0", HeaderNotBefore: due}, 3, 2},
		{"malformed headers count as absent", map[string]string{HeaderFailures: "x", HeaderNotBefore: "soon"}, 2, 2},
	}
	for _, tt := range tests {
		m := nats.NewMsg("work")
		for k, v := range tt.header {
			m.Header.Set(k, v)
		}
		d := countDelivery(m.Header, &jetstream.MsgMetadata{NumDelivered: tt.delivered})
		if d.attempt != tt.want {
			t.Errorf("%s: attempt %d, want %d", tt.name, d.attempt, tt.want)
		}
	}
}
