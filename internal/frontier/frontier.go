// Package frontier enqueues crawl requests exactly once across the cluster
// and across restarts, and holds the crawl's scope.
//
// First sight of a URL is recorded in a JetStream KV bucket; a process only
// remembers, bounded and for a while, which URLs it found settled there (see
// settled). The protocol survives a crash between recording and publishing:
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
//
// The crawl stage records in the same entry how a seed's request ended
// ("fetched", "failed <outcome>"), so that a seed given again is retried
// when it failed (see EnqueueSeed); links only ever ask whether a URL was
// seen.
package frontier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
)

const (
	// statePending is followed by the owner's key and, for a seed enqueued
	// again, by the attempt (see EnqueueSeed).
	statePending = "pending "
	stateQueued  = "queued"
	// stateRedirect marks a URL reached through a redirect by its owner.
	stateRedirect = "redirect "
	// stateOverBudget marks a URL dropped because its host's page budget
	// was used up.
	stateOverBudget = "over_budget"
	// stateForgotten (with the attempt its next request is published
	// under) is a URL reset by Forget: the next enqueue takes it as new.
	stateForgotten = "forgotten "
	// staleAfter is when a pending entry's owner is presumed dead. It is
	// shorter than the stages' AckWait, so the owner's redelivered page
	// always finds its entry stale or its own.
	staleAfter = 30 * time.Second
)

// Frontier publishes crawl requests, deduplicated, each to the partition of
// its URL (see Partition).
type Frontier struct {
	js         jetstream.JetStream
	seen       jetstream.KeyValue
	names      trawler.Names
	partitions int
	hostBudget int
	maxQueued  uint64
	settled    *settled // links' answers this process need not ask again

	mu       sync.Mutex
	queued   uint64    // the frontier stream's size, as last read
	queuedAt time.Time // when
}

// Option configures a Frontier.
type Option func(*Frontier)

// WithHostBudget caps the URLs enqueued per host at n across the cluster
// (0: no cap). The count lives in the seen bucket, so it survives restarts.
func WithHostBudget(n int) Option { return func(f *Frontier) { f.hostBudget = n } }

// WithMaxQueued caps the requests queued in the frontier at about n across
// the cluster (0: no cap): Enqueue refuses new URLs while the frontier
// stream holds n or more. The stream is read at most once a second, and
// this process counts its own enqueues in between, so other processes'
// enqueues of the last second may pass the cap.
func WithMaxQueued(n uint64) Option { return func(f *Frontier) { f.maxQueued = n } }

// ErrFrontierFull is returned by Enqueue while the frontier holds its cap of
// requests (WithMaxQueued). The URL is not recorded as seen: a link to it
// found once the frontier has drained enqueues it. Count it, do not retry.
var ErrFrontierFull = errors.New("frontier full")

// ErrOverBudget is returned by Enqueue for a URL whose host has used its
// page budget (WithHostBudget). The URL is recorded as seen and dropped:
// count it, do not retry.
var ErrOverBudget = errors.New("host page budget used up")

// New opens the frontier of the pipeline named by names. natsutil.Setup must
// have declared its stream and bucket.
func New(ctx context.Context, js jetstream.JetStream, names trawler.Names, opts ...Option) (*Frontier, error) {
	kv, err := js.KeyValue(ctx, names.SeenBucket())
	if err != nil {
		return nil, fmt.Errorf("open seen bucket: %w", err)
	}
	n, err := natsutil.FrontierPartitions(ctx, js, names)
	if err != nil {
		return nil, err
	}
	f := &Frontier{js: js, seen: kv, names: names, partitions: n, settled: newSettled(settledMax, settledTTL)}
	for _, o := range opts {
		o(f)
	}
	return f, nil
}

// Partitions returns the number of frontier partitions.
func (f *Frontier) Partitions() int { return f.partitions }

// Subject returns the partition subject a request for rawURL goes to.
func (f *Frontier) Subject(rawURL string) string {
	return f.names.FrontierPartitionSubject(Partition(rawURL, f.partitions))
}

