package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

// Every bad flag of the issue is a usage error (exit 2) that names the flag
// and its value, found before anything starts: no --data directory, no
// log line (no NATS server, no crawler group).
func TestRunRefusesBadFlagsBeforeStarting(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		flag, value string
		want        []string // in the error, beside the flag and value
	}{
		{"--concurrency", "-1", []string{"at least 1"}},
		{"--host-parallelism", "0", []string{"at least 1"}},
		{"--parsers", "0", []string{"at least 1"}},
		{"--partitions", "0", []string{"between 1 and"}},
		{"--max-deliver", "0", []string{"at least 1"}},
		{"--request-timeout", "0s", []string{"positive"}},
		{"--host-delay", "-1s", []string{"negative"}},
		{"--lease-ttl", "1ms", []string{"at least 1s"}},
		{"--seed", "http//no-scheme", []string{"http:// or https://"}},
		{"--sink", "bogus:x", []string{"want jsonl or postgres"}},
		{"--sink", "jsonl:out/?rotate=lots", []string{"rotate"}},
		{"--stats-json", filepath.Join(notDir, "stats.json"), []string{"no directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.flag+" "+tt.value, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			var stderr testkit.LockedBuffer
			err := run(context.Background(), []string{"run", "--data", data, "--metrics-addr", "127.0.0.1:0", "--exit-when-idle", tt.flag, tt.value},
				env(), strings.NewReader(""), io.Discard, &stderr)
			if exitCode(err) != exitUsage {
				t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
			}
			for _, w := range append([]string{tt.flag, tt.value}, tt.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, serr := os.Stat(data); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("--data %s exists: something started", data)
			}
			if stderr.String() != "" {
				t.Errorf("logged before refusing:\n%s", stderr.String())
			}
		})
	}
}

// A --listen port in use and a sink that cannot be opened are reported as
// such, before the embedded server starts.
func TestRunChecksListenAndSinksFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"busy listen port", []string{"--listen", ln.Addr().String()}, []string{"--listen " + ln.Addr().String(), "address already in use"}},
		{"unwritable sink", []string{"--sink", "jsonl:" + filepath.Join(notDir, "a.jsonl")}, []string{"--sink jsonl:" + notDir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			stderr, err := runCmd(t, context.Background(), append([]string{"run", "--data", data, "--metrics-addr", "", "--exit-when-idle", "http://a.example/"}, tt.args...)...)
			if exitCode(err) != exitFailed {
				t.Fatalf("err = %v (exit %d), want exit 1", err, exitCode(err))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, serr := os.Stat(filepath.Join(data, "nats")); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("the embedded server started before the error")
			}
			if strings.Contains(stderr, "level=") {
				t.Errorf("logged before the error:\n%s", stderr)
			}
		})
	}
}

// Flags may follow positional arguments; after "--" all is positional.
func TestFlagsAfterArguments(t *testing.T) {
	cfg, err := parseConfig("seed", []string{"http://a.example/", "--nats", "nats://x:1", "http://b.example/", "--force"}, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.natsURL != "nats://x:1" || !cfg.force || fmt.Sprint(cfg.args) != "[http://a.example/ http://b.example/]" {
		t.Errorf("nats %q, force %v, args %q", cfg.natsURL, cfg.force, cfg.args)
	}
	cfg, err = parseConfig("dlq show", []string{"1", "--nats", "nats://y:1"}, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.natsURL != "nats://y:1" || fmt.Sprint(cfg.args) != "[1]" {
		t.Errorf("dlq show 1 --nats: nats %q, args %q", cfg.natsURL, cfg.args)
	}
	cfg, err = parseConfig("extract", []string{"a.html", "--", "--url", "-"}, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.extract.pageURL != "" || fmt.Sprint(cfg.args) != "[a.html --url -]" {
		t.Errorf("after --: url %q, args %q", cfg.extract.pageURL, cfg.args)
	}
}

// run exits 1 when it could fetch nothing at all, and says why.
func TestRunExitsOneWhenNothingIsFetched(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"404", []string{"--allow-private"}, "not_found 2"},
		{"blocked", nil, "--allow-private fetches them"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--data", t.TempDir(), "--exit-when-idle", "--host-delay", "0", "--metrics-addr", "",
				srv.URL + "/a", srv.URL + "/b"}, tt.args...)
			stderr, err := runCmd(t, context.Background(), args...)
			if exitCode(err) != exitFailed || !strings.Contains(err.Error(), "nothing could be fetched") {
				t.Fatalf("err = %v (exit %d), want exit 1, nothing could be fetched\n%s", err, exitCode(err), stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("the summary does not say %q:\n%s", tt.want, stderr)
			}
		})
	}
}

