package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler/internal/natstest"
)

func TestFlagsFromEnvironment(t *testing.T) {
	getenv := env(
		"TRAWLER_HOST_DELAY", "2s",
		"TRAWLER_MAX_DEPTH", "7",
		"TRAWLER_SEED", "http://a.example/, http://b.example/",
		"TRAWLER_ALLOW_PRIVATE", "true",
		"TRAWLER_USER_AGENT", "from-env",
	)
	cfg, err := parseConfig("run", []string{"--max-depth", "2", "--sink", "jsonl:x"}, getenv, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := cfg.stages.Fetcher; f.HostDelay != 2*time.Second || !f.AllowPrivate || f.UserAgent != "from-env" {
		t.Errorf("environment not applied: %+v", f)
	}
	if cfg.stages.MaxDepth != 2 {
		t.Errorf("max-depth = %d: the command line must win over TRAWLER_MAX_DEPTH", cfg.stages.MaxDepth)
	}
	if len(cfg.seeds) != 2 || cfg.seeds[1] != "http://b.example/" {
		t.Errorf("seeds from a comma-separated variable = %q", cfg.seeds)
	}
	if len(cfg.stages.Sinks) != 1 || cfg.stages.Sinks[0] != "jsonl:x" {
		t.Errorf("sinks = %q", cfg.stages.Sinks)
	}

	if _, err := parseConfig("run", nil, env("TRAWLER_MAX_DEPTH", "deep"), io.Discard, nil); err == nil || !strings.Contains(err.Error(), "TRAWLER_MAX_DEPTH") {
		t.Errorf("a bad variable must be reported by name, got %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"run", "--no-such-flag"}, 2},
		{[]string{"run", "-h"}, 2},
		{[]string{"sink", "--nats", "nats://127.0.0.1:1"}, 2}, // no --sink
		{[]string{"seed"}, 2},
		{[]string{"extract"}, 2},
		{[]string{"run", "--log-format", "xml"}, 2},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, env(), strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || exitCode(err) != tt.code {
			t.Errorf("run %q: err=%v code=%d, want code %d", tt.args, err, exitCode(err), tt.code)
		}
	}
	if err := run(context.Background(), []string{"run", "-h"}, env(), nil, io.Discard, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, env(), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range commandList {
		if !strings.Contains(out.String(), "  "+c+" ") {
			t.Errorf("trawler help does not list %s", c)
		}
	}
	if strings.Contains(out.String(), "-host-delay") {
		t.Errorf("plain trawler help lists flags; it should list commands only:\n%s", out.String())
	}
	all := ""
	for _, c := range commandList {
		out.Reset()
		if err := run(context.Background(), append([]string{"help"}, strings.Fields(c)...), env(), nil, &out, io.Discard); err != nil {
			t.Fatalf("help %s: %v", c, err)
		}
		if !strings.Contains(out.String(), "Usage: trawler ") {
			t.Errorf("help %s has no synopsis:\n%s", c, out.String())
		}
		if _, ok := commandFlags[c]; ok && !strings.Contains(out.String(), "Examples:") {
			t.Errorf("help %s has no examples:\n%s", c, out.String())
		}
		all += out.String()
	}
	for _, f := range []string{"seed", "sink", "max-depth", "allow-domain", "allow-private", "host-delay",
		"host-parallelism", "concurrency", "user-agent", "metrics-addr", "log-format", "data", "listen",
		"exit-when-idle", "nats", "namespace", "strict", "stats-json"} {
		if !strings.Contains(all, "-"+f) {
			t.Errorf("no command's help documents --%s", f)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"help", "crawl"}, env(), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "-host-delay") || strings.Contains(out.String(), "-exit-when-idle") {
		t.Errorf("help crawl shows the wrong flags:\n%s", out.String())
	}
}

// A mistake on the command line is reported once, with a one-line hint,
// not with the whole usage.
func TestBadFlagReportedOnce(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"run", "--no-such-flag"}, env(), nil, io.Discard, &stderr)
	printError(&stderr, err)
	got := stderr.String()
	if n := strings.Count(got, "no-such-flag"); n != 1 {
		t.Errorf("the error appears %d times:\n%s", n, got)
	}
	if strings.Contains(got, "-host-delay") || !strings.Contains(got, "trawler help run") {
		t.Errorf("want the error and a hint to trawler help run, not the usage:\n%s", got)
	}
	if lines := strings.Count(got, "\n"); lines != 2 {
		t.Errorf("%d lines, want 2:\n%s", lines, got)
	}
}

func TestServeOps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := newRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "trawler_test_total", Help: "test"})
	reg.MustRegister(c)
	c.Add(3)
	var connected atomic.Bool
	addr, err := serveOps(ctx, "127.0.0.1:0", reg, func() error {
		if !connected.Load() {
			return errors.New("nats: CONNECTING")
		}
		return nil
	}, natstest.Discard())
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "trawler_test_total 3") || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if code, _ := get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while not connected: %d", code)
	}
	connected.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz while connected: %d", code)
	}
}

// --allow-port takes comma-separated lists, repeated or from
// TRAWLER_ALLOW_PORT, and refuses what is not a TCP port before anything
// starts.
func TestAllowPortFlag(t *testing.T) {
	cfg, err := parseConfig("crawl", []string{"--allow-port", "80, 8080", "--allow-port", "443"}, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(cfg.stages.Fetcher.AllowPorts); got != "[80 8080 443]" {
		t.Errorf("ports %s, want [80 8080 443]", got)
	}
	cfg, err = parseConfig("crawl", nil, env("TRAWLER_ALLOW_PORT", "8443,9443"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(cfg.stages.Fetcher.AllowPorts); got != "[8443 9443]" {
		t.Errorf("ports from the environment %s, want [8443 9443]", got)
	}
	for _, bad := range []string{"0", "65536", "http", "80,", "-1"} {
		err := runBefore(t, "crawl", []string{"--allow-port", bad}, env())
		if !strings.Contains(err.Error(), "allow-port") {
			t.Errorf("--allow-port %q: %v, want an error naming the flag", bad, err)
		}
	}
}