// Enqueue publishes r unless its URL (already normalized) was enqueued
// before. It reports whether r was new.
func (f *Frontier) Enqueue(ctx context.Context, r trawler.CrawlRequest) (bool, error) {
	sum := keySum(r.URL)
	if f.settled.has(sum) {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	if err := f.checkQueued(ctx); err != nil {
		return false, err
	}
	key := hex.EncodeToString(sum[:])
	pending := statePending + Key(r.Referrer)
	rev, err := f.seen.Create(ctx, key, []byte(pending))
	switch {
	case err == nil:
	case errors.Is(err, jetstream.ErrKeyExists):
		e, gerr := f.seen.Get(ctx, key)
		if gerr != nil {
			return false, fmt.Errorf("seen %s: %w", r.URL, gerr)
		}
		if attempt, ok := strings.CutPrefix(string(e.Value()), stateForgotten); ok {
			// Reset by Forget: new again, under a fresh message id (the
			// stream's duplicate window still knows the old one).
			rev, err = f.seen.Update(ctx, key, []byte(pending+" "+attempt), e.Revision())
			if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
				return false, nil // another enqueuer won it
			}
			if err != nil {
				return false, fmt.Errorf("mark %s seen: %w", r.URL, err)
			}
			r.Attempt = attempt
			break
		}
		attempt, ok := resumable(e, Key(r.Referrer))
		if !ok {
			if settles(e.Value()) {
				f.settled.add(sum)
			}
			return false, nil
		}
		r.Attempt, rev = attempt, e.Revision()
	default:
		return false, fmt.Errorf("mark %s seen: %w", r.URL, err)
	}
	if f.hostBudget > 0 {
		if err := f.takeHostSlot(ctx, r.URL); err != nil {
			if errors.Is(err, ErrOverBudget) {
				if _, perr := f.seen.Put(ctx, key, []byte(stateOverBudget)); perr != nil {
					return false, fmt.Errorf("mark %s over budget: %w", r.URL, perr)
				}
				f.settled.add(sum)
			}
			return false, err
		}
	}
	if err := f.publish(ctx, key, rev, r); err != nil {
		return false, err
	}
	f.settled.add(sum)
	if f.maxQueued > 0 {
		f.mu.Lock()
		f.queued++ // ours, until the next read counts everyone's
		f.mu.Unlock()
	}
	return true, nil
}

// settles reports whether an entry's value settles a link to its URL: it
// is neither pending (its owner may publish again) nor forgotten.
func settles(v []byte) bool {
	s := string(v)
	return !strings.HasPrefix(s, statePending) && !strings.HasPrefix(s, stateForgotten)
}

// resumable reports whether the enqueuer owning a pending entry e may
// publish its request (again): it is the entry's owner, or the entry is
// stale. It returns the attempt the entry names, so that the request is
// published under the same message id as by the enqueuer that wrote it.
func resumable(e jetstream.KeyValueEntry, owner string) (attempt string, ok bool) {
	v, isPending := strings.CutPrefix(string(e.Value()), statePending)
	if !isPending {
		return "", false
	}
	o, attempt, _ := strings.Cut(v, " ")
	return attempt, o == owner || time.Since(e.Created()) >= staleAfter
}

// publish sends r to its partition and marks its entry (key, at the
// revision of the pending state) queued, unless the entry changed since: a
// crawler may have fetched the request already and recorded its outcome
// (see Fetched), or another enqueuer taken over a stale entry.
func (f *Frontier) publish(ctx context.Context, key string, rev uint64, r trawler.CrawlRequest) error {
	msg, err := wire.CrawlRequestMsg(f.Subject(r.URL), r)
	if err != nil {
		return err
	}
	if _, err := f.js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("enqueue %s: %w", r.URL, err)
	}
	_, err = f.seen.Update(ctx, key, []byte(stateQueued), rev)
	if err != nil && !errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return fmt.Errorf("mark %s queued: %w", r.URL, err)
	}
	return nil
}

