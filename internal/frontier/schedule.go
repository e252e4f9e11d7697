package frontier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/wire"
)

// Revisit schedule. Feeds, sitemaps and hubs are fetched again on an
// adaptive schedule kept in the KV bucket <NS>_SCHEDULE, one entry per URL
// with its due time, its interval and the validators of the last visit. A
// visit that shows new links halves the interval, one that does not (or a 304
// Not Modified) doubles it, within [Min, Max]. Any number of schedulers may
// run: a due entry is claimed with a compare-and-set Update that moves its
// due time one interval on, and only the winner enqueues the revisit. A
// revisit bypasses URL dedup (the URL was seen long ago); the links it finds
// go through dedup as usual, so only new articles are fetched.

// Revisit interval bounds of a zero RevisitConfig, which the trawler
// command's flags show.
const (
	// DefaultRevisitMin is the shortest interval between two visits of a
	// feed, sitemap or hub.
	DefaultRevisitMin = 5 * time.Minute
	// DefaultRevisitMax is the longest interval between two visits of a
	// feed, sitemap or hub.
	DefaultRevisitMax = 6 * time.Hour
)

// RevisitConfig bounds the revisit intervals. The zero value gives the
// defaults.
type RevisitConfig struct {
	Min, Max time.Duration // interval bounds (default DefaultRevisitMin, DefaultRevisitMax)
	Initial  time.Duration // interval after the first visit (default 15m, clamped to [Min, Max])
	Tick     time.Duration // how often due entries are looked for (default Min/10, at most 10s)
}

func (c RevisitConfig) withDefaults() RevisitConfig {
	if c.Min <= 0 {
		c.Min = DefaultRevisitMin
	}
	if c.Max < c.Min {
		c.Max = max(DefaultRevisitMax, c.Min)
	}
	if c.Initial <= 0 {
		c.Initial = 15 * time.Minute
	}
	c.Initial = min(max(c.Initial, c.Min), c.Max)
	if c.Tick <= 0 {
		c.Tick = min(c.Min/10, 10*time.Second)
	}
	return c
}

// entry is the value of a schedule key.
type entry struct {
	URL          string        `json:"url"`
	Depth        int           `json:"depth"`
	Interval     time.Duration `json:"interval"`
	Due          time.Time     `json:"due"`
	ETag         string        `json:"etag,omitempty"`
	LastModified string        `json:"last_modified,omitempty"`
}

// Schedule records and enqueues revisits.
type Schedule struct {
	kv  jetstream.KeyValue
	cfg RevisitConfig
}

// OpenSchedule opens the revisit schedule of the pipeline named by names.
func OpenSchedule(ctx context.Context, js jetstream.JetStream, names trawler.Names, cfg RevisitConfig) (*Schedule, error) {
	kv, err := js.KeyValue(ctx, names.ScheduleBucket())
	if err != nil {
		return nil, fmt.Errorf("open schedule bucket: %w", err)
	}
	return &Schedule{kv: kv, cfg: cfg.withDefaults()}, nil
}

// Visited records a visit of a feed or hub that found newLinks links not
// seen before, with the validators of its response, and schedules the next.
func (s *Schedule) Visited(ctx context.Context, p trawler.Page, newLinks int) error {
	return s.update(ctx, p.URL, func(e *entry, found bool) {
		switch {
		case !found:
			e.Interval = s.cfg.Initial
		case newLinks > 0:
			e.Interval /= 2
		default:
			e.Interval *= 2
		}
		e.URL, e.Depth = p.URL, p.Depth
		e.ETag, e.LastModified = p.ETag, p.LastModified
	})
}

// Forget removes url's entry: it is revisited no more, until a visit
// schedules it again.
func (s *Schedule) Forget(ctx context.Context, url string) error {
	if err := s.kv.Delete(ctx, Key(url)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("forget revisit of %s: %w", url, err)
	}
	return nil
}

// NotModified records a revisit answered 304 and schedules the next, later.
func (s *Schedule) NotModified(ctx context.Context, url string) error {
	return s.update(ctx, url, func(e *entry, found bool) {
		if found {
			e.Interval *= 2
		}
	})
}

