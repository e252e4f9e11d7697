// Package frontier enqueues crawl requests exactly once across the cluster
// and across restarts, and holds the crawl's scope.
//
// First sight of a URL is recorded in a JetStream KV bucket, never in process
// memory. The protocol survives a crash between recording and publishing:
//
//  1. Create(key, "pending <owner>") — only one enqueuer wins; the owner is
//     the page the link was found on;
//  2. the winner publishes the request with Nats-Msg-Id = key;
//  3. then Put(key, "queued").
//
// An enqueuer that finds "queued" skips the URL. One that finds "pending"
// publishes again when it is the owner (the same page redelivered after its
// worker failed between steps 1 and 3) or when the entry is stale; otherwise
// the winner is at work and the URL is a duplicate. A second publish within
// the stream's duplicate window is dropped by JetStream.
package frontier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/wire"
)

const (
	statePending = "pending "
	stateQueued  = "queued"
	// stateRedirect marks a URL reached through a redirect by its owner.
	stateRedirect = "redirect "
	// staleAfter is when a pending entry's owner is presumed dead. It is
	// shorter than the stages' AckWait, so the owner's redelivered page
	// always finds its entry stale or its own.
	staleAfter = 30 * time.Second
)

// Frontier publishes crawl requests, deduplicated.
type Frontier struct {
	js      jetstream.JetStream
	seen    jetstream.KeyValue
	subject string
}

// New opens the frontier of the pipeline named by names. natsutil.Setup must
// have declared its stream and bucket.
func New(ctx context.Context, js jetstream.JetStream, names trawler.Names) (*Frontier, error) {
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		return nil, fmt.Errorf("open seen bucket: %w", err)
	}
	return &Frontier{js: js, seen: kv, subject: names.FrontierSubject()}, nil
}

// Enqueue publishes r unless its URL (already normalized) was enqueued
// before. It reports whether r was new.
func (f *Frontier) Enqueue(ctx context.Context, r trawler.CrawlRequest) (bool, error) {
	key := Key(r.URL)
	pending := statePending + Key(r.Referrer)
	_, err := f.seen.Create(ctx, key, []byte(pending))
	switch {
	case err == nil:
	case errors.Is(err, jetstream.ErrKeyExists):
		e, gerr := f.seen.Get(ctx, key)
		if gerr != nil {
			return false, fmt.Errorf("seen %s: %w", r.URL, gerr)
		}
		v := string(e.Value())
		if v != pending && (!strings.HasPrefix(v, statePending) || time.Since(e.Created()) < staleAfter) {
			return false, nil
		}
	default:
		return false, fmt.Errorf("mark %s seen: %w", r.URL, err)
	}
	msg, err := wire.CrawlRequestMsg(f.subject, r)
	if err != nil {
		return false, err
	}
	if _, err := f.js.PublishMsg(ctx, msg); err != nil {
		return false, fmt.Errorf("enqueue %s: %w", r.URL, err)
	}
	if _, err := f.seen.Put(ctx, key, []byte(stateQueued)); err != nil {
		return false, fmt.Errorf("mark %s queued: %w", r.URL, err)
	}
	return true, nil
}

// Claim records first sight of url, reached by following a redirect from
// owner, so that links to it found later are duplicates. It reports false
// when url was seen before, unless owner itself claimed it (the same
// request retried).
func (f *Frontier) Claim(ctx context.Context, url, owner string) (bool, error) {
	key := Key(url)
	mine := stateRedirect + Key(owner)
	_, err := f.seen.Create(ctx, key, []byte(mine))
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return false, fmt.Errorf("claim %s: %w", url, err)
	}
	e, err := f.seen.Get(ctx, key)
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", url, err)
	}
	return string(e.Value()) == mine, nil
}

// Forget removes a URL's first-sight record, so that it can be enqueued again.
func (f *Frontier) Forget(ctx context.Context, url string) error {
	if err := f.seen.Delete(ctx, Key(url)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("forget %s: %w", url, err)
	}
	return nil
}

// Key is the bucket key of a normalized URL: KV keys allow a narrow alphabet
// and a bounded length, URLs neither.
func Key(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:16])
}