// hitCounter counts requests to a site.
type hitCounter struct {
	h    http.Handler
	mu   sync.Mutex
	hits int
}

func (c *hitCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	c.h.ServeHTTP(w, r)
}

func (c *hitCounter) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// run stopped by SIGINT or SIGTERM with work queued exits 130 or 143, says
// what is still queued and that the same command resumes it.
func TestRunInterruptedWithWorkQueued(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, 130, "SIGINT"}} { // SIGTERM: TestExitCodes
		t.Run(tt.name, func(t *testing.T) {
			site := &hitCounter{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write([]byte(seedArticle))
			})}
			srv := httptest.NewServer(site)
			defer srv.Close()
			// One host, an hour between requests: after the first seed,
			// the other two wait in the frontier.
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			var stderr testkit.LockedBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"run", "--data", t.TempDir(), "--allow-private", "--ignore-robots", "--host-delay", "1h", "--metrics-addr", "",
					srv.URL + "/1", srv.URL + "/2", srv.URL + "/3"}, env(), strings.NewReader(""), io.Discard, &stderr)
			}()
			testkit.WaitFor(t, 30*time.Second, "the first seed fetched", func() bool { return site.Hits() > 0 })
			cancel(signalCause{tt.sig})
			err := <-done
			if exitCode(err) != tt.code {
				t.Fatalf("err = %v (exit %d), want %d\n%s", err, exitCode(err), tt.code, stderr.String())
			}
			msg := err.Error()
			for _, w := range []string{"interrupted by " + tt.name, "URLs", "still queued", "run the same command to resume"} {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, " 0 URLs") {
				t.Errorf("%q: two seeds were queued", msg)
			}
		})
	}
}

// The summary counts URLs once each (not attempts), retries apart, and
// each sink's articles apart; --stats-json writes the same.
func TestRunSummaryCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	// Three articles, each its own body (the same body on one site is an
	// alias of the first).
	article := func(title, word string) string {
		return strings.ReplaceAll(strings.ReplaceAll(seedArticle, "Harbour reopens", title), "harbour", word)
	}
	var mu sync.Mutex
	flaky := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>News</title></head><body><ul>
