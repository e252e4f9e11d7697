package deploy

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// The container tests run the images of `make image` (deploy/podman/image)
// with podman: `make container-test` sets TRAWLER_CONTAINER_TEST=1 (CI sets
// it to "require", which fails rather than skips where podman cannot run a
// container) and CONTAINERS_CONF. Plain `go test` skips them.

const (
	trawlerImage = "localhost/trawler:dev"
	natsImage    = "localhost/trawler-nats:dev"
)

// needPodman skips the test unless the container tests were asked for, and
// where podman cannot run the image at all (unless they are required).
func needPodman(t *testing.T) {
	t.Helper()
	mode := os.Getenv("TRAWLER_CONTAINER_TEST")
	if mode == "" {
		t.Skip("container test: run it with make container-test (TRAWLER_CONTAINER_TEST=1)")
	}
	out, err := exec.Command("podman", "run", "--rm", "--network", "host", trawlerImage, "version").CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("podman cannot run %s here: %v\n%s", trawlerImage, err, out)
		if mode == "require" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// podman runs a podman command and returns its trimmed output.
func podman(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("podman", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// dataDir is a host folder for a container's /data, writable by the
// image's user 65532.
func dataDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	if err := os.Chmod(d, 0o777); err != nil {
		t.Fatal(err)
	}
	return d
}

// container is one `podman run` of the test cluster, as compose would run
// one replica of a service.
type container struct {
	name    string // podman's container name
	service string // compose service it stands for
	image   string
	args    []string // podman run options before the image
	cmd     []string
	grace   time.Duration
	metrics string // host:port of its probes, "" for none
}

func (c container) start(t *testing.T) {
	t.Helper()
	args := append([]string{"run", "-d", "--name", c.name, "--network", "host", "--stop-timeout", strconv.Itoa(int(c.grace.Seconds()))}, c.args...)
	args = append(append(args, c.image), c.cmd...)
	podman(t, args...)
}

// trawlerContainers turns compose.yaml's trawler service name into one
// container per replica, with its command, environment and hardening
// (read_only, tmpfs, cap_drop, security_opt, stop_grace_period). env
// overrides compose's values where the test cluster differs from compose's
// (one NATS server on the host's network, the test's site and database).
func trawlerContainers(t *testing.T, prefix, name string, svc any, env map[string]string) []container {
	t.Helper()
	replicas := 1
	if r, ok := get(svc, "deploy", "replicas").(int); ok {
		replicas = r
	}
	grace, err := time.ParseDuration(str(get(svc, "stop_grace_period")))
	if err != nil {
		t.Fatalf("compose service %s: stop_grace_period: %v", name, err)
	}
	var opts []string
	if get(svc, "read_only") == true {
		opts = append(opts, "--read-only")
	}
	for _, m := range list(get(svc, "tmpfs")) {
		opts = append(opts, "--tmpfs", str(m))
	}
	for _, c := range list(get(svc, "cap_drop")) {
		opts = append(opts, "--cap-drop", str(c))
	}
	for _, s := range list(get(svc, "security_opt")) {
		opts = append(opts, "--security-opt", str(s))
	}
	vars := map[string]string{}
	if m, ok := get(svc, "environment").(map[string]any); ok {
		for k, v := range m {
			vars[k] = interpolate(str(v))
		}
	}
	var cmd []string
	for _, c := range list(get(svc, "command")) {
		cmd = append(cmd, str(c))
	}
	var out []container
	for i := 1; i <= replicas; i++ {
		c := container{name: fmt.Sprintf("%s-%s-%d", prefix, name, i), service: name, image: trawlerImage, cmd: cmd, grace: grace}
		e := map[string]string{}
		for k, v := range vars {
			e[k] = v
		}
		for k, v := range env {
			e[k] = v
		}
		port := testkit.FreePort(t)
		c.metrics = fmt.Sprintf("127.0.0.1:%d", port)
		e["TRAWLER_METRICS_ADDR"] = c.metrics
		c.args = append([]string{}, opts...)
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range e {
				if !yield(k) {
					return
				}
			}
		}) {
			c.args = append(c.args, "-e", k+"="+e[k])
		}
		out = append(out, c)
	}
	return out
}

