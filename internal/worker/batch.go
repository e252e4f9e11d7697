package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// BatchHandler processes a batch and returns one error per message (nil
// for success), with the same meaning as a Handler's result.
type BatchHandler func(ctx context.Context, msgs []jetstream.Msg) []error

// linger is how long a batch waits for more messages once it has one: long
// enough to gather a burst into one write, short enough not to add latency.
const linger = 10 * time.Millisecond

// RunBatch consumes cons in batches of up to cfg.Concurrency messages, for
// stages whose cost is per round trip rather than per message (sinks). A
// batch is handed over as soon as no further message arrives within a few
// milliseconds. When ctx is cancelled it settles the batch in hand, lets its
// pull request end (see fetchWait), gives back what arrives meanwhile and
// returns.
func RunBatch(ctx context.Context, cons jetstream.Consumer, cfg Config, h BatchHandler) error {
	cfg = cfg.withDefaults()
	cfg.Metrics.start(cfg.Stage)
	for ctx.Err() == nil {
		fetched, err := cons.Fetch(cfg.Concurrency, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			if errors.Is(err, nats.ErrConnectionClosed) {
				return nil
			}
			cfg.Log.Warn("consume", "stage", cfg.Stage, "err", err)
			pause(ctx, time.Second)
			continue
		}
		in := fetched.Messages()
		for msg := range in {
			msgs := gather(in, msg, cfg.Concurrency)
			if ctx.Err() != nil {
				for _, m := range msgs {
					giveBack(cfg, m)
				}
				continue
			}
			handleBatch(context.WithoutCancel(ctx), cfg, h, msgs)
		}
		if err := fetched.Error(); err != nil && ctx.Err() == nil {
			cfg.Log.Warn("consume", "stage", cfg.Stage, "err", err)
			pause(ctx, time.Second)
		}
	}
	return nil
}

// gather adds to first the messages that arrive on in within linger of
// each other, up to size.
func gather(in <-chan jetstream.Msg, first jetstream.Msg, size int) []jetstream.Msg {
	msgs := []jetstream.Msg{first}
	t := time.NewTimer(linger)
	defer t.Stop()
	for len(msgs) < size {
		select {
		case m, ok := <-in:
			if !ok {
				return msgs
			}
			msgs = append(msgs, m)
			t.Reset(linger)
		case <-t.C:
			return msgs
		}
	}
	return msgs
}

func handleBatch(ctx context.Context, cfg Config, h BatchHandler, msgs []jetstream.Msg) {
	start := time.Now()
	metas := make([]*jetstream.MsgMetadata, 0, len(msgs))
	ds := make([]delivery, len(msgs))
	var todo []jetstream.Msg
	var todoIdx []int
	errs := make([]error, len(msgs))
	for i, msg := range msgs {
		meta, err := msg.Metadata()
		if err != nil {
			cfg.Log.Error("message without metadata", "stage", cfg.Stage, "subject", msg.Subject(), "err", err)
		}
		if meta != nil {
			ds[i] = countDelivery(msg.Headers(), meta)
			if wait(cfg, msg, meta, ds[i]) {
				meta = nil // a deferred copy not due yet: neither handled nor settled
			}
		}
		metas = append(metas, meta)
		if meta == nil {
			continue
		}
		if errs[i] = overLimit(cfg, ds[i]); errs[i] == nil {
			todo = append(todo, msg)
			todoIdx = append(todoIdx, i)
		}
	}
	if len(todo) > 0 {
		for j, err := range callBatch(ctx, cfg, h, todo) {
			errs[todoIdx[j]] = err
		}
	}
	for i, msg := range msgs {
		if metas[i] != nil {
			settle(ctx, cfg, msg, metas[i], ds[i], errs[i])
		}
	}
	cfg.Metrics.duration(cfg.Stage, time.Since(start))
}

// callBatch runs the handler on msgs and returns one result per message.
// When the handler panics on a batch of several, the panic belongs to one
// message (or a few), not to the whole batch: each message is handled
// again alone, so that the one that panics is dead-lettered (see panicked)
// and the others get their own results, as the sink stage does for an
// article the sink refuses.
func callBatch(ctx context.Context, cfg Config, h BatchHandler, msgs []jetstream.Msg) []error {
	errs, perr := callBatchOnce(ctx, cfg, h, msgs)
	if perr == nil {
		return errs
	}
	if len(msgs) == 1 {
		return []error{perr}
	}
	cfg.Log.Warn("batch handler panicked, handling its messages one by one", "stage", cfg.Stage, "messages", len(msgs), "err", firstLine(perr))
	for _, m := range msgs { // the batch's run used up part of their ack wait
		_ = m.InProgress()
	}
	errs = make([]error, len(msgs))
	for i := range msgs {
		errs[i] = callBatch(ctx, cfg, h, msgs[i:i+1])[0]
	}
	return errs
}

// callBatchOnce runs the handler once with a deadline. A panic, or a
// handler returning the wrong number of results, comes back as perr.
func callBatchOnce(ctx context.Context, cfg Config, h BatchHandler, msgs []jetstream.Msg) (errs []error, perr error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			errs, perr = nil, panicked(r)
		}
	}()
	errs = h(ctx, msgs)
	if len(errs) != len(msgs) {
		panic(fmt.Sprintf("batch handler returned %d results for %d messages", len(errs), len(msgs)))
	}
	return errs, nil
}

// firstLine is err's message up to its first line break: a panic without
// its stack, for a log line.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
