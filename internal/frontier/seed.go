package frontier

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

// Outcomes the crawl stage records in a URL's seen entry.
const (
	// stateFetched marks a seed whose request was answered: a page, or a
	// redirect to a URL crawled on its own.
	stateFetched = "fetched"
	// stateFailed, followed by the outcome, marks a request whose last
	// attempt failed: refused for good, or dead-lettered.
	stateFailed = "failed "
)

// SeedResult is what EnqueueSeed did with a seed.
type SeedResult struct {
	// Enqueued reports that the seed was published to the frontier.
	Enqueued bool
	// Retry reports that it was enqueued again: its last attempt failed,
	// or the caller forced it.
	Retry bool
	// Last is the seed's state before: "" (never seen), "pending",
	// "queued" (waiting, in flight, or crawled as a link), "fetched",
	// "failed <outcome>", "redirect" (fetched through another URL's
	// redirect) or "over_budget".
	Last string
}

// EnqueueSeed publishes r, a request given by the user (a seed), unless it
// is queued or was fetched. Unlike Enqueue, it enqueues again a URL whose
// last attempt failed (see Failed), or dropped over its host's budget, and
// with force any URL not being enqueued right now. A request enqueued again
// carries a new Attempt, so that the frontier stream's duplicate window does
// not take it for the first one; a crashed enqueue of that attempt, resumed,
// publishes the same Attempt again and is dropped.
func (f *Frontier) EnqueueSeed(ctx context.Context, r trawler.CrawlRequest, force bool) (SeedResult, error) {
	ctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	key := Key(r.URL)
	owner := Key(r.Referrer)
	// Each lost race means another enqueuer changed the entry: look again.
	for range 10 {
		e, err := f.seen.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			rev, err := f.seen.Create(ctx, key, []byte(statePending+owner))
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue
			}
			if err != nil {
				return SeedResult{}, fmt.Errorf("mark %s seen: %w", r.URL, err)
			}
			return SeedResult{Enqueued: true}, f.publish(ctx, key, rev, r)
		}
		if err != nil {
			return SeedResult{}, fmt.Errorf("seen %s: %w", r.URL, err)
		}
		v := string(e.Value())
		res := SeedResult{Last: describe(v)}
		if strings.HasPrefix(v, statePending) {
			attempt, ok := resumable(e, owner)
			if !ok {
				return res, nil // its enqueuer is at work
			}
			r.Attempt = attempt
			return SeedResult{Enqueued: true, Retry: attempt != "", Last: res.Last}, f.publish(ctx, key, e.Revision(), r)
		}
		if !force && !strings.HasPrefix(v, stateFailed) && v != stateOverBudget && !strings.HasPrefix(v, stateForgotten) {
			return res, nil
		}
		// The revision of the entry replaced names the attempt: unique per
		// key, and the compare-and-set lets one enqueuer win it.
		attempt := strconv.FormatUint(e.Revision(), 10)
		rev, err := f.seen.Update(ctx, key, []byte(statePending+owner+" "+attempt), e.Revision())
		if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue
		}
		if err != nil {
			return res, fmt.Errorf("mark %s pending: %w", r.URL, err)
		}
		r.Attempt = attempt
		return SeedResult{Enqueued: true, Retry: true, Last: res.Last}, f.publish(ctx, key, rev, r)
	}
	return SeedResult{}, fmt.Errorf("enqueue seed %s: too much contention", r.URL)
}

// describe is a seen entry's state without the keys it holds.
func describe(v string) string {
	for _, p := range []string{statePending, stateRedirect, stateForgotten} {
		if strings.HasPrefix(v, p) {
			return strings.TrimSpace(p)
		}
	}
	return v
}

// Fetched records that the request for url (normalized) was answered, so
// that EnqueueSeed does not enqueue it again unless forced.
func (f *Frontier) Fetched(ctx context.Context, url string) error {
	return f.record(ctx, url, stateFetched)
}

// Failed records that the last attempt at url (normalized) failed with
// outcome, a short label, so that EnqueueSeed enqueues it again. Links to
// url stay duplicates: Enqueue only asks whether a URL was seen.
func (f *Frontier) Failed(ctx context.Context, url, outcome string) error {
	return f.record(ctx, url, stateFailed+outcome)
}

func (f *Frontier) record(ctx context.Context, url, state string) error {
	ctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	if _, err := f.seen.Put(ctx, Key(url), []byte(state)); err != nil {
		return fmt.Errorf("record %s %s: %w", url, state, err)
	}
	return nil
}