// TestContainerCluster runs compose.yaml's pipeline in real containers with
// host networking: NATS with JetStream (the image built here, one server
// for compose's three), compose's crawl, parse and sink services with their
// replicas, settings and hardening, and a second, JSONL sink; the
// PostgreSQL sink writes to the machine's PostgreSQL. A parser is killed
// and restarted mid-crawl; every expected article must arrive exactly once
// in both sinks, and podman stop must drain every stage.
func TestContainerCluster(t *testing.T) {
	needPodman(t)
	services := composeServices(t)

	// compose.yaml's services and what this test runs for each: a service
	// added to compose.yaml fails here until the test says how it runs.
	substituted := map[string]string{
		"nats-1":     "one NATS container of " + natsImage,
		"nats-2":     "one NATS container of " + natsImage,
		"nats-3":     "one NATS container of " + natsImage,
		"postgres":   "the machine's PostgreSQL (TRAWLER_TEST_POSTGRES)",
		"seed":       "run once with podman run --rm",
		"prometheus": "not run: its image comes from a public registry",
		"grafana":    "not run: its image comes from a public registry",
	}
	run := []string{"crawl", "parse", "sink"}
	for n := range services {
		if _, ok := substituted[n]; !ok && !slices.Contains(run, n) {
			t.Errorf("compose.yaml service %s is not run by the container test", n)
		}
	}
	for _, n := range append(slices.Collect(func(yield func(string) bool) {
		for n := range substituted {
			if !yield(n) {
				return
			}
		}
	}), run...) {
		if _, ok := services[n]; !ok {
			t.Errorf("the container test stands in for service %s, which compose.yaml no longer has", n)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// A schema of the test's own, dropped when it ends.
	pgDSN := sinktest.PostgresSchema(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgDSN)
	if err != nil {
		t.Fatalf("PostgreSQL for the test (TRAWLER_TEST_POSTGRES): %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })

	// The parser is killed mid-crawl: the gate holds every article after
	// the first few until the parser has been killed and restarted, so
	// that however fast the machine, the crawl cannot end first.
	site := sitetest.New()
	site.SlowDelay = 100 * time.Millisecond
	gate := newArticleGate(site, 6)
	srv := httptest.NewServer(gate)
	t.Cleanup(srv.Close)
	t.Cleanup(gate.release) // before srv.Close: held requests must end

	prefix := fmt.Sprintf("trawler-ct-%d", os.Getpid())
	var all []container
	t.Cleanup(func() {
		for _, c := range all {
			if t.Failed() {
				saveLogs(t, c.name)
			}
			exec.Command("podman", "rm", "-f", "-t", "0", c.name).Run()
		}
	})

	// NATS with JetStream; this machine may have its own on 4222.
	natsPort := testkit.FreePort(t)
	natsURL := fmt.Sprintf("nats://127.0.0.1:%d", natsPort)
	natsData := dataDir(t)
	// nats/nats.conf's settings for one server: TLS, a user per stage with
	// its permissions, JetStream in /data with storage caps; no cluster.
	secured := newSecuredNATS(t, natsPort)
	natsC := container{name: prefix + "-nats", service: "nats-1", image: natsImage, grace: 30 * time.Second,
		args: []string{"--read-only", "-v", natsData + ":/data", "-v", secured.confDir + ":/etc/nats:ro"},
		cmd:  []string{"-c", "/etc/nats/nats.conf"}}
	all = append(all, natsC)
	natsC.start(t)
	nc := connectNATS(t, natsURL, nats.UserInfo("admin", secured.passwords["admin"]),
		nats.RootCAs(filepath.Join(secured.caDir, "ca.pem")))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}

	// Where the test cluster differs from compose.yaml.
	env := map[string]string{
		"TRAWLER_NATS":          natsURL,
		"TRAWLER_REPLICAS":      "1",                               // one NATS server
		"TRAWLER_HOST_DELAY":    "100ms",                           // compose's 1s is for real sites
		"TRAWLER_MAX_DEPTH":     strconv.Itoa(sitetest.CrawlDepth), // the site's expectations
		"TRAWLER_ALLOW_PRIVATE": "true",                            // the site is on 127.0.0.1
	}
	jsonlData := dataDir(t)
	var workers []container
	for _, n := range run {
		e := maps.Clone(env)
		if n == "sink" {
			e["TRAWLER_SINK"] = pgDSN
		}
		workers = append(workers, trawlerContainers(t, prefix, n, services[n], e)...)
	}
	jsonlSpec := "jsonl:/data/articles.jsonl"
	js1 := trawlerContainers(t, prefix, "sink-jsonl", services["sink"], mapsWith(env, "TRAWLER_SINK", jsonlSpec))
	js1[0].args = append(js1[0].args, "-v", jsonlData+":/data")
	workers = append(workers, js1...)
	for i, c := range workers {
		// Each joins as its stage's user, as compose's env_file says.
		user := env2(c, "TRAWLER_NATS_USER")
		if user == "" {
			t.Fatalf("compose service %s names no NATS user", c.service)
		}
		c.args = append(c.args, secured.clientArgs(user)...)
		workers[i] = c
		all = append(all, c)
		c.start(t)
	}

	// Seed as compose's seed service would.
	seedSvc := services["seed"]
	var entry []string
	for _, e := range list(get(seedSvc, "entrypoint")) {
		entry = append(entry, str(e))
	}
	if len(entry) != 2 || entry[1] != "seed" {
		t.Fatalf("compose.yaml seed: entrypoint %v", entry)
	}
	seedArgs := append([]string{"run", "--rm", "--network", "host", "--read-only", "-e", "TRAWLER_NATS=" + natsURL, "-e", "TRAWLER_REPLICAS=1", "-e", "TRAWLER_METRICS_ADDR="},
		secured.clientArgs("admin")...)
	seedArgs = append(seedArgs, "--entrypoint", entry[0], trawlerImage, "seed", srv.URL+"/")
	podman(t, seedArgs...)

	// Kill a parser mid-crawl and start it again.
	jsonlPath := filepath.Join(jsonlData, "articles.jsonl")
	want := len(site.Articles())
	waitFor(t, 2*time.Minute, "a first article in the JSONL sink", func() bool {
		arts, _ := sink.ReadJSONL(jsonlPath)
		return len(arts) > 0
	})
	parser := prefix + "-parse-1"
	arts, _ := sink.ReadJSONL(jsonlPath)
	if len(arts) >= want {
		t.Errorf("the crawl ended before the parser was killed (%d articles)", len(arts))
	}
	podman(t, "kill", parser)
	podman(t, "start", parser)
	gate.release()
	// The restarted parser must come back: without this wait, a pipeline
	// that goes idle at once (the other parser took the work) could be
	// probed below before the new process has bound its port.
	for _, c := range workers {
		if c.name == parser {
			waitFor(t, time.Minute, parser+" ready after its restart", func() bool { return probe(c.metrics, "/readyz") == nil })
		}
	}
	t.Logf("killed and restarted %s after %d of %d articles", parser, len(arts), want)

	names2 := trawler.Names{NS: env2(workers[0], "TRAWLER_NAMESPACE")}
	idleCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	crawlStart := time.Now()
	if err := pipeline.WaitIdle(idleCtx, js, names2, sinkNames(t, pgDSN, jsonlSpec), 500*time.Millisecond); err != nil {
		t.Fatalf("pipeline not idle: %v", err)
	}

	t.Logf("pipeline idle %s after the restart", time.Since(crawlStart).Round(100*time.Millisecond))

	// Every expected article exactly once in both sinks.
	arts, err = sink.ReadJSONL(jsonlPath)
	if err != nil {
		t.Fatal(err)
	}
	checkSite(t, "jsonl", site, urlsOf(arts))
	rows, err := conn.Query(ctx, "SELECT url FROM articles")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	checkSite(t, "postgres", site, pg)

	// The probes answer on every stage.
	for _, c := range workers {
		for _, p := range []string{"/healthz", "/readyz"} {
			if err := probe(c.metrics, p); err != nil {
				t.Errorf("%s %s: %v", c.name, p, err)
			}
		}
	}

	// podman stop drains each stage within its grace period: exit status 0.
	for _, c := range workers {
		start := time.Now()
		podman(t, "stop", "-t", strconv.Itoa(int(c.grace.Seconds())), c.name)
		t.Logf("%s stopped in %s (grace %s)", c.name, time.Since(start).Round(100*time.Millisecond), c.grace)
		if code := podman(t, "inspect", "-f", "{{.State.ExitCode}}", c.name); code != "0" {
			t.Errorf("%s exited with status %s after podman stop", c.name, code)
		}
	}
	// No message left unacked or pending on any durable consumer of the
	// work streams (KV buckets' watchers are not work).
	checked := 0
	for st := range js.ListStreams(ctx).Info() {
		if strings.HasPrefix(st.Config.Name, "KV_") {
			continue
		}
		s, err := js.Stream(ctx, st.Config.Name)
		if err != nil {
			t.Fatal(err)
		}
		for ci := range s.ListConsumers(ctx).Info() {
			if ci.Config.Durable == "" {
				continue
			}
			checked++
			if ci.NumAckPending != 0 || ci.NumPending != 0 {
				t.Errorf("stream %s consumer %s: %d unacked, %d pending after stop", st.Config.Name, ci.Name, ci.NumAckPending, ci.NumPending)
			}
		}
	}
	if checked < 4 { // frontier, pages, and the two sinks' articles
		t.Errorf("checked %d durable consumers, want at least 4", checked)
	}
	podman(t, "stop", natsC.name)
}

// TestContainerRun runs the one-process mode in the image, as README shows.
func TestContainerRun(t *testing.T) {
	needPodman(t)
	site, srv := sitetest.Start(t)
	data := dataDir(t)
	podman(t, "run", "--rm", "--network", "host", "--read-only", "-v", data+":/data",
		"-e", fmt.Sprintf("TRAWLER_METRICS_ADDR=127.0.0.1:%d", testkit.FreePort(t)), trawlerImage,
		"run", "--seed", srv.URL+"/", "--allow-private", "--exit-when-idle",
		"--max-depth", strconv.Itoa(sitetest.CrawlDepth), "--host-delay", "5ms")
	arts, err := sink.ReadJSONL(filepath.Join(data, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	checkSite(t, "run", site, urlsOf(arts))
}

// TestContainerImage checks the image's settings and that its probes
// answer on 9090, the port its environment sets.
func TestContainerImage(t *testing.T) {
	needPodman(t)
	cfg := podman(t, "image", "inspect", "-f", "{{.Config.User}} {{.Config.WorkingDir}} {{.Config.Env}}", trawlerImage)
	for _, w := range []string{"65532:65532 /data ", "TRAWLER_METRICS_ADDR=:9090", "TRAWLER_DATA=/data"} {
		if !strings.Contains(cfg, w) {
			t.Errorf("image config %q lacks %q", cfg, w)
		}
	}
	ln, err := net.Listen("tcp", ":9090")
	if err != nil {
		t.Skipf("port 9090 is taken on this machine: %v", err)
	}
	ln.Close()
	// A parser with the image's defaults: port 9090, /data its only
	// writable place; it answers /healthz at once and /readyz once it
	// reaches NATS, here the machine's embedded one in a NATS container.
	natsPort := testkit.FreePort(t)
	name := fmt.Sprintf("trawler-img-%d", os.Getpid())
	t.Cleanup(func() {
		exec.Command("podman", "rm", "-f", "-t", "0", name, name+"-nats").Run()
	})
	podman(t, "run", "-d", "--name", name+"-nats", "--network", "host", "--read-only", "-v", dataDir(t)+":/data", natsImage,
		"--jetstream", "--store_dir", "/data", "--addr", "127.0.0.1", "--port", strconv.Itoa(natsPort))
	connectNATS(t, fmt.Sprintf("nats://127.0.0.1:%d", natsPort)).Close()
	podman(t, "run", "-d", "--name", name, "--network", "host", "--read-only", "--cap-drop", "ALL",
		"-e", fmt.Sprintf("TRAWLER_NATS=nats://127.0.0.1:%d", natsPort), trawlerImage, "parse")
	for _, p := range []string{"/healthz", "/readyz"} {
		waitFor(t, time.Minute, p+" on 9090", func() bool { return probe("127.0.0.1:9090", p) == nil })
	}
	podman(t, "stop", name)
	if code := podman(t, "inspect", "-f", "{{.State.ExitCode}}", name); code != "0" {
		t.Errorf("parser exited with status %s after podman stop", code)
	}
}

func connectNATS(t *testing.T, u string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	var nc *nats.Conn
	waitFor(t, 30*time.Second, "NATS at "+u, func() bool {
		var err error
		nc, err = nats.Connect(u, opts...)
		return err == nil
	})
	t.Cleanup(nc.Close)
	return nc
}

// articleGate serves a site and holds each request for an article page
// after the first open ones until release is called, or the request ends.
type articleGate struct {
	site     *sitetest.Site
	articles map[string]bool
	open     int

	mu       sync.Mutex
	served   int
	released chan struct{}
	once     sync.Once
}

func newArticleGate(site *sitetest.Site, open int) *articleGate {
	g := &articleGate{site: site, articles: map[string]bool{}, open: open, released: make(chan struct{})}
	for _, e := range site.Articles() {
		g.articles[e.Path] = true
	}
	return g
}

func (g *articleGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.articles[r.URL.Path] {
		g.mu.Lock()
		g.served++
		hold := g.served > g.open
		g.mu.Unlock()
		if hold {
			select {
			case <-g.released:
			case <-r.Context().Done():
				return
			}
		}
	}
	g.site.ServeHTTP(w, r)
}

func (g *articleGate) release() { g.once.Do(func() { close(g.released) }) }

// saveLogs writes a failed test's container logs to a file and names it:
// whole logs in the test's output would bury its failures, and a CI report
// shows only the output's tail.
func saveLogs(t *testing.T, name string) {
	out, _ := exec.Command("podman", "logs", name).CombinedOutput()
	path := filepath.Join(os.TempDir(), name+".log")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Logf("%s: logs not saved: %v", name, err)
		return
	}
	t.Logf("%s: logs in %s", name, path)
}

// probe asks a stage's ops server at addr for path and wants 200 OK.
func probe(addr, path string) error {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + path)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	return nil
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func mapsWith(m map[string]string, k, v string) map[string]string {
	out := maps.Clone(m)
	out[k] = v
	return out
}

// env2 is a container's value of an environment variable.
func env2(c container, k string) string {
	for i, a := range c.args {
		if a == "-e" && i+1 < len(c.args) && strings.HasPrefix(c.args[i+1], k+"=") {
			return strings.TrimPrefix(c.args[i+1], k+"=")
		}
	}
	return ""
}

func urlsOf(arts []trawler.Article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.URL)
	}
	return out
}

// checkSite compares the article URLs a sink holds with the site's
// expected articles: each exactly once, nothing else.
func checkSite(t *testing.T, what string, site *sitetest.Site, urls []string) {
	t.Helper()
	seen := map[string]int{}
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil {
			t.Errorf("%s: bad url %q", what, u)
			continue
		}
		seen[p.Path]++
	}
	for _, e := range site.Articles() {
		if n := seen[e.Path]; n != 1 {
			t.Errorf("%s: article %s written %d times, want once", what, e.Path, n)
		}
		delete(seen, e.Path)
	}
	for p, n := range seen {
		t.Errorf("%s: unexpected article %s (%d times)", what, p, n)
	}
}

// sinkNames is pipeline.SinkNames for specs a test knows to be valid.
func sinkNames(t testing.TB, specs ...string) []string {
	t.Helper()
	names, err := pipeline.SinkNames(specs)
	if err != nil {
		t.Fatal(err)
	}
	return names
}
