package worker

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// permanentError marks an error that no retry can fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as permanent: the loop dead-letters the message and
// terminates it instead of retrying. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// panicked is the loop's one policy for a handler that panics, called with
// what recover returned, on the panicking goroutine: a panic is a permanent
// failure of the message being handled. Handlers are deterministic on a
// message's bytes, so a retry would panic again, MaxDeliver times, with
// backoff in between, before ending in the dead-letter stream anyway: the
// message is dead-lettered at once, with the stack in its Trawler-Error
// header. In a batch, the panic is the failure of the message that caused
// it, not of its batch-mates: RunBatch finds that message by handling each
// one alone (see callBatch).
func panicked(r any) error {
	return Permanent(fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
}

// retryAfterError carries a server's request to wait before retrying.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e retryAfterError) Error() string { return e.err.Error() }
func (e retryAfterError) Unwrap() error { return e.err }

// RetryAfter marks a transient err with the delay the remote side asked for;
// the loop naks the message with at least that delay.
func RetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return retryAfterError{err, d}
}

func retryDelay(err error) time.Duration {
	var r retryAfterError
	if errors.As(err, &r) {
		return r.after
	}
	return 0
}

// deferredError asks for the message to be handled again later, without
// counting the delivery as failed.
type deferredError struct {
	err   error
	after time.Duration
}

func (e deferredError) Error() string { return e.err.Error() }
func (e deferredError) Unwrap() error { return e.err }

// Defer says "not now, and this is no failure": the message could not be
// handled yet because something outside it asked to wait (a host that
// paused us: robots.txt unavailable, Retry-After, an open circuit). The
// loop has the message delivered again after d (after its own backoff by
// deferral count when d is 0), and the delivery does not count towards
// Config.MaxDeliver, however often it is deferred, for up to
// Config.MaxDeferral after its first deferral; later deferrals count as
// failed deliveries, so a message still waiting after that long ends in the
// dead-letter stream. Use it only when waiting is certain to help: an
// error of the message itself must count. The message is replaced by a
// copy published to its subject (see defer.go), so use it only on a work
// queue, where each message goes to one consumer: on a stream read by
// several consumers, every one of them would get the copy. Defer(nil, d) is
// nil.
func Defer(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return deferredError{err, max(d, 0)}
}

// IsDeferred reports whether err was marked with Defer.
func IsDeferred(err error) bool {
	var d deferredError
	return errors.As(err, &d)
}

func deferAfter(err error) time.Duration {
	var d deferredError
	if errors.As(err, &d) {
		return d.after
	}
	return 0
}

// Action is what the loop did with a message.
type Action string

// Actions, used as a bounded metric label.
const (
	Acked        Action = "ack"
	Retried      Action = "nak"
	DeadLettered Action = "dead_letter"
	Deferred     Action = "defer"
)

// Decide maps a handler's result to what the loop does with the message: ack
// on success, dead-letter on a permanent error or on the last allowed
// delivery, defer when the handler asked to (see Defer), nak with backoff
// otherwise. delivered counts failed deliveries only, this one included:
// deferrals are not failures.
func Decide(err error, delivered, maxDeliver uint64) Action {
	switch {
	case err == nil:
		return Acked
	case IsPermanent(err):
		return DeadLettered
	case IsDeferred(err):
		return Deferred
	case delivered >= maxDeliver:
		return DeadLettered
	default:
		return Retried
	}
}

// Backoff is the nak delay after the given delivery (or deferral):
// exponential from base, capped, and never shorter than what the server
// asked for.
func Backoff(err error, delivered uint64, base, limit time.Duration) time.Duration {
	d := base
	for i := uint64(1); i < delivered && d < limit; i++ {
		d *= 2
	}
	return max(min(d, limit), retryDelay(err))
}
