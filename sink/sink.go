// Package sink persists articles. Delivery from the pipeline is at least
// once; a sink makes what users see exactly once.
package sink

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/trawler/trawler"
)

// Sink stores batches of articles durably.
type Sink interface {
	// Write stores the batch durably before it returns nil; the caller acks
	// the batch only then. A non-nil error means none of the batch may be
	// counted as stored: the caller retries it.
	Write(ctx context.Context, batch []trawler.Article) error
	// Close flushes and releases the sink.
	Close() error
}

// ErrInvalid marks an article a sink refuses to store; retrying cannot help.
var ErrInvalid = errors.New("invalid article")

// Open returns the sink described by spec: "jsonl:PATH".
func Open(spec string) (Sink, error) {
	kind, arg, ok := strings.Cut(spec, ":")
	if !ok {
		return nil, fmt.Errorf("sink %q: want KIND:ARG, e.g. jsonl:articles.jsonl", spec)
	}
	switch kind {
	case "jsonl":
		return OpenJSONL(arg)
	default:
		return nil, fmt.Errorf("sink %q: unknown kind %q (supported: jsonl)", spec, kind)
	}
}

// Validate rejects articles no sink should store.
func Validate(a *trawler.Article) error {
	switch {
	case a.URL == "":
		return fmt.Errorf("%w: no url", ErrInvalid)
	case a.PageType != trawler.PageArticle:
		return fmt.Errorf("%w: page type %q", ErrInvalid, a.PageType)
	}
	return nil
}
