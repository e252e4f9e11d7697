package faults

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink/sinktest"
)

// Timing of every case: the crawl must last long enough to be interrupted,
// and a message taken by a killed worker comes back after ackWait.
const (
	hostDelay = "150ms"
	ackWait   = "4s"
)

// env is one case: a fixture site, a NATS server or cluster, the pipeline's
// processes and its two sinks.
type env struct {
	t        *testing.T
	dir      string
	site     *sitetest.Site
	siteURL  string
	names    trawler.Names
	nats     []*natsNode
	replicas int      // of every stream (default 1)
	extra    []string // flags for every trawler process
	// crawlExtra are flags for the crawl workers only.
	crawlExtra []string
	delay      string // crawlers' --host-delay (default hostDelay)
	leaseTTL   time.Duration
	workers    []*proc

	jsonlDir  string
	jsonlSpec string
	pgDSN     string // where the test reads PostgreSQL ("" without one)
	pgSpec    string // where the sink writes it (through a proxy, maybe)

	nc    *nats.Conn
	js    jetstream.JetStream
	start time.Time
}

// natsNode is one natsd process and its ports.
type natsNode struct {
	proc        *proc
	port        int
	clusterPort int
}

func (n *natsNode) url() string { return "nats://127.0.0.1:" + strconv.Itoa(n.port) }

// newEnv prepares a case: the site, a PostgreSQL schema when a server
// answers, and the JSONL directory. Nothing runs yet.
func newEnv(t *testing.T) *env {
	t.Helper()
	site, srv := sitetest.Start(t)
	site.SlowDelay = 300 * time.Millisecond
	e := &env{
		t: t, dir: t.TempDir(), site: site, siteURL: srv.URL + "/",
		names: trawler.Names{NS: "faults"}, start: time.Now(),
	}
	e.jsonlDir = filepath.Join(e.dir, "jsonl")
	e.jsonlSpec = "jsonl:" + e.jsonlDir + "/?rotate=16KB&gzip=1"
	if _, required, err := sinktest.FindPostgres(); err == nil {
		e.pgDSN = sinktest.PostgresSchema(t)
		e.pgSpec = e.pgDSN
	} else if required {
		t.Fatal(err)
	} else {
		t.Logf("checking JSONL only: %v", err)
	}
	return e
}

// startNATS starts n natsd processes, clustered when n > 1, and connects the
// test to them.
func (e *env) startNATS(n int) {
	e.t.Helper()
	for i := range n {
		e.nats = append(e.nats, &natsNode{port: testkit.FreePort(e.t)})
		if n > 1 {
			e.nats[i].clusterPort = testkit.FreePort(e.t)
		}
	}
	for i, node := range e.nats {
		args := []string{"-name", fmt.Sprintf("n%d", i+1), "-port", strconv.Itoa(node.port),
			"-store", filepath.Join(e.dir, fmt.Sprintf("nats%d", i+1))}
		if n > 1 {
			var routes []string
			for j, other := range e.nats {
				if j != i {
					routes = append(routes, "nats-route://127.0.0.1:"+strconv.Itoa(other.clusterPort))
				}
			}
			args = append(args, "-cluster-port", strconv.Itoa(node.clusterPort), "-routes", strings.Join(routes, ","))
		}
		node.proc = startProc(e.t, e.dir, fmt.Sprintf("nats%d", i+1), "natsd", args...)
	}
	for _, node := range e.nats {
		testkit.WaitFor(e.t, 30*time.Second, "natsd to listen", func() bool {
			if !node.proc.running() {
				e.t.Fatalf("%s exited before it listened on port %d", node.proc.name, node.port)
			}
			c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(node.port))
			if err == nil {
				c.Close()
			}
			return err == nil
		})
	}
	nc, err := natsutil.Connect(e.natsURLs(), natsutil.ClientAuth{}, natstest.Discard(), "faults-test")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(nc.Close)
	e.nc = nc
	if e.js, err = jetstream.New(nc); err != nil {
		e.t.Fatal(err)
	}
	testkit.WaitFor(e.t, time.Minute, "JetStream to be ready", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := e.js.AccountInfo(ctx)
		return err == nil
	})
}

func (e *env) natsURLs() string {
	var urls []string
	for _, n := range e.nats {
		urls = append(urls, n.url())
	}
	return strings.Join(urls, ",")
}

// common are the flags of every trawler command that talks to NATS.
func (e *env) common() []string {
	return append([]string{"--nats", e.natsURLs(), "--namespace", e.names.NS, "--ack-wait", ackWait,
		"--replicas", strconv.Itoa(max(e.replicas, 1))}, e.extra...)
}

func (e *env) sinkSpecs() []string {
	specs := []string{e.jsonlSpec}
	if e.pgSpec != "" {
		specs = append(specs, e.pgSpec)
	}
	return specs
}

// worker starts one trawler stage process.
func (e *env) worker(name, stage string) *proc {
	e.t.Helper()
	p := startProc(e.t, e.dir, name, "trawler", e.workerArgs(stage, e.sinkSpecs())...)
	e.workers = append(e.workers, p)
	return p
}

// workerArgs are the arguments of a stage process; sinks are its --sink
// specs when stage is the sink stage.
func (e *env) workerArgs(stage string, sinks []string) []string {
	args := append(append([]string{stage}, e.common()...), "--metrics-addr", "")
	switch stage {
	case trawler.StageCrawl:
		args = append(args, "--allow-private", "--host-delay", cmp.Or(e.delay, hostDelay), "--host-parallelism", "1",
			"--request-timeout", "5s", "--concurrency", "4")
		args = append(args, e.crawlExtra...)
	case trawler.StageParse:
		// The fixture's expectations are written for this depth.
		args = append(args, "--max-depth", strconv.Itoa(sitetest.CrawlDepth))
	case trawler.StageSink:
		for _, s := range sinks {
			args = append(args, "--sink", s)
		}
	}
	return args
}

