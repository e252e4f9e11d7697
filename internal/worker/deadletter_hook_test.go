package worker

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler/internal/testkit"
)

// OnDeadLetter hears of every message before it is dead-lettered, with the
// reason; a message whose hook fails is kept and tried again.
func TestOnDeadLetter(t *testing.T) {
	js, cons := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, body := range []string{"ok", "permanent", "transient"} {
		if _, err := js.Publish(ctx, "work", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	h := func(_ context.Context, msg jetstream.Msg) error {
		switch string(msg.Data()) {
		case "permanent":
			return Permanent(errors.New("bad input"))
		case "transient":
			return errors.New("always down")
		}
		return nil
	}
	var mu sync.Mutex
	heard := map[string][]string{}
	cfg := testConfig(js, prometheus.NewRegistry())
	cfg.OnDeadLetter = func(_ context.Context, msg jetstream.Msg, cause error) error {
		mu.Lock()
		defer mu.Unlock()
		body := string(msg.Data())
		heard[body] = append(heard[body], cause.Error())
		if body == "permanent" && len(heard[body]) == 1 {
			return errors.New("record unavailable")
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cons, cfg, h) }()
	testkit.WaitFor(t, waitTimeout, "work stream to empty", func() bool { return streamMsgs(t, js, "WORK") == 0 })
	testkit.WaitFor(t, waitTimeout, "two dead letters", func() bool { return streamMsgs(t, js, "DLQ") == 2 })
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if got := heard["transient"]; len(got) != 1 || got[0] != "always down" {
		t.Errorf("hook heard of the transient message %q, want once, on its last delivery", got)
	}
	// The first call failed: the message was kept, and dead-lettered at
	// its next delivery.
	if got := heard["permanent"]; len(got) != 2 || got[0] != "bad input" {
		t.Errorf("hook heard of the permanent message %q, want twice", got)
	}
	if got := heard["ok"]; got != nil {
		t.Errorf("hook heard of an acked message: %q", got)
	}
}
