package frontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

// Partition ownership. Every crawler process is a member of its pipeline's
// crawler group: it heartbeats the key "m.<id>" of the lease bucket, whose
// keys expire one TTL after their last write. Each frontier partition p is
// consumed only by the holder of the key "p.<p>": taken with Create, renewed
// with a compare-and-set Update on its revision every TTL/5, released with a
// Delete on its revision. A member aims at its fair share, ceil(partitions /
// live members): above it, it drains and hands back partitions; below it, it
// takes free ones. A member that cannot renew a lease for TTL/2 aborts the
// partition's work in flight, so it has stopped well before the key can
// expire and be taken by someone else.

// Lease events, reported to LeaseConfig.OnEvent and used as a bounded metric
// label.
const (
	LeaseAcquired = "acquired"
	LeaseReleased = "released"
	LeaseLost     = "lost"
)

// LeaseConfig configures RunLeases.
type LeaseConfig struct {
	// ID names this member in the group; unique per process. Default: random.
	ID string
	// Cooldown is waited between the end of a partition's work and the
	// release of its lease, so that the next owner's first request to a host
	// comes at least that long after ours. Set it to the largest host delay.
	Cooldown time.Duration
	// OnEvent, if set, is called on every lease event with the number of
	// partitions owned afterwards.
	OnEvent func(event string, owned int)
	Log     *slog.Logger
}

// PartitionFunc consumes frontier partition p. When stop ends it stops
// pulling and returns once the messages it holds are settled; when abort
// ends (the lease may be lost) work in flight must end at once. It may
// return early; the partition is then released and may be taken again.
type PartitionFunc func(stop, abort context.Context, p int)

type lease struct {
	p        int
	rev      uint64
	stop     context.CancelFunc
	abort    context.CancelFunc
	aborted  context.Context
	watchdog *time.Timer
	done     chan struct{}
	draining bool
	ended    time.Time // when done was first seen closed
}

type leaser struct {
	kv      jetstream.KeyValue
	cfg     LeaseConfig
	n       int
	ttl     time.Duration
	consume PartitionFunc
	owned   map[int]*lease
	wg      sync.WaitGroup // consume goroutines, lost ones included
}

// RunLeases makes this process a member of the crawler group of the
// pipeline named by names and runs consume for each partition it owns, until
// ctx ends; then it stops every partition, waits for their work to settle,
// hands the leases back and returns. It returns an error only when it cannot
// start; what it cannot hand back at the end expires with the lease TTL.
func RunLeases(ctx context.Context, js jetstream.JetStream, names trawler.Names, cfg LeaseConfig, consume PartitionFunc) error {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		cfg.ID = hex.EncodeToString(b[:])
	}
	kv, err := js.KeyValue(ctx, names.LeaseBucket())
	if err != nil {
		return fmt.Errorf("open lease bucket: %w", err)
	}
	st, err := kv.Status(ctx)
	if err != nil {
		return fmt.Errorf("lease bucket status: %w", err)
	}
	if st.TTL() <= 0 {
		return fmt.Errorf("lease bucket %s has no ttl", names.LeaseBucket())
	}
	n, err := natsutil.FrontierPartitions(ctx, js, names)
	if err != nil {
		return err
	}
	l := &leaser{kv: kv, cfg: cfg, n: n, ttl: st.TTL(), consume: consume, owned: map[int]*lease{}}
	cfg.Log.Info("crawler group joined", "member", cfg.ID, "partitions", n, "lease_ttl", l.ttl)
	t := time.NewTicker(l.ttl / 5)
	defer t.Stop()
	for {
		l.step(ctx)
		select {
		case <-ctx.Done():
			return l.shutdown(context.WithoutCancel(ctx))
		case <-t.C:
		}
	}
}

func memberKey(id string) string { return "m." + id }
func leaseKey(p int) string      { return "p." + strconv.Itoa(p) }