// update applies f to url's entry (a new one when absent), clamps its
// interval and sets its due time, retrying on concurrent writes.
func (s *Schedule) update(ctx context.Context, url string, f func(e *entry, found bool)) error {
	key := Key(url)
	for range 5 {
		var e entry
		var rev uint64
		kve, err := s.kv.Get(ctx, key)
		found := err == nil
		switch {
		case found:
			rev = kve.Revision()
			if json.Unmarshal(kve.Value(), &e) != nil {
				found = false
			}
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return fmt.Errorf("schedule %s: %w", url, err)
		}
		if !found && e.URL == "" {
			e.URL = url
		}
		f(&e, found)
		if e.URL == "" { // NotModified of an unscheduled URL
			return nil
		}
		e.Interval = min(max(e.Interval, s.cfg.Min), s.cfg.Max)
		e.Due = time.Now().Add(e.Interval).UTC()
		data, _ := json.Marshal(e) // plain fields: never fails
		if rev == 0 {
			_, err = s.kv.Create(ctx, key, data)
		} else {
			_, err = s.kv.Update(ctx, key, data, rev)
		}
		if err == nil || !casConflict(err) {
			if err != nil {
				return fmt.Errorf("schedule %s: %w", url, err)
			}
			return nil
		}
	}
	return fmt.Errorf("schedule %s: too many concurrent updates", url)
}

// Run enqueues revisits as they fall due, until ctx ends. It watches the
// bucket, so its memory follows the number of scheduled feeds and hubs.
func (s *Schedule) Run(ctx context.Context, fr *Frontier, log *slog.Logger, revisited func()) error {
	w, err := s.kv.WatchAll(ctx)
	if err != nil {
		return fmt.Errorf("watch schedule: %w", err)
	}
	defer func() { _ = w.Stop() }()
	var mu sync.Mutex
	due := map[string]time.Time{}
	go func() {
		for kve := range w.Updates() {
			if kve == nil {
				continue
			}
			mu.Lock()
			var e entry
			if kve.Operation() != jetstream.KeyValuePut || json.Unmarshal(kve.Value(), &e) != nil {
				delete(due, kve.Key())
			} else {
				due[kve.Key()] = e.Due
			}
			mu.Unlock()
		}
	}()
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := time.Now()
		var keys []string
		mu.Lock()
		for k, d := range due {
			if !d.After(now) {
				keys = append(keys, k)
			}
		}
		mu.Unlock()
		for _, k := range keys {
			ok, err := s.claim(ctx, fr, k, now)
			if err != nil {
				log.Warn("revisit", "err", err)
			} else if ok && revisited != nil {
				revisited()
			}
		}
	}
}

// claim moves a due entry's due time one interval on and, if this scheduler
// won the compare-and-set, enqueues the revisit.
func (s *Schedule) claim(ctx context.Context, fr *Frontier, key string, now time.Time) (bool, error) {
	kve, err := s.kv.Get(ctx, key)
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("schedule entry: %w", err)
	}
	var e entry
	if err := json.Unmarshal(kve.Value(), &e); err != nil || e.Due.After(now) {
		return false, nil
	}
	visit := e.Due.UTC().Format(time.RFC3339Nano)
	next := e
	next.Due = now.Add(e.Interval).UTC()
	data, _ := json.Marshal(next)
	if _, err := s.kv.Update(ctx, key, data, kve.Revision()); err != nil {
		if casConflict(err) {
			return false, nil // another scheduler claimed it
		}
		return false, fmt.Errorf("claim revisit of %s: %w", e.URL, err)
	}
	req := trawler.CrawlRequest{URL: e.URL, Depth: e.Depth, Revisit: visit, ETag: e.ETag, LastModified: e.LastModified}
	msg, err := wire.CrawlRequestMsg(fr.Subject(e.URL), req)
	if err != nil {
		return false, err
	}
	if _, err := fr.js.PublishMsg(ctx, msg); err != nil {
		return false, fmt.Errorf("enqueue revisit of %s: %w", e.URL, err)
	}
	return true, nil
}
