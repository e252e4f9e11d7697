package crawler

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a server that notes when each request starts and how many
// are in flight at once, holding each request for hold.
type recorder struct {
	hold time.Duration

	mu          sync.Mutex
	starts      []time.Time
	inflight    int
	maxInflight int
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.starts = append(rec.starts, time.Now())
	rec.inflight++
	rec.maxInflight = max(rec.maxInflight, rec.inflight)
	rec.mu.Unlock()
	time.Sleep(rec.hold)
	rec.mu.Lock()
	rec.inflight--
	rec.mu.Unlock()
	page("text/html", htmlPage)(w, r)
}

func (rec *recorder) sortedStarts() []time.Time {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	s := slices.Clone(rec.starts)
	slices.SortFunc(s, time.Time.Compare)
	return s
}

func TestFetchHostDelayAndParallelism(t *testing.T) {
	t.Parallel()
	const (
		delay = 100 * time.Millisecond
		// Held longer than two delays: spacing alone would let a third
		// request start while two are in flight, so only the parallelism
		// cap keeps the server at two.
		hold = 300 * time.Millisecond
		// Starts are recorded as requests leave the fetcher, just after
		// the limiter's grant; the scheduling in between is allowed for.
		jitter = 25 * time.Millisecond
	)
	a, b := &recorder{hold: hold}, &recorder{hold: hold}
	srvA, srvB := newServer(t, a), newServer(t, b) // same host, different ports
	urlA, urlB := srvA.URL+"/a", srvB.URL+"/b"
	var wire wireLog
	cfg := wire.watch(testConfig())
	cfg.HostDelay = delay
	cfg.HostParallelism = 2
	f := newTestFetcher(t, cfg)

	var wg sync.WaitGroup
	run := func(u string) {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), u); err != nil {
				t.Errorf("Fetch(%s): %v", u, err)
			}
		})
	}
	for range 6 {
		run(urlA)
	}
	for range 2 {
		run(urlB)
	}
	wg.Wait()

	startsA, startsB := wire.startsOf(urlA), wire.startsOf(urlB)
	servedA, servedB := a.sortedStarts(), b.sortedStarts()
	if len(startsA) != 6 || len(startsB) != 2 || len(servedA) != 6 || len(servedB) != 2 {
		t.Fatalf("requests: %d sent to A, %d to B; %d served by A, %d by B",
			len(startsA), len(startsB), len(servedA), len(servedB))
	}
	for _, s := range [][]time.Time{startsA, startsB} {
		for i := 1; i < len(s); i++ {
			if gap := s[i].Sub(s[i-1]); gap < delay-jitter {
				t.Errorf("requests %d and %d to one host started %v apart, want >= %v", i-1, i, gap, delay)
			}
		}
	}
	// The server's view: it never holds more than two at once, and the
	// third request reached it only after one of the first two had been
	// held and answered (exact on the server's clock: that answer came
	// before the third request was sent).
	if a.maxInflight != 2 {
		t.Errorf("max in flight at A = %d, want 2 (the cap, and reached)", a.maxInflight)
	}
	if gap := servedA[2].Sub(servedA[0]); gap < hold {
		t.Errorf("third request reached A %v after the first, want >= %v (hold)", gap, hold)
	}
	// B has its own budget: it did not queue behind A's six requests.
	if !startsB[0].Before(startsA[1]) {
		t.Errorf("first request to B started at +%v, after A's second at +%v",
			startsB[0].Sub(startsA[0]), startsA[1].Sub(startsA[0]))
	}
}

func TestHostLimiterWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	l := testLimiter(time.Hour, 1)
	release, err := l.acquire(context.Background(), "h:80", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx, "h:80", 0); !errors.Is(err, ErrThrottled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("acquire past deadline = %v, want ErrThrottled and DeadlineExceeded", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	if _, err := l.acquire(ctx, "h:80", 0); !errors.Is(err, context.Canceled) || errors.Is(err, ErrThrottled) {
		t.Errorf("acquire canceled = %v, want context.Canceled", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.hosts["h:80"].waiters); n != 0 {
		t.Errorf("%d waiters left behind", n)
	}
}

func TestHostLimiterForgetsIdleHosts(t *testing.T) {
	t.Parallel()
	const delay = 5 * time.Millisecond
	l := testLimiter(delay, 2)
	for _, h := range []string{"a:80", "b:80", "c:443"} {
		release, err := l.acquire(context.Background(), h, 0)
		if err != nil {
			t.Fatal(err)
		}
		release()
		release() // idempotent
	}
	if n := l.size(); n != 3 {
		t.Fatalf("size = %d, want 3", n)
	}
	time.Sleep(2 * delay)
	release, err := l.acquire(context.Background(), "d:80", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if n := l.size(); n != 1 {
		t.Errorf("size after idle hosts expired = %d, want 1", n)
	}
}

func TestHostLimiterServesInArrivalOrder(t *testing.T) {
	t.Parallel()
	l := testLimiter(time.Millisecond, 1)
	release, err := l.acquire(context.Background(), "h:80", 0)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		order []int
		wg    sync.WaitGroup
	)
	for i := range 5 {
		wg.Go(func() {
			rel, err := l.acquire(context.Background(), "h:80", 0)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			rel()
		})
		for queued := 0; queued != i+1; { // let waiter i queue before starting i+1
			time.Sleep(time.Millisecond)
			l.mu.Lock()
			queued = len(l.hosts["h:80"].waiters)
			l.mu.Unlock()
		}
	}
	release()
	wg.Wait()
	if !slices.Equal(order, []int{0, 1, 2, 3, 4}) {
		t.Errorf("served in order %v", order)
	}
}

func TestHostKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://Example.com/x":      "example.com:80",
		"https://example.com/x":     "example.com:443",
		"https://example.com:443/x": "example.com:443",
		"http://127.0.0.1:8080/":    "127.0.0.1:8080",
		"http://[::1]:8080/":        "[::1]:8080",
	} {
		u, _ := url.Parse(in)
		if got := hostKey(u); got != want {
			t.Errorf("hostKey(%s) = %s, want %s", in, got, want)
		}
	}
}

func testLimiter(delay time.Duration, parallel int) *hostLimiter {
	return newHostLimiter(budgets{def: budget{delay: delay, parallel: parallel}}, 0, 0, slog.New(slog.DiscardHandler))
}
