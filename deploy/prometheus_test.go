package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/internal/testkit"
)

// mayBeEmpty are the dashboard panels that show nothing on a healthy crawl
// of the fixture site: they chart failures, which the crawl has none of.
// Every other panel must return data.
var mayBeEmpty = map[string]string{
	"Sink failures": "no sink write fails",
	// cmd/trawler registers trawler_build_info, and package main cannot be
	// imported into this in-process pipeline.
	"Versions": "no trawler_build_info in process",
}

// TestDashboardAndAlertsAgainstPrometheus runs the three stages on the
// fixture site as three scrape targets, has a real Prometheus scrape them
// with the shipped rules loaded, and evaluates every dashboard query and
// every alert expression through Prometheus' HTTP API.
func TestDashboardAndAlertsAgainstPrometheus(t *testing.T) {
	bin := prometheusBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	site, srv := sitetest.Start(t)
	site.SlowDelay = 50 * time.Millisecond
	nats := natstest.Start(t)
	_, js := nats.Connect(t)
	names := trawler.Names{NS: trawler.DefaultNamespace}
	stages := startStages(t, ctx, nats, names)

	prom := startPrometheus(t, ctx, bin, stages)
	// Seed only once every target has been scraped, so that Prometheus sees
	// the counters rise from zero.
	testkit.WaitForContext(ctx, t, "every target scraped", func() (bool, error) {
		res, err := prom.query(ctx, `count(up{job="trawler"} == 1)`)
		return len(res) == 1 && res[0].Value[1] == fmt.Sprint(len(stages)), err
	})
	if _, err := pipeline.Seed(ctx, js, names, []string{srv.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	var sinkConsumers []string
	for _, s := range stages {
		sinkConsumers = append(sinkConsumers, s.node.SinkConsumers...)
	}
	if err := pipeline.WaitIdle(ctx, js, names, sinkConsumers, 100*time.Millisecond); err != nil {
		t.Fatalf("crawl not done: %v", err)
	}
	written, err := articlesWritten(stages)
	if err != nil || written == 0 {
		t.Fatalf("the crawl wrote %v articles (%v)", written, err)
	}
	// Prometheus has the final figures once it scraped after the crawl, and
	// rate() has two samples of every series once each has been scraped
	// twice (a series born in the last scrape has one).
	testkit.WaitForContext(ctx, t, "a scrape after the crawl", func() (bool, error) {
		res, err := prom.query(ctx, `sum(trawler_sink_articles_total{result="written"})`)
		return len(res) == 1 && res[0].Value[1] == fmt.Sprint(written), err
	})
	testkit.WaitForContext(ctx, t, "two samples of every series", func() (bool, error) {
		var data struct {
			Result []struct {
				Values [][2]any `json:"values"`
			} `json:"result"`
		}
		err := prom.get(ctx, "/api/v1/query?query="+url.QueryEscape(`{__name__=~"trawler_.+", job="trawler"}[1m]`), &data)
		if err != nil || len(data.Result) == 0 {
			return false, err
		}
		for _, r := range data.Result {
			if len(r.Values) < 2 {
				return false, nil
			}
		}
		return true, nil
	})

	t.Run("dashboard", func(t *testing.T) {
		jobs := prom.variableValues(t, ctx, "job")
		results := map[string]int{} // by panel title
		for _, e := range dashboardExpressions(t) {
			if e.panel == "" {
				continue // a variable: evaluated above
			}
			q := substitute(e.expr, map[string]string{
				// Grafana's value for a multi-value variable in a regex matcher.
				"$job":             "(" + strings.Join(jobs, "|") + ")",
				"$__rate_interval": "1m",
				"$__interval":      "15s",
				"$__range":         "5m",
			})
			if strings.Contains(q, "$") {
				t.Errorf("%s: unknown variable left in %s", e.where, q)
				continue
			}
			res, err := prom.query(ctx, q)
			if err != nil {
				t.Errorf("%s: %v\n%s", e.where, err, q)
				continue
			}
			results[e.panel] += len(res)
			// A series per stage: a per-stage panel that lost a stage (a
			// label renamed, a consumer filtered out) shows no gap, just a
			// line less.
			for _, l := range []string{"stage", "component"} {
				if !slices.ContainsFunc(e.uses, func(u string) bool { return strings.Contains(u, "{{"+l+"}}") }) {
					continue
				}
				seen := map[string]bool{}
				for _, r := range res {
					seen[r.Metric[l]] = true
				}
				for _, st := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
					if !seen[st] && mayBeEmpty[e.panel] == "" {
						t.Errorf("%s: no series with %s=%q", e.where, l, st)
					}
				}
			}
		}
		for title := range mayBeEmpty {
			if _, ok := results[title]; !ok {
				t.Errorf("mayBeEmpty lists %q, which is no panel of the dashboard", title)
			}
		}
		for title, n := range results {
			t.Logf("%-40q %d series", title, n)
			_, allowed := mayBeEmpty[title]
			switch {
			case n == 0 && !allowed:
				t.Errorf("panel %q returned no data", title)
			case n > 0 && allowed:
				t.Errorf("panel %q is listed as empty on a healthy crawl but returned data; drop it from mayBeEmpty", title)
			}
		}
	})

	t.Run("alerts", func(t *testing.T) {
		for _, r := range alertRules(t) {
			if _, err := prom.query(ctx, r.Expr); err != nil {
				t.Errorf("alert %s: %v", r.Alert, err)
			}
		}
		// Prometheus loaded the shipped file and evaluates every rule of it
		// without error.
		loaded := prom.rules(t, ctx)
		for _, r := range alertRules(t) {
			st, ok := loaded[r.Alert]
			switch {
			case !ok:
				t.Errorf("alert %s: not loaded by Prometheus", r.Alert)
			case st.Health != "ok":
				t.Errorf("alert %s: health %q: %s", r.Alert, st.Health, st.LastError)
			}
		}
		// A healthy pipeline runs every stage: the absent() selectors of
		// TrawlerStageDown match the series the stages really export.
		if st := loaded["TrawlerStageDown"]; st.State != "inactive" {
			t.Errorf("TrawlerStageDown is %s with every stage running", st.State)
		}
	})
}

// prometheusBinary returns the path of the prometheus binary, skipping the
// test when there is none unless TRAWLER_TEST_PROMETHEUS asks for it.
func prometheusBinary(t *testing.T) string {
	t.Helper()
	required := os.Getenv("TRAWLER_TEST_PROMETHEUS") != ""
	if testing.Short() && !required {
		t.Skip("starts Prometheus and crawls the fixture site")
	}
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if required {
			t.Fatalf("TRAWLER_TEST_PROMETHEUS is set but there is no prometheus binary: %v (Debian: apt-get install prometheus)", err)
		}
		t.Skip("no prometheus binary (Debian: apt-get install prometheus); set TRAWLER_TEST_PROMETHEUS=1 to make this a failure")
	}
	return bin
}