// trawler runs a short trawler command to completion.
func (e *env) trawler(args ...string) string {
	e.t.Helper()
	p := startProc(e.t, e.dir, "cmd-"+args[0], "trawler", append(args, e.common()...)...)
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		e.t.Fatalf("trawler %s did not finish", args[0])
	}
	if !p.cmd.ProcessState.Success() {
		e.t.Fatalf("trawler %v: %v\n%s", args, p.cmd.ProcessState, tail(p.log, 20))
	}
	data, _ := os.ReadFile(p.log)
	return string(data)
}

// startPipeline declares the streams, starts one crawler, parser and sink,
// and seeds the site.
func (e *env) startPipeline() (crawl, parse, sink *proc) {
	e.t.Helper()
	e.setup()
	crawl = e.worker("crawl", trawler.StageCrawl)
	parse = e.worker("parse", trawler.StageParse)
	sink = e.worker("sink", trawler.StageSink)
	for _, p := range []*proc{crawl, parse, sink} {
		p.waitStarted()
	}
	e.seed()
	return crawl, parse, sink
}

func (e *env) seed() {
	e.t.Helper()
	// Flags before the URL, as the flag package wants.
	p := startProc(e.t, e.dir, "seed", "trawler", append(append([]string{"seed"}, e.common()...), e.siteURL)...)
	<-p.done
	if !p.cmd.ProcessState.Success() {
		e.t.Fatalf("seed: %v\n%s", p.cmd.ProcessState, tail(p.log, 20))
	}
}

// setup declares the streams and consumers before any worker starts, as an
// operator would on a new cluster: a worker that cannot declare them at
// start (a cluster still electing its leaders) exits.
func (e *env) setup() {
	e.t.Helper()
	topo := natsutil.Topology{Replicas: max(e.replicas, 1), AckWait: 4 * time.Second, LeaseTTL: e.leaseTTL}
	var err error
	testkit.WaitFor(e.t, 2*time.Minute, "the streams to be declared", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = natsutil.Setup(ctx, e.js, e.names, topo)
		return err == nil
	})
}

// lastSeq is the last sequence of a stream: how many messages it ever
// took. It is 0 while the stream cannot be read (a server is down).
func (e *env) lastSeq(stream string) uint64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := e.js.Stream(ctx, stream)
	if err != nil {
		return 0
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0
	}
	return info.State.LastSeq
}

// waitProgress waits until the stream took at least n messages.
func (e *env) waitProgress(stream string, n uint64) {
	e.t.Helper()
	testkit.WaitFor(e.t, 2*time.Minute, fmt.Sprintf("%d messages in %s", n, stream), func() bool { return e.lastSeq(stream) >= n })
	e.t.Logf("%s: %d messages", stream, e.lastSeq(stream))
}

// waitIdle waits until nothing is queued, in flight or unwritten by either
// sink.
func (e *env) waitIdle() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	consumers := sinkNames(e.t, e.sinkSpecs()...)
	// The backlog every 15s, to see which stage a slow recovery waits on.
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel: no log once the test is over
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
			b, err := pipeline.ReadBacklog(rctx, e.js, e.names, consumers)
			rcancel()
			e.t.Logf("%v: backlog frontier %d, pages %d, articles %d (%v); in flight %d, %d, %d",
				time.Since(e.start).Round(time.Second), b.Frontier, b.Pages, b.Articles, err,
				e.inFlight(e.names.FrontierStream()), e.inFlight(e.names.PagesStream()), e.inFlight(e.names.ArticlesStream()))
		}
	}()
	// A worker that exits ends the wait: nothing would finish its work.
	for _, p := range e.workers {
		go func() {
			select {
			case <-p.done:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	if err := pipeline.WaitIdle(ctx, e.js, e.names, consumers, 250*time.Millisecond); err != nil {
		for _, p := range e.workers {
			if !p.running() {
				e.t.Fatalf("%s exited: %v", p.name, p.cmd.ProcessState)
			}
		}
		b, berr := pipeline.ReadBacklog(context.Background(), e.js, e.names, consumers)
		e.t.Fatalf("pipeline not idle: %v (backlog %+v, %v)", err, b, berr)
	}
	cancel()
	e.t.Logf("idle after %v", time.Since(e.start).Round(time.Second))
}

// pgURL rewrites the PostgreSQL DSN to go through host:port.
func pgURL(t *testing.T, dsn, hostport string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostport
	return u.String()
}

// inFlight sums the messages of a stream delivered to its consumers and not
// yet acked.
func (e *env) inFlight(stream string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := e.js.Stream(ctx, stream)
	if err != nil {
		return 0
	}
	n := 0
	for info := range st.ListConsumers(ctx).Info() {
		n += info.NumAckPending
	}
	return n
}

// killBusy kills p with kill -9 as soon as the consumers of stream hold
// unacked messages (within a few seconds), so that the kill loses work in
// flight, and restarts it.
func (e *env) killBusy(p *proc, stream string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	n := e.inFlight(stream)
	for n == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		n = e.inFlight(stream)
	}
	p.kill()
	e.t.Logf("killed %s (kill -9) with %d messages of %s in flight", p.name, n, stream)
	p.start()
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
