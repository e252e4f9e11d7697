// Package worker is the one consume loop every stage runs: bounded
// concurrency, the ack/nak/term mapping, dead letters, redelivery limits,
// keep-alives for long work, panics turned into errors, and graceful drain.
//
// A handler returns nil (ack), an error marked Permanent (dead-letter, then
// term), an error marked Defer (try again later; not a failed delivery), or
// any other error (nak with backoff by delivery count). A handler that
// panics has failed for good on the message it was given (see panicked).
// Nothing but the loop acks.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler/internal/natsutil"
)

// Handler processes one message. ctx is not cancelled by shutdown: in-flight
// work is allowed to finish (up to Config.Timeout).
type Handler func(ctx context.Context, msg jetstream.Msg) error

// Config configures Run. Zero fields get the documented defaults.
type Config struct {
	Stage       string        // stage name for logs, metrics and dead letters (required)
	Concurrency int           // messages handled at once (default 1)
	MaxDeliver  uint64        // failed deliveries before a message is dead-lettered (default DefaultMaxDeliver); deferrals do not count
	MaxDeferral time.Duration // how long after its first deferral a deferral stops being free (default 24h)
	Timeout     time.Duration // per-message deadline (default 2m)
	BackoffBase time.Duration // first nak delay (default 1s), doubled per delivery
	BackoffMax  time.Duration // nak delay cap (default 1m)
	AckWait     time.Duration // the consumer's AckWait; InProgress is sent every third of it (default natsutil.DefaultAckWait)
	DeadLetter  string        // subject for dead letters (required)
	Metrics     *Metrics      // optional
	Log         *slog.Logger  // required
	// Publisher publishes dead letters durably (required).
	Publisher interface {
		PublishMsg(ctx context.Context, msg *nats.Msg, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error)
	}
	// OnDeadLetter, if set, is called with each message about to be
	// dead-lettered and the reason, whether or not a handler saw it: the
	// stage records that the work failed for good. An error keeps the
	// message, to try again later.
	OnDeadLetter func(ctx context.Context, msg jetstream.Msg, cause error) error
	// MsgAttrs, if set, gives the log attributes that say what a message
	// is about (its url=), added to the logs of its retries and dead
	// letters.
	MsgAttrs func(msg jetstream.Msg) []any
}

// msgAttrs are the log attributes of msg (see Config.MsgAttrs).
func (c Config) msgAttrs(msg jetstream.Msg) []any {
	if c.MsgAttrs == nil {
		return nil
	}
	return c.MsgAttrs(msg)
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = 1
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = DefaultMaxDeliver
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Minute
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = time.Second
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = time.Minute
	}
	if c.AckWait <= 0 {
		c.AckWait = natsutil.DefaultAckWait
	}
	if c.MaxDeferral <= 0 {
		c.MaxDeferral = 24 * time.Hour
	}
	return c
}

// Headers set on dead letters, beside the original message's headers.
const (
	HeaderStage     = "Trawler-Stage"
	HeaderError     = "Trawler-Error"
	HeaderDelivered = "Trawler-Delivered"
	HeaderSubject   = "Trawler-Subject"
	HeaderStream    = "Trawler-Stream"
	HeaderSeq       = "Trawler-Stream-Seq"
)

// fetchWait is the lifetime of one pull request. A worker never walks away
// from a request the server still holds: what the server sends to a
// request nobody listens to any more stays unacked until its ack wait runs
// out. So a stopping worker waits for its last request to end (at most
// fetchWait) and gives back what arrives meanwhile. Short, because every
// stop waits it out; an idle consumer costs four pull requests a second.
const fetchWait = 250 * time.Millisecond

// Run consumes cons until ctx is cancelled, then stops pulling, lets its
// last pull request end, finishes the messages its handlers hold, settles
// them, naks those it pulled but had not started, and returns nil.
func Run(ctx context.Context, cons jetstream.Consumer, cfg Config, h Handler) error {
	cfg = cfg.withDefaults()
	cfg.Metrics.start(cfg.Stage)
	slots := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		// Pull as many messages as there are free slots, at least one: a
		// message waiting in a buffer here ages towards AckWait unseen, and
		// is work other workers cannot take.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		if ctx.Err() != nil {
			<-slots
			return nil
		}
		n := 1
	more:
		for n < cfg.Concurrency {
			select {
			case slots <- struct{}{}:
				n++
			default:
				break more
			}
		}
		batch, err := cons.Fetch(n, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			for ; n > 0; n-- {
				<-slots
			}
			if errors.Is(err, nats.ErrConnectionClosed) {
				return nil
			}
			cfg.Log.Warn("consume", "stage", cfg.Stage, "err", err)
			pause(ctx, time.Second) // a broken connection must not become a busy loop
			continue
		}
		for msg := range batch.Messages() {
			n--
			if ctx.Err() != nil {
				// Draining: a message pulled but not started goes back at
				// once for another worker, rather than lengthening the drain
				// by a handler's run.
				giveBack(cfg, msg)
				<-slots
				continue
			}
			start(ctx, cfg, h, msg, slots, &wg)
		}
		for ; n > 0; n-- {
			<-slots
		}
		if err := batch.Error(); err != nil && ctx.Err() == nil {
			cfg.Log.Warn("consume", "stage", cfg.Stage, "err", err)
			pause(ctx, time.Second)
		}
	}
}