// stage is one stage running in this process as its own scrape target.
type stage struct {
	name string
	node *pipeline.Node
	reg  *prometheus.Registry
	addr string // of its /metrics
}

// startStages starts crawl, parse and sink as separate nodes, each with the
// registry and /metrics endpoint a `trawler <stage>` process would have.
func startStages(t *testing.T, ctx context.Context, nats *natstest.Server, names trawler.Names) []*stage {
	t.Helper()
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	var stages []*stage
	for _, name := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
		nc, js := nats.Connect(t)
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		cfg := pipeline.Config{
			Names:    names,
			Crawl:    name == trawler.StageCrawl,
			Parse:    name == trawler.StageParse,
			MaxDepth: 3,
			Fetcher: crawler.Config{AllowPrivate: true, HostDelay: 5 * time.Millisecond, HostParallelism: 4,
				RequestTimeout: 5 * time.Second},
			Revisit:  frontier.RevisitConfig{Min: 5 * time.Minute, Max: 6 * time.Hour},
			Registry: reg,
			Log:      natstest.Discard(),
		}
		if name == trawler.StageSink {
			cfg.Sinks = []string{"jsonl:" + out}
		}
		sctx, stop := context.WithCancel(ctx)
		node, err := pipeline.Start(sctx, nc, cfg)
		if err != nil {
			stop()
			t.Fatalf("start %s: %v", name, err)
		}
		t.Cleanup(func() {
			stop()
			if err := node.Wait(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		})
		reg.MustRegister(pipeline.NewJetStreamCollector(js, names, natstest.Discard()))
		stages = append(stages, &stage{name: name, node: node, reg: reg, addr: serveMetrics(t, reg)})
	}
	return stages
}

// serveMetrics serves reg's /metrics on a free port of 127.0.0.1.
func serveMetrics(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// articlesWritten sums the articles the sink stage wrote.
func articlesWritten(stages []*stage) (float64, error) {
	for _, s := range stages {
		if s.name != trawler.StageSink {
			continue
		}
		mfs, err := s.reg.Gather()
		if err != nil {
			return 0, err
		}
		var n float64
		for _, mf := range mfs {
			if mf.GetName() != "trawler_sink_articles_total" {
				continue
			}
			for _, m := range mf.GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "result" && l.GetValue() == "written" {
						n += m.GetCounter().GetValue()
					}
				}
			}
		}
		return n, nil
	}
	return 0, errors.New("no sink stage")
}

// promServer is a Prometheus process serving its API on 127.0.0.1.
type promServer struct {
	base   string
	client *http.Client
}

