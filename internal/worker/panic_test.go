package worker

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler/internal/testkit"
)

// A panic is one policy whichever loop runs the handler: the message that
// caused it is dead-lettered at its first delivery, with the stack, and
// never retried; in a batch, the messages beside it are handled as if it
// were not there, acked at their first delivery.
func TestPanicDeadLettersTheMessageAtOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		// boomCalls: once alone; in a batch, once with the others, then
		// alone to tell it from them.
		boomCalls int
		run       func(ctx context.Context, cons jetstream.Consumer, cfg Config, handle func(body string)) error
	}{
		{"Run", 1, func(ctx context.Context, cons jetstream.Consumer, cfg Config, handle func(string)) error {
			return Run(ctx, cons, cfg, func(_ context.Context, msg jetstream.Msg) error {
				handle(string(msg.Data()))
				return nil
			})
		}},
		{"RunBatch", 2, func(ctx context.Context, cons jetstream.Consumer, cfg Config, handle func(string)) error {
			return RunBatch(ctx, cons, cfg, func(_ context.Context, msgs []jetstream.Msg) []error {
				for _, m := range msgs { // a poisoned batch fails before anything is written
					if string(m.Data()) == "boom" {
						handle("boom")
					}
				}
				for _, m := range msgs {
					handle(string(m.Data()))
				}
				return make([]error, len(msgs))
			})
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			js, cons := setup(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for _, body := range []string{"a", "boom", "b"} {
				if _, err := js.Publish(ctx, "work", []byte(body)); err != nil {
					t.Fatal(err)
				}
			}
			var mu sync.Mutex
			handled := map[string]int{}
			handle := func(body string) {
				mu.Lock()
				handled[body]++
				mu.Unlock()
				if body == "boom" {
					panic("boom")
				}
			}
			cfg := testConfig(js, prometheus.NewRegistry())
			done := make(chan error, 1)
			go func() { done <- tt.run(ctx, cons, cfg, handle) }()

			testkit.WaitFor(t, waitTimeout, "work stream to empty", func() bool { return streamMsgs(t, js, "WORK") == 0 })
			testkit.WaitFor(t, waitTimeout, "one dead letter", func() bool { return streamMsgs(t, js, "DLQ") == 1 })
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("run: %v", err)
			}

			dl, err := js.Stream(context.Background(), "DLQ")
			if err != nil {
				t.Fatal(err)
			}
			m, err := dl.GetMsg(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if string(m.Data) != "boom" {
				t.Errorf("dead letter %q, want boom", m.Data)
			}
			if d := m.Header.Get(HeaderDelivered); d != "1" {
				t.Errorf("dead-lettered at delivery %s, want 1: a panic is not retried", d)
			}
			if r := m.Header.Get(HeaderError); !strings.HasPrefix(r, "panic: boom") || !strings.Contains(r, "goroutine ") {
				t.Errorf("dead-letter reason %q, want the panic and its stack", r)
			}
			mu.Lock()
			defer mu.Unlock()
			for body, want := range map[string]int{"a": 1, "b": 1, "boom": tt.boomCalls} {
				if handled[body] != want {
					t.Errorf("%q handled %d times, want %d", body, handled[body], want)
				}
			}
			for action, want := range map[Action]float64{Acked: 2, DeadLettered: 1, Retried: 0} {
				if got := testutil.ToFloat64(cfg.Metrics.messages.WithLabelValues("test", string(action))); got != want {
					t.Errorf("%s metric = %v, want %v", action, got, want)
				}
			}
		})
	}
}
