package worker

import (
	"errors"
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

// Action is what the loop did with a message.
type Action string

// Actions, used as a bounded metric label.
const (
	Acked        Action = "ack"
	Retried      Action = "nak"
	DeadLettered Action = "dead_letter"
)

// Decide maps a handler's result to what the loop does with the message: ack
// on success, dead-letter on a permanent error or on the last allowed delivery,
// nak with backoff otherwise.
func Decide(err error, delivered, maxDeliver uint64) Action {
	switch {
	case err == nil:
		return Acked
	case IsPermanent(err), delivered >= maxDeliver:
		return DeadLettered
	default:
		return Retried
	}
}

// Backoff is the nak delay after the given delivery: exponential from base,
// capped, and never shorter than what the server asked for.
func Backoff(err error, delivered uint64, base, limit time.Duration) time.Duration {
	d := base
	for i := uint64(1); i < delivered && d < limit; i++ {
		d *= 2
	}
	return max(min(d, limit), retryDelay(err))
}