// giveBack naks a message a stopping worker took but did not start. The
// delay outlasts the pull request the worker is still waiting out, so that
// the message goes to another worker instead of straight back to this one.
func giveBack(cfg Config, msg jetstream.Msg) {
	if err := msg.NakWithDelay(fetchWait); err != nil {
		cfg.Log.Warn("give back message", "stage", cfg.Stage, "subject", msg.Subject(), "err", err)
	}
	cfg.Metrics.settled(cfg.Stage, Retried)
}

func handle(ctx context.Context, cfg Config, h Handler, msg jetstream.Msg) {
	start := time.Now()
	meta, err := msg.Metadata()
	if err != nil { // not a JetStream message: nothing to ack
		cfg.Log.Error("message without metadata", "stage", cfg.Stage, "subject", msg.Subject(), "err", err)
		return
	}
	d := countDelivery(msg.Headers(), meta)
	if wait(cfg, msg, meta, d) {
		return // a deferred copy not due yet: neither handled nor settled
	}
	herr := overLimit(cfg, d)
	if herr == nil {
		herr = call(ctx, cfg, h, msg)
	}
	settle(ctx, cfg, msg, meta, d, herr)
	cfg.Metrics.duration(cfg.Stage, time.Since(start))
}

// overLimit refuses a message whose earlier deliveries failed or never came
// back: one that crashes or hangs whoever takes it must not reach a handler
// again.
func overLimit(cfg Config, d delivery) error {
	if d.attempt > cfg.MaxDeliver {
		return Permanent(fmt.Errorf("not settled after %d deliveries", d.attempt-1))
	}
	return nil
}

// settle acks, naks, defers or dead-letters msg according to herr.
func settle(ctx context.Context, cfg Config, msg jetstream.Msg, meta *jetstream.MsgMetadata, d delivery, herr error) {
	log := cfg.Log.With("stage", cfg.Stage, "subject", msg.Subject(), "seq", meta.Sequence.Stream, "delivered", d.attempt)
	if d.deferrals > 0 {
		log = log.With("deferrals", d.deferrals)
	}
	herr = expireDeferral(cfg, herr, d, time.Now())
	action := Decide(herr, d.attempt, cfg.MaxDeliver)
	var err error
	switch action {
	case Acked:
		err = msg.Ack()
	case Deferred:
		delay := cfg.deferDelay(herr, d)
		log.Info("deferred", "err", herr, "delay", delay)
		if err = redeliverLater(ctx, cfg, msg, meta, d, delay); err != nil {
			// The copy is not stored: keep the original, at the cost of
			// counting this delivery as failed.
			action = Retried
			err = errors.Join(err, msg.NakWithDelay(delay))
		} else {
			err = msg.Ack()
		}
	case Retried:
		delay := Backoff(herr, d.attempt, cfg.BackoffBase, cfg.BackoffMax)
		log.Warn("retrying", append(cfg.msgAttrs(msg), "err", herr, "delay", delay)...)
		err = msg.NakWithDelay(delay)
	case DeadLettered:
		log.Error("dead letter", append(cfg.msgAttrs(msg), "err", herr)...)
		if cfg.OnDeadLetter != nil {
			err = cfg.OnDeadLetter(ctx, msg, herr)
		}
		if err == nil {
			err = deadLetter(ctx, cfg, msg, meta, d, herr)
		}
		if err != nil {
			// Not recorded anywhere yet: keep the message and try later.
			action = Retried
			err = errors.Join(err, msg.NakWithDelay(cfg.BackoffMax))
		} else {
			err = msg.Term()
		}
	}
	if err != nil {
		log.Warn("settle message", "action", action, "err", err)
	}
	cfg.Metrics.settled(cfg.Stage, action)
}

// call runs the handler with a deadline, tells the server the message is
// still in progress while it runs, up to that deadline, and turns a panic
// into the message's permanent failure (see panicked). Past the deadline
// the server hears nothing more: a handler that does not return holds its
// worker, but not the message, which is redelivered after AckWait.
func call(ctx context.Context, cfg Config, h Handler, msg jetstream.Msg) (err error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			err = panicked(r)
		}
	}()
	return h(ctx, msg)
}

func deadLetter(ctx context.Context, cfg Config, msg jetstream.Msg, meta *jetstream.MsgMetadata, d delivery, cause error) error {
	dl := nats.NewMsg(cfg.DeadLetter)
	for k, v := range msg.Headers() {
		if k == jetstream.MsgIDHeader {
			continue // the dead-letter stream must keep every copy
		}
		dl.Header[k] = v
	}
	reason := cause.Error()
	if len(reason) > 2048 {
		reason = reason[:2048]
	}
	dl.Header.Set(HeaderStage, cfg.Stage)
	dl.Header.Set(HeaderError, reason)
	dl.Header.Set(HeaderDelivered, strconv.FormatUint(d.attempt, 10))
	dl.Header.Set(HeaderSubject, msg.Subject())
	dl.Header.Set(HeaderStream, meta.Stream)
	dl.Header.Set(HeaderSeq, strconv.FormatUint(meta.Sequence.Stream, 10))
	dl.Data = msg.Data()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := cfg.Publisher.PublishMsg(pctx, dl); err != nil {
		return fmt.Errorf("publish dead letter: %w", err)
	}
	return nil
}

// pause waits for d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// start handles msg in a goroutine of its own that frees its slot once the
// message is settled. The handler outlives ctx: a stopping worker finishes
// what it started.
func start(ctx context.Context, cfg Config, h Handler, msg jetstream.Msg, slots <-chan struct{}, wg *sync.WaitGroup) {
	wg.Go(func() {
		defer func() { <-slots }()
		handle(context.WithoutCancel(ctx), cfg, h, msg)
	})
}
