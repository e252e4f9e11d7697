package faults

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/deadletter"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

func slow(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test: runs the pipeline as processes")
	}
	t.Parallel()
}

// jsonlLines counts what the JSONL sink wrote so far.
func (e *env) jsonlLines() int {
	arts, _ := sink.ReadJSONL(e.jsonlDir)
	return len(arts)
}

// stopAll stops the processes gracefully and checks that they exit cleanly.
// A worker slow to stop after a NATS outage is a known limit of the stages'
// handlers (see docs/reliability.md), logged with its stack rather than
// failed: what this package checks is what the sinks hold.
func stopAll(t *testing.T, procs ...*proc) {
	t.Helper()
	for _, p := range procs {
		switch err := p.stop(); {
		case errors.Is(err, errSlowStop):
			t.Logf("known limit: %v", err)
		case err != nil:
			t.Error(err)
		}
	}
}

// A crawler, then a parser, then a sink die by kill -9 mid-crawl and are
// restarted: their unacked messages come back after the ack wait.
func TestKillWorkers(t *testing.T) {
	slow(t)
	e := newEnv(t)
	e.startNATS(1)
	crawl, parse, snk := e.startPipeline()

	e.waitProgress(e.names.PagesStream(), 6)
	e.killBusy(crawl, e.names.FrontierStream())
	e.waitProgress(e.names.ArticlesStream(), 8)
	e.killBusy(parse, e.names.PagesStream())
	testkit.WaitFor(t, 2*time.Minute, "12 articles in JSONL", func() bool { return e.jsonlLines() >= 12 })
	e.killBusy(snk, e.names.ArticlesStream())

	e.waitIdle()
	stopAll(t, crawl, parse, snk)
	e.check("kill -9 crawler, parser, sink")
}

// The NATS server stops mid-crawl and comes back on the same port and
// store; workers reconnect and carry on.
func TestRestartNATS(t *testing.T) {
	slow(t)
	e := newEnv(t)
	e.startNATS(1)
	crawl, parse, snk := e.startPipeline()

	e.waitProgress(e.names.PagesStream(), 8)
	e.nats[0].proc.stop()
	time.Sleep(3 * time.Second) // the outage
	e.nats[0].proc.start()

	e.waitIdle()
	stopAll(t, crawl, parse, snk)
	e.check("NATS server stopped for 3s and restarted")
}

// A three-node cluster with three replicas of every stream loses the node
// leading the pages stream mid-crawl; the other two keep the quorum.
func TestClusterLosesNode(t *testing.T) {
	slow(t)
	e := newEnv(t)
	e.replicas = 3
	e.startNATS(3)
	crawl, parse, snk := e.startPipeline()

	e.waitProgress(e.names.PagesStream(), 8)
	st, err := e.js.Stream(context.Background(), e.names.PagesStream())
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Replicas != 3 || info.Cluster == nil {
		t.Fatalf("pages stream has %d replicas, want 3", info.Config.Replicas)
	}
	leader, _ := strconv.Atoi(strings.TrimPrefix(info.Cluster.Leader, "n"))
	if leader < 1 || leader > 3 {
		t.Fatalf("pages stream leader %q", info.Cluster.Leader)
	}
	t.Logf("killing %s, leader of the pages stream", info.Cluster.Leader)
	e.nats[leader-1].proc.kill()

	e.waitIdle()
	stopAll(t, crawl, parse, snk)
	e.check("3-node cluster loses the pages stream leader (kill -9)")
}

// PostgreSQL refuses connections for ten seconds mid-crawl, then recovers;
// the JSONL sink is not held back meanwhile.
func TestPostgresOutage(t *testing.T) {
	slow(t)
	e := newEnv(t)
	if e.pgDSN == "" {
		t.Skip("no PostgreSQL")
	}
	u, err := url.Parse(e.pgDSN)
	if err != nil {
		t.Fatal(err)
	}
	px := startProxy(t, u.Host)
	e.pgSpec = pgURL(t, e.pgDSN, px.addr())
	e.startNATS(1)
	crawl, parse, snk := e.startPipeline()

	testkit.WaitFor(t, 2*time.Minute, "5 rows in PostgreSQL", func() bool { return e.pgRows() >= 5 })
	start := time.Now()
	px.outage(10 * time.Second)
	pg0, jl0 := e.pgRows(), e.jsonlLines()
	testkit.WaitFor(t, 9*time.Second, "the JSONL sink to go on during the outage", func() bool { return e.jsonlLines() > jl0 })
	jl1, pg1 := e.jsonlLines(), e.pgRows()
	if time.Since(start) < 10*time.Second && pg1 != pg0 {
		t.Errorf("PostgreSQL took %d rows through a proxy that refuses everything", pg1-pg0)
	}
	t.Logf("during the outage: JSONL %d → %d lines, PostgreSQL %d rows", jl0, jl1, pg0)
	e.waitIdle()
	stopAll(t, crawl, parse, snk)
	e.check("PostgreSQL refuses connections for 10s")
	t.Logf("proxy cut or refused %d connections", px.refused())
}

// pgRows counts the articles table, or -1 while it cannot be read.
func (e *env) pgRows() int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, e.pgDSN)
	if err != nil {
		return -1
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM articles").Scan(&n); err != nil {
		return -1
	}
	return n
}

// A poison message in each stream ends in the dead-letter stream, after
// its max deliveries when it fails as a transient error would, and holds
// back nothing else.
func TestPoisonMessages(t *testing.T) {
	slow(t)
	e := newEnv(t)
	e.extra = []string{"--max-deliver", "3"}
	// The unreachable URL is on port 1: allowed here, so that it fails as a
	// refused connection does (transient, retried), not as a port the
	// crawler may not fetch (permanent, acked at once).
	e.crawlExtra = []string{"--allow-port", "80,443,1"}
	e.startNATS(1)
	ctx := context.Background()
	crawl, parse, snk := e.startPipeline()
	publish := func(subject string, data string, header map[string]string) {
		m := nats.NewMsg(subject)
		for k, v := range header {
			m.Header.Set(k, v)
		}
		m.Data = []byte(data)
		if _, err := e.js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	publish(e.names.FrontierPartitionSubject(0), "\x00\x01 not json", nil)
	publish(e.names.FrontierPartitionSubject(0), `{"url":"http://127.0.0.1:1/closed-port.html","depth":1}`, nil)
	publish(e.names.PagesSubject(), "page without its headers", map[string]string{"Trawler-Url": "http://127.0.0.1:1/x"})
	publish(e.names.ArticlesSubject(), `{"title":"an article without url"}`, nil)

	e.waitIdle()
	stopAll(t, crawl, parse, snk)
	o := e.check("poison messages in every stream")

	want := map[string]int{trawler.StageCrawl: 2, trawler.StageParse: 1, trawler.StageSink: len(e.sinkSpecs())}
	for stage, n := range want {
		if o.deadLetters[stage] != n {
			t.Errorf("%d dead letters from %s, want %d", o.deadLetters[stage], stage, n)
		}
	}
	err := deadletter.Each(ctx, e.js, e.names, trawler.StageCrawl, func(l deadletter.Letter) error {
		if strings.Contains(l.What(), "closed-port") && l.Delivered != 3 {
			t.Errorf("the unreachable URL was dead-lettered after %d deliveries, want --max-deliver 3", l.Delivered)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trawler dlq list:\n%s", e.trawler("dlq", "list"))
}