// step is one round: renew, heartbeat, hand back what was drained, then
// move towards the fair share, all within TTL/5 so that renewals keep their
// cadence. Renewals come first: a lease not renewed for TTL/2 is lost, a
// late heartbeat only delays a rebalance.
func (l *leaser) step(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, l.ttl/5)
	defer cancel()
	l.renew(ctx)
	if _, err := l.kv.Put(ctx, memberKey(l.cfg.ID), []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		l.cfg.Log.Warn("crawler heartbeat", "member", l.cfg.ID, "err", err)
	}
	l.reap(ctx)
	members, err := l.members(ctx)
	if err != nil {
		l.cfg.Log.Warn("list crawler members", "err", err)
		return
	}
	fair := (l.n + members - 1) / members
	active := 0
	for _, ls := range l.owned {
		if !ls.draining {
			active++
		}
	}
	// Above the fair share: drain the highest partitions.
	for p := l.n - 1; p >= 0 && active > fair; p-- {
		if ls := l.owned[p]; ls != nil && !ls.draining {
			ls.draining = true
			ls.stop()
			active--
		}
	}
	// Below it: take free partitions, starting at a member-specific offset
	// so that members joining together rarely race for the same keys.
	off := partitionOf(l.cfg.ID, l.n)
	for i := 0; i < l.n && active < fair && ctx.Err() == nil; i++ {
		p := (off + i) % l.n
		if l.owned[p] != nil {
			continue
		}
		rev, err := l.kv.Create(ctx, leaseKey(p), []byte(l.cfg.ID))
		if err != nil {
			if !errors.Is(err, jetstream.ErrKeyExists) {
				l.cfg.Log.Warn("take partition", "partition", p, "err", err)
			}
			continue
		}
		l.start(p, rev, time.Now())
		active++
	}
}

// start runs consume for a partition whose lease was written at sent.
func (l *leaser) start(p int, rev uint64, sent time.Time) {
	stopCtx, stop := context.WithCancel(context.Background())
	abortCtx, abort := context.WithCancel(context.Background())
	ls := &lease{p: p, rev: rev, stop: stop, abort: abort, aborted: abortCtx, done: make(chan struct{})}
	ls.watchdog = time.AfterFunc(l.ttl/2-time.Since(sent), func() { abort(); stop() })
	l.owned[p] = ls
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer close(ls.done)
		l.consume(stopCtx, abortCtx, p)
	}()
	l.event(LeaseAcquired, p)
}

func (l *leaser) event(ev string, p int) {
	// Acquiring and releasing are routine (32 of each at every start and
	// stop); losing a lease is not.
	lvl := slog.LevelDebug
	if ev == LeaseLost {
		lvl = slog.LevelWarn
	}
	l.cfg.Log.Log(context.Background(), lvl, "partition "+ev, "partition", p, "member", l.cfg.ID, "owned", len(l.owned))
	if l.cfg.OnEvent != nil {
		l.cfg.OnEvent(ev, len(l.owned))
	}
}

// renew extends every lease held, all at once: one round trip for the lot
// rather than one per partition, so a slow server costs a round trip of
// margin, not eight. A lease whose watchdog fired (no renewal for TTL/2) or
// whose revision moved on is lost: its work was aborted.
func (l *leaser) renew(ctx context.Context) {
	type renewal struct {
		ls   *lease
		sent time.Time
		rev  uint64
		err  error
	}
	var rs []*renewal
	var wg sync.WaitGroup
	for _, ls := range l.owned {
		r := &renewal{ls: ls}
		rs = append(rs, r)
		if ls.aborted.Err() != nil {
			continue
		}
		wg.Go(func() {
			r.sent = time.Now()
			r.rev, r.err = l.kv.Update(ctx, leaseKey(ls.p), []byte(l.cfg.ID), ls.rev)
			if casConflict(r.err) {
				// A renewal that timed out here may have been applied
				// there. Only this member writes its own ID, and never
				// re-creates a lease it holds: the key is still ours, so
				// renew it at the revision it is at.
				if e, err := l.kv.Get(ctx, leaseKey(ls.p)); err == nil && string(e.Value()) == l.cfg.ID {
					r.sent = time.Now()
					r.rev, r.err = l.kv.Update(ctx, leaseKey(ls.p), []byte(l.cfg.ID), e.Revision())
				}
			}
		})
	}
	wg.Wait()
	for _, r := range rs {
		ls := r.ls
		if ls.aborted.Err() == nil {
			if r.err == nil {
				if ls.watchdog.Stop() {
					ls.rev = r.rev
					ls.watchdog.Reset(l.ttl/2 - time.Since(r.sent))
					continue
				}
			} else if !casConflict(r.err) {
				l.cfg.Log.Warn("renew partition lease", "partition", ls.p, "err", r.err)
				continue // the watchdog decides
			}
		}
		ls.watchdog.Stop()
		ls.abort()
		ls.stop()
		delete(l.owned, ls.p)
		l.event(LeaseLost, ls.p)
	}
}

