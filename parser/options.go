package parser

import (
	"errors"
	"fmt"
	"time"
)

// DefaultMaxPageBytes is the largest page Parse accepts unless told
// otherwise: 10 MiB, the crawler's default body limit
// (crawler.DefaultMaxBodySize, the --max-body-size flag), so that every
// page the crawler takes is parsed whole.
const DefaultMaxPageBytes = 10 << 20

// ErrTooLarge is wrapped, with ErrUnparsable, by the error Parse returns
// for a page larger than its limit (DefaultMaxPageBytes, or
// WithMaxPageBytes). Such a page is refused whole, never parsed in part:
// the same bytes fail the same way, so do not retry it; raise the limit or
// leave the page out.
var ErrTooLarge = errors.New("page too large")

// Option configures Parse.
type Option func(*options)

type options struct {
	maxPageBytes int64
	deadline     time.Time // zero: none (see WithDeadline)
}

// WithMaxPageBytes sets the largest page body, in bytes, that Parse
// accepts; a larger one fails with ErrTooLarge. Zero or less means
// DefaultMaxPageBytes. Give the parse stage the crawler's body limit.
func WithMaxPageBytes(n int64) Option {
	return func(o *options) {
		if n > 0 {
			o.maxPageBytes = n
		}
	}
}

func newOptions(opts []Option) options {
	o := options{maxPageBytes: DefaultMaxPageBytes}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// checkSize refuses a body over the limit.
func (o options) checkSize(body []byte) error {
	if int64(len(body)) > o.maxPageBytes {
		return fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, len(body), o.maxPageBytes)
	}
	return nil
}
