package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// BatchHandler processes a batch and returns one error per message (nil
// for success), with the same meaning as a Handler's result.
type BatchHandler func(ctx context.Context, msgs []jetstream.Msg) []error

// RunBatch consumes cons in batches of up to cfg.Concurrency messages, for
// stages whose cost is per round trip rather than per message (sinks). It
// stops pulling when ctx is cancelled, settles the batch in hand and returns.
func RunBatch(ctx context.Context, cons jetstream.Consumer, cfg Config, h BatchHandler) error {
	cfg = cfg.withDefaults()
	for ctx.Err() == nil {
		batch, err := cons.Fetch(cfg.Concurrency, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConnectionClosed) {
				return fmt.Errorf("%s: fetch: %w", cfg.Stage, err)
			}
			cfg.Log.Warn("fetch", "stage", cfg.Stage, "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		var msgs []jetstream.Msg
		for msg := range batch.Messages() {
			msgs = append(msgs, msg)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, jetstream.ErrNoMessages) {
			cfg.Log.Warn("fetch batch", "stage", cfg.Stage, "err", err)
		}
		if len(msgs) > 0 {
			handleBatch(context.WithoutCancel(ctx), cfg, h, msgs)
		}
	}
	return nil
}

func handleBatch(ctx context.Context, cfg Config, h BatchHandler, msgs []jetstream.Msg) {
	start := time.Now()
	metas := make([]*jetstream.MsgMetadata, 0, len(msgs))
	var todo []jetstream.Msg
	var todoIdx []int
	errs := make([]error, len(msgs))
	for i, msg := range msgs {
		meta, err := msg.Metadata()
		if err != nil {
			cfg.Log.Error("message without metadata", "stage", cfg.Stage, "subject", msg.Subject(), "err", err)
		}
		metas = append(metas, meta)
		if meta == nil {
			continue
		}
		if errs[i] = overLimit(cfg, meta); errs[i] == nil {
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
			settle(ctx, cfg, msg, metas[i], errs[i])
		}
	}
	cfg.Metrics.duration(cfg.Stage, time.Since(start))
}

func callBatch(ctx context.Context, cfg Config, h BatchHandler, msgs []jetstream.Msg) (errs []error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			errs = make([]error, len(msgs))
			for i := range errs {
				errs[i] = fmt.Errorf("panic: %v", r)
			}
		}
	}()
	errs = h(ctx, msgs)
	if len(errs) != len(msgs) {
		panic(fmt.Sprintf("batch handler returned %d results for %d messages", len(errs), len(msgs)))
	}
	return errs
}