// reap releases the partitions whose work ended (drained on request, or
// returned by consume on its own) at least a cooldown ago.
func (l *leaser) reap(ctx context.Context) {
	now := time.Now()
	for p, ls := range l.owned {
		if !l.ended(ls, now) {
			continue
		}
		if !ls.draining {
			ls.draining = true
			l.cfg.Log.Warn("partition consumer ended", "partition", p)
		}
		if now.Sub(ls.ended) >= l.cfg.Cooldown {
			l.release(ctx, ls)
		}
	}
}

// ended reports whether ls's work is over, noting when it was first seen so.
func (l *leaser) ended(ls *lease, now time.Time) bool {
	select {
	case <-ls.done:
		if ls.ended.IsZero() {
			ls.ended = now
		}
		return true
	default:
		return false
	}
}

// release deletes the lease if it is still ours.
func (l *leaser) release(ctx context.Context, ls *lease) {
	ls.watchdog.Stop()
	ls.abort()
	ls.stop()
	delete(l.owned, ls.p)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.ttl/5)
	defer cancel()
	if err := l.kv.Delete(rctx, leaseKey(ls.p), jetstream.LastRevision(ls.rev)); err != nil {
		l.cfg.Log.Warn("release partition", "partition", ls.p, "err", err)
	}
	l.event(LeaseReleased, ls.p)
}

// members counts the live members, this one included.
func (l *leaser) members(ctx context.Context) (int, error) {
	lister, err := l.kv.ListKeysFiltered(ctx, "m.*")
	if err != nil {
		return 0, err
	}
	n, self := 0, false
	for k := range lister.Keys() {
		n++
		self = self || k == memberKey(l.cfg.ID)
	}
	if err := ctx.Err(); err != nil {
		// The lister ends its list early, without an error, when ctx
		// ends: a short count would make this member take too much.
		return 0, err
	}
	if !self {
		n++
	}
	return n, nil
}

// shutdown stops every partition, keeps renewing their leases while their
// work settles, then hands them back and leaves the group.
func (l *leaser) shutdown(ctx context.Context) error {
	for _, ls := range l.owned {
		ls.draining = true
		ls.stop()
	}
	// Reap often, so a stopped crawler hands its partitions over as soon as
	// their work has settled; renew only as often as in normal running.
	t := time.NewTicker(min(l.ttl/5, 10*time.Millisecond))
	defer t.Stop()
	var renewed time.Time
	for len(l.owned) > 0 {
		sctx, cancel := context.WithTimeout(ctx, l.ttl/5)
		if time.Since(renewed) >= l.ttl/5 {
			l.renew(sctx)
			renewed = time.Now()
		}
		l.reap(sctx)
		cancel()
		<-t.C
	}
	dctx, cancel := context.WithTimeout(ctx, l.ttl/5)
	defer cancel()
	if err := l.kv.Delete(dctx, memberKey(l.cfg.ID)); err != nil {
		// Not fatal: the heartbeat expires with the TTL.
		l.cfg.Log.Warn("leave crawler group", "member", l.cfg.ID, "err", err)
	}
	l.wg.Wait()
	l.cfg.Log.Info("crawler group left", "member", l.cfg.ID)
	return nil
}
