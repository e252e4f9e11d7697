package crawler

import (
	"context"
	"testing"
	"time"
)

// A zero HostDelay is no delay, not the default: the limiter grants a
// host's requests back to back, and a host rule can lift the delay of its
// host alone.
func TestZeroHostDelay(t *testing.T) {
	t.Parallel()
	// Far below DefaultHostDelay: a second request kept back for a delay
	// misses this deadline.
	const deadline = 500 * time.Millisecond
	tests := []struct {
		name string
		cfg  func(*Config)
	}{
		{"host delay 0", func(c *Config) { c.HostDelay = 0 }},
		{"host rule delay 0", func(c *Config) {
			c.HostDelay = time.Minute
			c.HostRules = map[string]HostRule{"example.com": {Delay: 0}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.cfg(&cfg)
			f := newTestFetcher(t, cfg)
			for i := range 3 {
				ctx, cancel := context.WithTimeout(context.Background(), deadline)
				release, err := f.limiter.acquire(ctx, "example.com:443", 0)
				cancel()
				if err != nil {
					t.Fatalf("request %d: %v: a zero delay must not space requests", i+1, err)
				}
				release()
			}
		})
	}
}

// Two fetches from one host with no delay start at once.
func TestFetchZeroHostDelay(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv := newServer(t, rec)
	cfg := testConfig()
	cfg.HostDelay = 0
	f := newTestFetcher(t, cfg)
	for range 2 {
		if _, err := fetch(t, f, srv.URL+"/"); err != nil {
			t.Fatal(err)
		}
	}
	starts := rec.sortedStarts()
	// The failure this guards against is a 1 s delay.
	if gap := starts[1].Sub(starts[0]); gap >= 500*time.Millisecond {
		t.Errorf("requests started %v apart with no host delay", gap)
	}
}
