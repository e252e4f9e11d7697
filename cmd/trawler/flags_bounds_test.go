package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/trawler/trawler/crawler"
)

// A numeric flag whose value means nothing is a usage error that names the
// flag; nothing is silently replaced by a default.
func TestFlagBounds(t *testing.T) {
	const nats = "nats://127.0.0.1:1" // never dialled: the flags are refused first
	tests := []struct {
		flag string
		args []string
		env  []string
	}{
		{"--host-delay", []string{"crawl", "--nats", nats, "--host-delay", "-1s"}, nil},
		{"--host-parallelism", []string{"crawl", "--nats", nats, "--host-parallelism", "0"}, nil},
		{"--host-parallelism", []string{"run", "--host-parallelism", "-2"}, nil},
		{"--concurrency", []string{"run", "--concurrency", "0"}, nil},
		{"--concurrency", []string{"crawl", "--nats", nats}, []string{"TRAWLER_CONCURRENCY", "0"}},
		{"--request-timeout", []string{"crawl", "--nats", nats, "--request-timeout", "0"}, nil},
		{"--max-body-size", []string{"run", "--max-body-size", "0"}, nil},
		{"--max-body-size", []string{"parse", "--nats", nats, "--max-body-size", "0"}, nil},
		{"--max-body-size", []string{"extract", "--max-body-size", "0", "page.html"}, nil},
		{"--parsers", []string{"parse", "--nats", nats, "--parsers", "0"}, nil},
		{"--parsers", []string{"run", "--parsers", "-1"}, nil},
		{"--max-depth", []string{"run", "--max-depth", "-1"}, nil},
		{"--max-pages-per-host", []string{"parse", "--nats", nats, "--max-pages-per-host", "-1"}, nil},
		{"--max-pages-backlog", []string{"crawl", "--nats", nats, "--max-pages-backlog", "-1"}, nil},
		{"--max-deliver", []string{"sink", "--nats", nats, "--sink", "jsonl:x", "--max-deliver", "0"}, nil},
		{"--max-deliver", []string{"seed", "--nats", nats, "--max-deliver", "0", "http://example.com/"}, nil},
		{"--replicas", []string{"run", "--replicas", "0"}, nil},
		{"--partitions", []string{"crawl", "--nats", nats, "--partitions", "0"}, nil},
		{"--partitions", []string{"seed", "--nats", nats, "--partitions", "5000", "http://example.com/"}, nil},
		{"--lease-ttl", []string{"crawl", "--nats", nats, "--lease-ttl", "0"}, nil},
		{"--ack-wait", []string{"parse", "--nats", nats, "--ack-wait", "0"}, nil},
		{"--revisit-min", []string{"crawl", "--nats", nats, "--revisit-min", "0"}, nil},
		{"--revisit-max", []string{"run", "--revisit-min", "1h", "--revisit-max", "30m"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := tt.args
			if args[0] == "run" { // were it accepted, a short run in a scratch directory
				args = append(args[:len(args):len(args)], "--data", t.TempDir(), "--exit-when-idle", "--metrics-addr", "")
			}
			var stderr strings.Builder
			err := run(context.Background(), args, env(tt.env...), strings.NewReader(""), io.Discard, &stderr)
			if err == nil {
				t.Fatalf("accepted\n%s", stderr.String())
			}
			if !strings.Contains(err.Error(), tt.flag+" ") || exitCode(err) != 2 {
				t.Errorf("err = %q (exit %d), want a usage error naming %s", err, exitCode(err), tt.flag)
			}
		})
	}
}

// Zero is a value where it means something: no host delay, seeds only, no
// page budget, no pages backlog bound. --host-delay 0 reaches the fetcher as no delay.
func TestFlagZeroMeansZero(t *testing.T) {
	cfg, err := parseConfig("run", []string{"--host-delay", "0", "--max-depth", "0", "--max-pages-per-host", "0", "--max-pages-backlog", "0",
		"--host-rule", "a.example=parallelism:1", "--host-rule", "b.example=delay:0s"}, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	fcfg := cfg.stages.Fetcher
	if fcfg.HostDelay != 0 {
		t.Errorf("fetcher HostDelay = %v, want 0", fcfg.HostDelay)
	}
	// A rule's part left out is the flags' budget, not the library's.
	if r := fcfg.HostRules["a.example"]; r.Delay != 0 || r.Parallelism != 1 {
		t.Errorf("rule a.example = %+v, want no delay (--host-delay 0)", r)
	}
	f, err := crawler.NewFetcher(fcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.CloseIdleConnections()
	if d := f.MaxHostDelay(); d != 0 {
		t.Errorf("fetcher delay = %v, want 0", d)
	}
	if n := cfg.nodeConfig(true, true, nil, nil); n.MaxDepth != 0 || n.HostPageBudget != 0 || n.MaxPagesBacklog >= 0 {
		t.Errorf("node config = max depth %d, page budget %d, pages backlog %d (want no bound: negative)", n.MaxDepth, n.HostPageBudget, n.MaxPagesBacklog)
	}

	// Unset, every flag carries its real default.
	cfg, err = parseConfig("run", nil, env(), io.Discard, nil)
	if err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	if fcfg := cfg.stages.Fetcher; fcfg.HostDelay != crawler.DefaultHostDelay || fcfg.HostParallelism != crawler.DefaultHostParallelism {
		t.Errorf("default budget = %v, %d", fcfg.HostDelay, fcfg.HostParallelism)
	}
	if cfg.stages.ParseConcurrency < 1 {
		t.Errorf("--parsers defaults to %d", cfg.stages.ParseConcurrency)
	}
}
