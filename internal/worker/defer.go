package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Deferral: how a message waits for something outside it (see Defer)
// without using up its deliveries.
//
// JetStream counts every delivery (NumDelivered) and a nak cannot change
// the message, so a redelivered message cannot say which of its deliveries
// were deferrals. A deferral therefore replaces the message: the loop
// publishes a copy to the same subject whose headers carry the failed
// deliveries so far, the deferrals, the time of the first deferral and the
// time before which the copy is not to be handled, and only once JetStream
// has stored the copy does it ack the original. The first delivery of a
// copy is never handed to a handler: it is naked until that time. Every
// later delivery is, as for any message, a failed or unsettled one until
// one is settled. So the failed deliveries before delivery n are
//
//	Trawler-Failures + n - 1, less 1 for a copy (its waiting delivery)
//
// exactly, whatever crashed in between; that is what MaxDeliver limits.
//
// At least once: the copy is stored before the original is acked. A crash
// (or a lost ack) in between brings the original back after AckWait. If it
// is deferred again, its copy has the same Nats-Msg-Id (from the original's
// stream sequence, not its own Nats-Msg-Id, which the first publish used)
// and the stream's duplicate window drops it; if it is handled instead, the
// copy does the work a second time. When the copy cannot be published the
// loop falls back to a nak with the delay, which then counts as a failed
// delivery: nothing is lost either way.
//
// The copy goes to the back of the stream and keeps the subject, so a
// partitioned stream keeps it in its partition.

// Headers of a deferred copy. Dead letters keep them; a replayed dead
// letter must drop them to start afresh.
const (
	HeaderFailures      = "Trawler-Failures"       // failed deliveries before the copy was made
	HeaderDeferrals     = "Trawler-Deferrals"      // times the message was deferred
	HeaderDeferredSince = "Trawler-Deferred-Since" // first deferral, RFC 3339
	HeaderNotBefore     = "Trawler-Not-Before"     // the copy is not handled before then, RFC 3339
)

// DeferralHeaders lists the headers the loop sets on deferred copies.
var DeferralHeaders = []string{HeaderFailures, HeaderDeferrals, HeaderDeferredSince, HeaderNotBefore}

// delivery is one delivery of a message as the loop counts it.
type delivery struct {
	attempt   uint64    // failed deliveries before this one, plus one: what MaxDeliver limits
	deferrals uint64    // times the message was deferred before
	since     time.Time // first deferral; zero if never deferred
	notBefore time.Time // a deferred copy's due time; zero for an original
	copy      bool      // a deferred copy: its first delivery is a wait
}

// countDelivery reads how many deliveries of a message with headers h
// failed (see above). Missing or malformed headers count as absent.
func countDelivery(h nats.Header, meta *jetstream.MsgMetadata) delivery {
	d := delivery{attempt: meta.NumDelivered}
	if h == nil {
		return d
	}
	failures, _ := strconv.ParseUint(h.Get(HeaderFailures), 10, 64)
	d.deferrals, _ = strconv.ParseUint(h.Get(HeaderDeferrals), 10, 64)
	d.since, _ = time.Parse(time.RFC3339Nano, h.Get(HeaderDeferredSince))
	if nb, err := time.Parse(time.RFC3339Nano, h.Get(HeaderNotBefore)); err == nil {
		d.notBefore, d.copy = nb, true
	}
	d.attempt = failures + meta.NumDelivered
	if d.copy && d.attempt > 1 {
		d.attempt--
	}
	return d
}

// wait naks a deferred copy that is not due yet (always on its first
// delivery, see above) and reports whether it did.
func wait(cfg Config, msg jetstream.Msg, meta *jetstream.MsgMetadata, d delivery) bool {
	now := time.Now()
	if !d.copy || (meta.NumDelivered > 1 && !now.Before(d.notBefore)) {
		return false
	}
	// Clamped: a clock far off must not park the message for years.
	delay := min(max(d.notBefore.Sub(now), 0), cfg.MaxDeferral)
	if err := msg.NakWithDelay(delay); err != nil {
		cfg.Log.Warn("settle message", "stage", cfg.Stage, "subject", msg.Subject(), "action", "wait", "err", err)
	}
	return true
}

// expireDeferral turns a deferral of a message first deferred more than
// MaxDeferral ago into an ordinary transient error, which counts.
func expireDeferral(cfg Config, herr error, d delivery, now time.Time) error {
	var de deferredError
	if d.since.IsZero() || now.Sub(d.since) < cfg.MaxDeferral || !errors.As(herr, &de) {
		return herr
	}
	return RetryAfter(fmt.Errorf("still deferred %s after the first deferral: %w", now.Sub(d.since).Round(time.Second), de.err), de.after)
}

// deferDelay is how long a deferral waits: what the handler asked for, or
// the loop's backoff by deferral count.
func (c Config) deferDelay(herr error, d delivery) time.Duration {
	delay := deferAfter(herr)
	if delay <= 0 {
		delay = Backoff(nil, d.deferrals+1, c.BackoffBase, c.BackoffMax)
	}
	return min(delay, c.MaxDeferral)
}

// redeliverLater publishes msg's deferred copy, due after delay (see the
// comment at the top of this file). The caller acks msg once it returns nil.
func redeliverLater(ctx context.Context, cfg Config, msg jetstream.Msg, meta *jetstream.MsgMetadata, d delivery, delay time.Duration) error {
	now := time.Now()
	c := nats.NewMsg(msg.Subject())
	for k, v := range msg.Headers() {
		c.Header[k] = v
	}
	since := d.since
	if since.IsZero() {
		since = now
	}
	// This delivery did not fail: the copy carries the failures before it.
	c.Header.Set(HeaderFailures, strconv.FormatUint(d.attempt-1, 10))
	c.Header.Set(HeaderDeferrals, strconv.FormatUint(d.deferrals+1, 10))
	c.Header.Set(HeaderDeferredSince, since.UTC().Format(time.RFC3339Nano))
	c.Header.Set(HeaderNotBefore, now.Add(delay).UTC().Format(time.RFC3339Nano))
	c.Header.Set(jetstream.MsgIDHeader, "deferred:"+meta.Stream+":"+strconv.FormatUint(meta.Sequence.Stream, 10))
	c.Data = msg.Data()
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := cfg.Publisher.PublishMsg(pctx, c); err != nil {
		return fmt.Errorf("publish deferred copy: %w", err)
	}
	return nil
}