<li><a href="/a">Harbour</a></li><li><a href="/b">Bridge</a></li><li><a href="/flaky">Tunnel</a></li>
<li><a href="/missing">Gone</a></li><li><a href="/private/x">Private</a></li></ul></body></html>`)
	})
	for path, title := range map[string][2]string{"/a": {"Harbour reopens", "harbour"}, "/b": {"Bridge repainted", "bridge"}} {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, article(title[0], title[1]))
		})
	}
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		flaky++
		first := flaky == 1
		mu.Unlock()
		if first {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, article("Tunnel dug", "tunnel"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	one, two := filepath.Join(dir, "one.jsonl"), filepath.Join(dir, "two.jsonl")
	statsFile := filepath.Join(dir, "stats.json")
	stderr, err := runCmd(t, context.Background(), "run", "--data", filepath.Join(dir, "data"), "--exit-when-idle", "--allow-private",
		"--host-delay", "0", "--metrics-addr", "", "--sink", "jsonl:"+one, "--sink", "jsonl:"+two, "--stats-json", statsFile, "--listen", "127.0.0.1:0", srv.URL+"/")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	for _, w := range []string{
		"6 URLs (ok 4, not_found 1, robots 1)",
		"7 fetch attempts, 1 retries",
		"jsonl:" + one + ": 3 articles written",
		"jsonl:" + two + ": 3 articles written",
		"3 articles published",
		"0 dead letters",
		// Read from the streams, so remote workers' pages count too.
		"all workers, remote ones included: 4 pages fetched, 3 articles published",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("the summary does not say %q:\n%s", w, stderr)
		}
	}
	if line := logLine(stderr, "msg=retrying"); !strings.Contains(line, "url="+srv.URL+"/flaky") {
		t.Errorf("the retry's log %q does not carry url=", line)
	}
	for _, p := range []string{one, two} {
		if arts, err := sink.ReadJSONL(p); err != nil || len(arts) != 3 {
			t.Errorf("%s: %d articles (%v), want 3", p, len(arts), err)
		}
	}

	data, err := os.ReadFile(statsFile)
	if err != nil {
		t.Fatal(err)
	}
	var st stats
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("%s: %v\n%s", statsFile, err, data)
	}
	if st.URLs != 6 || st.URLsByOutcome["ok"] != 4 || st.URLsByOutcome["not_found"] != 1 || st.URLsByOutcome["robots"] != 1 ||
		st.URLsByStatus["2xx"] != 4 || st.URLsByStatus["4xx"] != 1 {
		t.Errorf("stats: URLs %d %v %v", st.URLs, st.URLsByOutcome, st.URLsByStatus)
	}
	if st.Attempts != 7 || st.Retries != 1 || st.ArticlesPublished != 3 || st.PagesFetched != 4 || st.DeadLetters != 0 {
		t.Errorf("stats: attempts %d, retries %d, articles %d, pages %d, dead letters %d", st.Attempts, st.Retries, st.ArticlesPublished, st.PagesFetched, st.DeadLetters)
	}
	if len(st.Sinks) != 2 || st.Sinks[0].Written != 3 || st.Sinks[1].Written != 3 {
		t.Errorf("stats: sinks %+v", st.Sinks)
	}
	if st.FinishReason != "finished" || st.ExitStatus != 0 || st.ElapsedSecs <= 0 || st.URLsPerSecond <= 0 || st.Queued != (queuedStats{}) {
		t.Errorf("stats: finish %q, exit %d, elapsed %v, rate %v, queued %+v", st.FinishReason, st.ExitStatus, st.ElapsedSecs, st.URLsPerSecond, st.Queued)
	}
}

// run --strict exits 3 when the crawl left dead letters.
func TestRunStrictDeadLetters(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, seedArticle)
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, strict := range []bool{false, true} {
		args := []string{"run", "--data", t.TempDir(), "--exit-when-idle", "--allow-private", "--ignore-robots", "--host-delay", "0",
			"--max-deliver", "1", "--metrics-addr", "", srv.URL + "/", srv.URL + "/down"}
		want := exitOK
		if strict {
			args, want = append(args, "--strict"), exitDeadLetters
		}
		stderr, err := runCmd(t, context.Background(), args...)
		if exitCode(err) != want {
			t.Fatalf("strict %v: err = %v (exit %d), want %d\n%s", strict, err, exitCode(err), want, stderr)
		}
		if !strings.Contains(stderr, "1 dead letters (crawl 1)") {
			t.Errorf("the summary does not count the dead letter:\n%s", stderr)
		}
		if line := logLine(stderr, `msg="dead letter"`); !strings.Contains(line, "url="+srv.URL+"/down") {
			t.Errorf("the dead letter's log %q does not carry url=:\n%s", line, stderr)
		}
	}
}

// A run resumed after a kill -9 says why it waits: the messages the dead
// process held come back after the ack wait.
func TestAnnounceRedeliveries(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: trawler.DefaultNamespace}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	var logs testkit.LockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	announceRedeliveries(ctx, js, names, time.Minute, log)
	if logs.String() != "" {
		t.Fatalf("announced redeliveries with nothing held:\n%s", logs.String())
	}
	// A parser takes a page and dies without settling it.
	if _, err := js.Publish(ctx, names.PagesSubject(), []byte("page")); err != nil {
		t.Fatal(err)
	}
	cons, err := js.Consumer(ctx, names.PagesStream(), natsutil.ParseConsumer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cons.Next(); err != nil {
		t.Fatal(err)
	}
	announceRedeliveries(ctx, js, names, time.Minute, log)
	if got := logs.String(); !strings.Contains(got, "redelivered once their ack wait has passed") || !strings.Contains(got, "messages=1") || !strings.Contains(got, "ack_wait=1m0s") {
		t.Errorf("announcement: %q", got)
	}
}

// logLine is the first line of logs that contains s.
func logLine(logs, s string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{usageError{error: errors.New("bad")}, 2},
		{fmt.Errorf("run: %w", &exitError{code: exitDeadLetters, err: errors.New("dead letters")}), 3},
		{&interruptedError{sig: os.Interrupt}, 130},
		{&interruptedError{sig: syscall.SIGTERM}, 143},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
