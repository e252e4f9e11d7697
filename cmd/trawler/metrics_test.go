package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/sink"
)

// metricsAddr finds the /metrics URL a command logs when it serves on port 0.
var metricsAddr = regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+/metrics)`)

// scrape is one /metrics page: its text and its series as
// `name{label="value",…}` → value (labels as exposed, sorted by name).
type scrape struct {
	text   string
	series map[string]float64
}

func scrapeMetrics(t *testing.T, url string) scrape {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", url, resp.StatusCode, err, b)
	}
	s := scrape{text: string(b), series: map[string]float64{}}
	sc := bufio.NewScanner(strings.NewReader(s.text))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("%s: bad sample line %q", url, line)
		}
		s.series[line[:i]] = v
	}
	return s
}

// value returns a series' value, failing the test when it is absent.
func (s scrape) value(t *testing.T, who, series string) float64 {
	t.Helper()
	v, ok := s.series[series]
	if !ok {
		t.Errorf("%s: no series %s", who, series)
	}
	return v
}

// lint runs promlint on the page and reports every problem.
func (s scrape) lint(t *testing.T, who string) {
	t.Helper()
	problems, err := promlint.New(strings.NewReader(s.text)).Lint()
	if err != nil {
		t.Fatalf("%s: promlint: %v", who, err)
	}
	for _, p := range problems {
		t.Errorf("%s: promlint: %s: %s", who, p.Metric, p.Text)
	}
}

// TestMetricsEndpoint crawls the fixture site with one worker per stage,
// then scrapes each worker's live /metrics: promlint must find nothing, and
// the JetStream gauges, the field counts and the build info must tell the
// truth about the finished crawl.
func TestMetricsEndpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, srv := sitetest.Start(t)
	site.SlowDelay = 10 * time.Millisecond
	nats := natstest.Start(t)
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	spec := "jsonl:" + out
	const partitions = 3
	common := []string{"--nats", nats.URL, "--namespace", "metrics", "--metrics-addr", "127.0.0.1:0",
		"--partitions", strconv.Itoa(partitions)}

	ctx, cancel := context.WithCancel(context.Background())
	workers := []stageProc{
		// common comes last: its --metrics-addr wins over crawlFlags'.
		{"crawl", append(append([]string{"crawl"}, crawlFlags()...), common...)},
		// 127.0.0.1 is the fixture site; example.org is never crawled, so
		// its series stay at zero.
		{"parse", append(append([]string{"parse", "--site-group", "127.0.0.1=fixture", "--site-group", "example.org=wire"}, common...), fixtureDepth()...)},
		{"sink", append([]string{"sink", "--sink", spec}, common...)},
	}
	logs, wait := startWorkers(t, ctx, workers)
	defer func() {
		cancel()
		wait()
	}()
	urls := make([]string, len(workers))
	for i, w := range workers {
		for deadline := time.Now().Add(30 * time.Second); urls[i] == ""; time.Sleep(10 * time.Millisecond) {
			if m := metricsAddr.FindStringSubmatch(logs[i].String()); m != nil {
				urls[i] = m[1]
			} else if time.Now().After(deadline) {
				t.Fatalf("%s serves no metrics:\n%s", w.name, logs[i].String())
			}
		}
	}

	if stderr, err := runCmd(t, ctx, "seed", "--nats", nats.URL, "--namespace", "metrics", srv.URL+"/"); err != nil {
		t.Fatalf("seed: %v\n%s", err, stderr)
	}
	_, js := nats.Connect(t)
	names := trawler.Names{NS: "metrics"}
	idleCtx, idleCancel := context.WithTimeout(ctx, 2*time.Minute)
	defer idleCancel()
	if err := pipeline.WaitIdle(idleCtx, js, names, sinkNames(t, spec), 250*time.Millisecond); err != nil {
		t.Fatalf("pipeline not idle: %v", err)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil || len(arts) == 0 {
		t.Fatalf("no articles written: %v", err)
	}
	deadLetters := natstest.StreamState(t, js, names.DeadLetterStream()).Msgs

	scrapes := map[string]scrape{}
	for i, w := range workers {
		s := scrapeMetrics(t, urls[i])
		scrapes[w.name] = s
		s.lint(t, w.name)

		build := fmt.Sprintf(`trawler_build_info{goversion=%q,version=%q}`, runtime.Version(), version)
		if v := s.value(t, w.name, build); v != 1 {
			t.Errorf("%s: %s = %v, want 1", w.name, build, v)
		}

		// Every process reads the same JetStream figures: an idle pipeline
		// has nothing pending or unacked on any consumer.
		consumers := map[string]string{natsutil.ParseConsumer: "parse", sinkNames(t, spec)[0]: "sink"}
		for p := range partitions {
			consumers[natsutil.PartitionConsumer(p)] = "crawl"
		}
		stream := map[string]string{"crawl": names.FrontierStream(), "parse": names.PagesStream(), "sink": names.ArticlesStream()}
		for c, stage := range consumers {
			l := fmt.Sprintf(`{consumer=%q,stage=%q,stream=%q}`, c, stage, stream[stage])
			for _, m := range []string{"pending", "ack_pending", "redelivered"} {
				if v := s.value(t, w.name, "trawler_jetstream_consumer_"+m+"_messages"+l); v != 0 {
					t.Errorf("%s: consumer %s has %v %s messages once idle", w.name, c, v, m)
				}
			}
		}
		for stage, st := range stream {
			v := s.value(t, w.name, fmt.Sprintf(`trawler_jetstream_stream_messages{stage=%q,stream=%q}`, stage, st))
			// Work queues are empty once idle; the articles stream keeps
			// every article for the sinks.
			if want := map[string]float64{"crawl": 0, "parse": 0, "sink": float64(len(arts))}[stage]; v != want {
				t.Errorf("%s: %s stream holds %v messages, want %v", w.name, st, v, want)
			}
		}
		var perStage float64
		for _, stage := range []string{"crawl", "parse", "sink"} {
			perStage += s.value(t, w.name, fmt.Sprintf(`trawler_jetstream_dead_letter_messages{stage=%q}`, stage))
		}
		dlq := s.value(t, w.name, fmt.Sprintf(`trawler_jetstream_stream_messages{stage="dlq",stream=%q}`, names.DeadLetterStream()))
		if perStage != float64(deadLetters) || dlq != float64(deadLetters) {
			t.Errorf("%s: dead letters per stage sum to %v, dlq stream %v, want %d", w.name, perStage, dlq, deadLetters)
		}
	}

	// Field fill counts: one per article and field, under the site group
	// of the fixture's host; the configured groups nobody crawled exist at 0.
	parse := scrapes["parse"]
	published := parse.value(t, "parse", "trawler_parse_articles_published_total")
	if published < float64(len(arts)) {
		t.Errorf("parse published %v articles, the sink wrote %d", published, len(arts))
	}
	if _, ok := parse.series[`trawler_parse_fields_total{field="title",site_group="wire",state="filled"}`]; !ok {
		t.Fatal("the parse worker has no series for its --site-group groups: is the flag passed on through pipeline.Config.SiteGroups?")
	}
	field := func(group, name, state string) float64 {
		return parse.value(t, "parse", fmt.Sprintf(`trawler_parse_fields_total{field=%q,site_group=%q,state=%q}`, name, group, state))
	}
	for _, f := range []string{"title", "published", "author", "body", "image"} {
		if n := field("fixture", f, "filled") + field("fixture", f, "empty"); n != published {
			t.Errorf("field %s counted %v times for %v articles", f, n, published)
		}
		for _, group := range []string{"wire", pipeline.OtherSiteGroup} {
			if n := field(group, f, "filled") + field(group, f, "empty"); n != 0 {
				t.Errorf("site group %s has %v %s counts; nothing of it was crawled", group, n, f)
			}
		}
	}
	for _, f := range []string{"title", "body"} {
		if field("fixture", f, "filled") == 0 {
			t.Errorf("no fixture article has a %s", f)
		}
	}
	if _, ok := scrapes["crawl"].series[`trawler_parse_fields_total{field="title",site_group="other",state="filled"}`]; ok {
		t.Error("a crawler exports parse field counts")
	}
}

func TestSiteGroupFlag(t *testing.T) {
	cfg, err := parseConfig("parse", []string{"--site-group", "news.example.com=local"},
		env("TRAWLER_SITE_GROUP", "ignored.org=x"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := cfg.stages.SiteGroups; g.Group("www.news.example.com") != "local" || g.Group("example.com") != pipeline.OtherSiteGroup ||
		g.Group("ignored.org") != pipeline.OtherSiteGroup {
		t.Errorf("--site-group did not win over TRAWLER_SITE_GROUP: %v", g.Groups())
	}

	cfg, err = parseConfig("parse", nil, env("TRAWLER_SITE_GROUP", "example.com=wire, news.example.com=local,example.org=wire"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.stages.SiteGroups
	for host, want := range map[string]string{
		"example.com":          "wire",
		"www.example.com":      "wire",
		"news.example.com":     "local", // the longest domain wins
		"a.news.example.com":   "local",
		"NEWS.Example.COM.":    "local",
		"example.org":          "wire",
		"notexample.com":       pipeline.OtherSiteGroup,
		"example.com.evil.net": pipeline.OtherSiteGroup,
		"":                     pipeline.OtherSiteGroup,
	} {
		if got := g.Group(host); got != want {
			t.Errorf("Group(%q) = %q, want %q", host, got, want)
		}
	}
	if got := strings.Join(g.Groups(), ","); got != "local,other,wire" {
		t.Errorf("Groups() = %s", got)
	}

	var help strings.Builder
	if err := run(context.Background(), []string{"help", "parse"}, env(), nil, &help, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(help.String(), "-site-group DOMAIN=GROUP") {
		t.Errorf("trawler help parse does not document --site-group:\n%s", help.String())
	}

	for _, bad := range []string{"example.com", "=g", "example.com=", "https://example.com/=g", "*.example.com=g",
		"example.com=a b", "example.com=a,example.com=b"} {
		o := options{siteGroups: strings.Split(bad, ",")}
		if _, err := o.config(io.Discard); err == nil || !strings.Contains(err.Error(), "--site-group") {
			t.Errorf("--site-group %q: err = %v", bad, err)
		}
	}
}
