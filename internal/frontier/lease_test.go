package frontier

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
)

func TestPartition(t *testing.T) {
	const n = 32
	same := [][2]string{
		{"http://example.com/a", "https://www.example.com/b"},
		{"http://news.example.co.uk/", "http://example.co.uk/x?y=1"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/z"},
		{"http://example.com:80/", "http://example.com/"},
	}
	for _, p := range same {
		if Partition(p[0], n) != Partition(p[1], n) {
			t.Errorf("%s and %s in different partitions", p[0], p[1])
		}
		a, _ := url.Parse(p[0])
		b, _ := url.Parse(p[1])
		if !SamePartition(a, b) {
			t.Errorf("SamePartition(%s, %s) = false", p[0], p[1])
		}
	}
	a, _ := url.Parse("http://127.0.0.1:8080/")
	b, _ := url.Parse("http://127.0.0.1:8081/")
	if SamePartition(a, b) {
		t.Error("two ports of one address share a partition key; they are two budgets")
	}
	// The hash spreads hosts over the partitions.
	used := map[int]bool{}
	for i := range 200 {
		used[Partition(fmt.Sprintf("http://site%d.example/", i), n)] = true
	}
	if len(used) < n*3/4 {
		t.Errorf("200 hosts use %d of %d partitions", len(used), n)
	}
}

// ownership tracks who runs which partition, and fails on any overlap.
type ownership struct {
	t       *testing.T
	mu      sync.Mutex
	running map[int]string
}

func (o *ownership) consume(id string) PartitionFunc {
	return func(stop, abort context.Context, p int) {
		o.mu.Lock()
		if other, ok := o.running[p]; ok {
			o.t.Errorf("partition %d run by %s and %s at once", p, other, id)
		}
		o.running[p] = id
		o.mu.Unlock()
		select {
		case <-stop.Done():
		case <-abort.Done():
		}
		time.Sleep(20 * time.Millisecond) // settling the messages held
		o.mu.Lock()
		delete(o.running, p)
		o.mu.Unlock()
	}
}

func (o *ownership) counts() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := map[string]int{}
	for _, id := range o.running {
		out[id]++
	}
	return out
}

// Members joining and leaving share the partitions fairly, and a partition
// is never consumed by two members at once.
func TestLeasesRebalance(t *testing.T) {
	if testing.Short() {
		t.Skip("lease rebalancing")
	}
	srv := natstest.Start(t)
	names := trawler.Names{NS: "lease"}
	_, js := srv.Connect(t)
	topo := natsutil.Topology{Partitions: 6, LeaseTTL: time.Second}
	if err := natsutil.Setup(context.Background(), js, names, topo); err != nil {
		t.Fatal(err)
	}
	own := &ownership{t: t, running: map[int]string{}}
	type member struct {
		cancel context.CancelFunc
		done   chan error
	}
	join := func(id string) member {
		_, js := srv.Connect(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- RunLeases(ctx, js, names, LeaseConfig{ID: id, Cooldown: 10 * time.Millisecond, Log: natstest.Discard()}, own.consume(id))
		}()
		return member{cancel, done}
	}
	settle := func(want map[string]int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			got := own.counts()
			if fmt.Sprint(got) == fmt.Sprint(want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("ownership %v, want %v", got, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	a := join("a")
	settle(map[string]int{"a": 6})
	b := join("b")
	c := join("c")
	settle(map[string]int{"a": 2, "b": 2, "c": 2})
	b.cancel()
	if err := <-b.done; err != nil {
		t.Fatalf("b left: %v", err)
	}
	settle(map[string]int{"a": 3, "c": 3})
	a.cancel()
	c.cancel()
	for _, m := range []member{a, c} {
		if err := <-m.done; err != nil {
			t.Fatal(err)
		}
	}
	settle(map[string]int{})
}

// A member cut off from NATS aborts its partitions before their leases
// expire, so the member that takes them over never overlaps with it.
func TestLeaseLostIsAbortedBeforeTakeover(t *testing.T) {
	if testing.Short() {
		t.Skip("lease expiry")
	}
	srv := natstest.Start(t)
	names := trawler.Names{NS: "lost"}
	_, js := srv.Connect(t)
	topo := natsutil.Topology{Partitions: 4, LeaseTTL: time.Second}
	if err := natsutil.Setup(context.Background(), js, names, topo); err != nil {
		t.Fatal(err)
	}
	own := &ownership{t: t, running: map[int]string{}}
	run := func(id string) (context.CancelFunc, chan error, func()) {
		nc, js := srv.Connect(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- RunLeases(ctx, js, names, LeaseConfig{ID: id, Log: natstest.Discard()}, own.consume(id))
		}()
		return cancel, done, nc.Close
	}
	cancelX, doneX, cut := run("x")
	waitCounts(t, own, map[string]int{"x": 4})
	cut()
	cancelY, doneY, _ := run("y")
	waitCounts(t, own, map[string]int{"y": 4})
	cancelX()
	cancelY()
	<-doneX // x cannot hand back what it lost: its error does not matter
	if err := <-doneY; err != nil {
		t.Fatal(err)
	}
}

func waitCounts(t *testing.T, own *ownership, want map[string]int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for fmt.Sprint(own.counts()) != fmt.Sprint(want) {
		if time.Now().After(deadline) {
			t.Fatalf("ownership %v, want %v", own.counts(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A renewal the server applied but the member saw fail (its deadline passed
// on the way back) leaves the key at a revision the member does not know.
// The key still names the member, so it keeps the partition instead of
// aborting its work and orphaning the lease until it expires.
func TestLeaseRenewalAppliedButUnseen(t *testing.T) {
	srv := natstest.Start(t)
	names := trawler.Names{NS: "unseen"}
	_, js := srv.Connect(t)
	topo := natsutil.Topology{Partitions: 2, LeaseTTL: time.Second}
	if err := natsutil.Setup(context.Background(), js, names, topo); err != nil {
		t.Fatal(err)
	}
	own := &ownership{t: t, running: map[int]string{}}
	var mu sync.Mutex
	events := map[string]int{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- RunLeases(ctx, js, names, LeaseConfig{ID: "m", Log: natstest.Discard(), OnEvent: func(ev string, _ int) {
			mu.Lock()
			events[ev]++
			mu.Unlock()
		}}, own.consume("m"))
	}()
	waitCounts(t, own, map[string]int{"m": 2})
	kv, err := js.KeyValue(ctx, names.LeaseBucket())
	if err != nil {
		t.Fatal(err)
	}
	// The unseen renewal: same value, next revision.
	for p := range 2 {
		if _, err := kv.Put(ctx, leaseKey(p), []byte("m")); err != nil {
			t.Fatal(err)
		}
	}
	// Several rounds of renewal (every TTL/5) on the moved revisions.
	time.Sleep(time.Second)
	if got := own.counts(); got["m"] != 2 {
		t.Errorf("ownership %v after the unseen renewal, want m holding both", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if events[LeaseLost] != 0 || events[LeaseAcquired] != 2 {
		t.Errorf("lease events %v, want 2 acquired and none lost", events)
	}
}