// casConflict reports whether a KV Create or Update lost a race: another
// writer got there first. A replicated bucket reports an Update's conflict
// as ErrKeyRevisionMismatch only, a single server's as ErrKeyExists too.
func casConflict(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch)
}

// checkQueued returns ErrFrontierFull while the frontier holds its cap.
func (f *Frontier) checkQueued(ctx context.Context) error {
	if f.maxQueued == 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if time.Since(f.queuedAt) >= time.Second {
		s, err := f.js.Stream(ctx, f.names.FrontierStream())
		if err != nil {
			return fmt.Errorf("frontier size: %w", err)
		}
		f.queued, f.queuedAt = s.CachedInfo().State.Msgs, time.Now()
	}
	if f.queued >= f.maxQueued {
		return fmt.Errorf("%w: %d requests queued (cap %d)", ErrFrontierFull, f.queued, f.maxQueued)
	}
	return nil
}

// takeHostSlot counts one more URL against its host's budget, or returns
// ErrOverBudget. A redelivered page may count a URL twice: the budget is a
// bound, not an exact count.
func (f *Frontier) takeHostSlot(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	key := "host." + Key(strings.ToLower(u.Host))
	for range 50 {
		e, err := f.seen.Get(ctx, key)
		n, rev := 0, uint64(0)
		switch {
		case err == nil:
			n, _ = strconv.Atoi(string(e.Value()))
			rev = e.Revision()
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return fmt.Errorf("host budget of %s: %w", u.Host, err)
		}
		if n >= f.hostBudget {
			return fmt.Errorf("%w: %s (%d)", ErrOverBudget, u.Host, f.hostBudget)
		}
		v := []byte(strconv.Itoa(n + 1))
		if rev == 0 {
			_, err = f.seen.Create(ctx, key, v)
		} else {
			_, err = f.seen.Update(ctx, key, v, rev)
		}
		if err == nil {
			return nil
		}
		if !casConflict(err) {
			return fmt.Errorf("host budget of %s: %w", u.Host, err)
		}
	}
	return fmt.Errorf("host budget of %s: too much contention", u.Host)
}

// Claim records first sight of url, reached by following a redirect from
// owner, so that links to it found later are duplicates. It reports false
// when url was seen before, unless owner itself claimed it (the same
// request retried).
func (f *Frontier) Claim(ctx context.Context, url, owner string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
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

// Forget resets a URL's first-sight record, so that it is enqueued again
// as new. The record is kept, marked forgotten, rather than deleted: it
// names the attempt the next request is published under, so that the
// stream's duplicate window does not take that request for the last one.
func (f *Frontier) Forget(ctx context.Context, url string) error {
	f.settled.drop(keySum(url))
	key := Key(url)
	for range 10 {
		e, err := f.seen.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil // never seen
		}
		if err != nil {
			return fmt.Errorf("forget %s: %w", url, err)
		}
		if strings.HasPrefix(string(e.Value()), stateForgotten) {
			return nil
		}
		attempt := strconv.FormatUint(e.Revision(), 10)
		_, err = f.seen.Update(ctx, key, []byte(stateForgotten+attempt), e.Revision())
		if errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue
		}
		if err != nil {
			return fmt.Errorf("forget %s: %w", url, err)
		}
		return nil
	}
	return fmt.Errorf("forget %s: too much contention", url)
}

// Key is the bucket key of a normalized URL: KV keys allow a narrow alphabet
// and a bounded length, URLs neither.
func Key(url string) string {
	sum := keySum(url)
	return hex.EncodeToString(sum[:])
}

// keyLen is the bytes of a URL's hash that its Key spells.
const keyLen = 16

func keySum(url string) [keyLen]byte {
	sum := sha256.Sum256([]byte(url))
	return [keyLen]byte(sum[:keyLen])
}