// startPrometheus runs bin scraping every stage each second with the
// shipped rules, storing in a temporary directory; it is stopped with
// SIGTERM when the test ends.
func startPrometheus(t *testing.T, ctx context.Context, bin string, stages []*stage) *promServer {
	t.Helper()
	dir := t.TempDir()
	rules, err := filepath.Abs("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - %q\n", rules)
	// The labels the scrape configurations of compose and the Helm chart
	// set: job="trawler" and component.
	cfg.WriteString("scrape_configs:\n  - job_name: trawler\n    static_configs:\n")
	for _, s := range stages {
		fmt.Fprintf(&cfg, "      - targets: [%q]\n        labels: {component: %q}\n", s.addr, s.name)
	}
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	var logs testkit.LockedBuffer
	cmd := exec.Command(bin,
		"--config.file="+cfgPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--log.level=warn")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("prometheus exited with %v:\n%s", err, logs.String())
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("prometheus did not stop within 10s of SIGTERM:\n%s", logs.String())
		}
	})
	p := &promServer{base: "http://" + addr, client: &http.Client{Timeout: 10 * time.Second}}
	testkit.WaitForContext(ctx, t, "prometheus ready", func() (bool, error) {
		select {
		case err := <-exited:
			t.Fatalf("prometheus exited: %v\n%s", err, logs.String())
		default:
		}
		resp, err := p.client.Get(p.base + "/-/ready")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	return p
}

// sample is one element of an instant vector result.
type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// query evaluates q at the current time. Scalars come back as one sample.
func (p *promServer) query(ctx context.Context, q string) ([]sample, error) {
	var data struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := p.get(ctx, "/api/v1/query?query="+url.QueryEscape(q), &data); err != nil {
		return nil, err
	}
	switch data.ResultType {
	case "vector":
		var v []sample
		err := json.Unmarshal(data.Result, &v)
		return v, err
	case "scalar":
		var s [2]any
		err := json.Unmarshal(data.Result, &s)
		return []sample{{Value: s}}, err
	default:
		return nil, fmt.Errorf("result type %q, want an instant vector or scalar", data.ResultType)
	}
}

// get calls an API endpoint and decodes the data of a successful answer.
func (p *promServer) get(ctx context.Context, path string, data any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var r struct {
		Status    string          `json:"status"`
		Data      json.RawMessage `json:"data"`
		ErrorType string          `json:"errorType"`
		Error     string          `json:"error"`
		Warnings  []string        `json:"warnings"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return fmt.Errorf("%s: %s: %w", path, resp.Status, err)
	}
	if r.Status != "success" {
		return fmt.Errorf("%s: %s", r.ErrorType, r.Error)
	}
	if len(r.Warnings) > 0 {
		return fmt.Errorf("warnings: %v", r.Warnings)
	}
	return json.Unmarshal(r.Data, data)
}

// ruleState is what Prometheus says about one loaded alerting rule.
type ruleState struct {
	State     string `json:"state"`
	Health    string `json:"health"`
	LastError string `json:"lastError"`
}

// rules returns the alerting rules Prometheus loaded, by name.
func (p *promServer) rules(t *testing.T, ctx context.Context) map[string]ruleState {
	t.Helper()
	var data struct {
		Groups []struct {
			Rules []struct {
				Name string `json:"name"`
				Type string `json:"type"`
				ruleState
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := p.get(ctx, "/api/v1/rules", &data); err != nil {
		t.Fatal(err)
	}
	out := map[string]ruleState{}
	for _, g := range data.Groups {
		for _, r := range g.Rules {
			if r.Type == "alerting" {
				out[r.Name] = r.ruleState
			}
		}
	}
	return out
}

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$`)

// variableValues evaluates the query of a dashboard variable as Grafana
// would, and requires it to find at least one value.
func (p *promServer) variableValues(t *testing.T, ctx context.Context, name string) []string {
	t.Helper()
	for _, e := range dashboardExpressions(t) {
		if e.where != "dashboard variable "+name {
			continue
		}
		m := labelValues.FindStringSubmatch(e.expr)
		if m == nil {
			t.Fatalf("%s: %q is not label_values(QUERY, LABEL)", e.where, e.expr)
		}
		res, err := p.query(ctx, fmt.Sprintf("group by (%s) (%s)", m[2], m[1]))
		if err != nil {
			t.Fatalf("%s: %v", e.where, err)
		}
		var vals []string
		for _, s := range res {
			vals = append(vals, s.Metric[m[2]])
		}
		if len(vals) == 0 {
			t.Fatalf("%s finds no value", e.where)
		}
		slices.Sort(vals)
		return vals
	}
	t.Fatalf("no dashboard variable %s", name)
	return nil
}

// substitute replaces Grafana's variables in expr, longest name first so
// that $__interval does not eat $__interval_ms.
func substitute(expr string, vars map[string]string) string {
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return len(b) - len(a) })
	for _, k := range keys {
		expr = strings.ReplaceAll(expr, k, vars[k])
	}
	return expr
}
