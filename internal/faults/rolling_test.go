package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

// drainBound is how long a worker may take to exit after SIGTERM in the
// rolling restart. A crawler finishes up to --concurrency 4 fetches spaced
// by the 200 ms host delay (one of them maybe a slow fixture page, 300 ms)
// and hands its partition back a cooldown (one host delay) later: about
// 1.3 s.
// Parsers and sinks wait out their last pull request (worker.fetchWait,
// 250 ms). 5 s leaves room for the race detector on a loaded machine and is
// half the shortest grace period a worker gets (10 s, docker compose's
// default; Kubernetes gives 30 s).
const drainBound = 5 * time.Second

// A rolling restart of every stage in the middle of a crawl, as an
// orchestrator does it: two replicas of each stage, and one after the other
// each gets SIGTERM, must drain and exit 0 within drainBound, and is
// replaced. Nothing may be lost, stored twice, dead-lettered, or left
// unacked by a stopped worker: every redelivery the server made must be
// one a worker asked for with a nak.
func TestRollingRestart(t *testing.T) {
	slow(t)
	e := newEnv(t)
	if e.pgDSN == "" {
		// Sink replicas share work through one consumer and one store; a
		// JSONL directory takes one writer only.
		t.Skip("no PostgreSQL: the sink replicas share a PostgreSQL sink")
	}
	e.delay = "200ms" // a crawl that outlasts the restarts of six workers
	e.leaseTTL = 5 * time.Second
	e.startNATS(1)
	naks := e.countNaks()
	e.listenToInboxes()
	e.setup()

	// Replica 1 of the sink also writes the JSONL files: that consumer has
	// one worker, restarted like the others.
	sinks := map[string][]string{"sink-1": e.sinkSpecs(), "sink-2": {e.pgSpec}}
	var procs []*proc
	for _, stage := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
		for i := 1; i <= 2; i++ {
			name := fmt.Sprintf("%s-%d", stage, i)
			p := startProc(t, e.dir, name, "trawler", e.workerArgs(stage, sinks[name])...)
			procs = append(procs, p)
		}
	}
	for _, p := range procs {
		p.waitStarted()
	}
	e.seed()
	e.waitProgress(e.names.PagesStream(), 2)

	drains := map[string][]time.Duration{}
	for _, p := range procs {
		stage, _, _ := strings.Cut(p.name, "-")
		if p.name == "parse-1" {
			// Parsers and sinks are busy once articles flow.
			e.waitProgress(e.names.ArticlesStream(), 3)
		}
		inFlight := e.waitBusy(map[string]string{
			trawler.StageCrawl: e.names.FrontierStream(),
			trawler.StageParse: e.names.PagesStream(),
			trawler.StageSink:  e.names.ArticlesStream(),
		}[stage])
		d := e.terminate(p)
		t.Logf("%v: %s: SIGTERM with %d messages of its stream in flight, exited 0 after %v, drain logged %v; pages %d, articles %d",
			time.Since(e.start).Round(100*time.Millisecond), p.name, inFlight, d.exit.Round(time.Millisecond), d.logged,
			e.lastSeq(e.names.PagesStream()), e.lastSeq(e.names.ArticlesStream()))
		drains[stage] = append(drains[stage], d.logged)
		p.start()
		p.waitStarted()
	}
	e.t.Logf("rolling restart done after %v; articles stream %d", time.Since(e.start).Round(time.Second),
		e.lastSeq(e.names.ArticlesStream()))
	e.workers = procs
	e.waitIdle()
	// The last stop, all at once, must drain too.
	sent := make([]time.Time, len(procs))
	for i, p := range procs {
		sent[i] = sigterm(p)
	}
	for i, p := range procs {
		e.waitExit(p, sent[i])
	}
	for stage, ds := range drains {
		t.Logf("%s drains under load: %v (median %v)", stage, ds, median(ds))
	}

	o := e.check("rolling restart of two crawlers, two parsers, two sinks")
	for stage, n := range o.deadLetters {
		t.Errorf("%d dead letters from %s", n, stage)
	}
	e.checkDeliveries(naks)
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Sorted(slices.Values(ds))
	return (ds[(len(ds)-1)/2] + ds[len(ds)/2]) / 2
}

// waitBusy waits up to a second for the consumers of stream to hold unacked
// messages, so that a SIGTERM finds work to settle, and returns how many.
// Parsers and sinks hold a message for milliseconds: the poll is tight.
func (e *env) waitBusy(stream string) int {
	deadline := time.Now().Add(time.Second)
	n := e.inFlight(stream)
	for n == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
		n = e.inFlight(stream)
	}
	return n
}

// drain is how long a worker took to stop after SIGTERM: as the test saw
// it, and as the worker logged it.
type drain struct{ exit, logged time.Duration }

var drainLog = regexp.MustCompile(`msg="worker stopped".* drain=(\S+)`)

// terminate sends SIGTERM to p and requires a clean exit within drainBound
// whose log says the worker drained.
func (e *env) terminate(p *proc) drain {
	e.t.Helper()
	return e.waitExit(p, sigterm(p))
}

// sigterm sends SIGTERM to p and returns when.
func sigterm(p *proc) time.Time {
	now := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	return now
}

// waitExit waits for p, sent SIGTERM at start, as terminate does.
func (e *env) waitExit(p *proc, start time.Time) drain {
	e.t.Helper()
	select {
	case <-p.done:
	case <-time.After(drainBound - time.Since(start)):
		_ = p.cmd.Process.Signal(syscall.SIGQUIT)
		<-p.done
		e.t.Fatalf("%s still running %v after SIGTERM; its goroutines in trawler code:\n%s", p.name, drainBound, trawlerFrames(p.log))
	}
	d := drain{exit: time.Since(start)}
	if !p.cmd.ProcessState.Success() {
		e.t.Fatalf("%s exited with %v after SIGTERM\n%s", p.name, p.cmd.ProcessState, tail(p.log, 20))
	}
	m := drainLog.FindStringSubmatch(lastRun(p.log))
	if m == nil {
		e.t.Fatalf("%s: no drain in its log:\n%s", p.name, tail(p.log, 10))
	}
	if d.logged, _ = time.ParseDuration(m[1]); d.logged <= 0 || d.logged > d.exit {
		e.t.Errorf("%s logged a drain of %s, exited after %v", p.name, m[1], d.exit)
	}
	return d
}

// lastRun is the log of the last run of a process: the file is appended to
// at every start.
func lastRun(path string) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(string(data), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "=== ") && strings.Contains(lines[i], " start ") {
			return strings.Join(lines[i:], "\n")
		}
	}
	return string(data)
}

// listenToInboxes subscribes to every reply inbox. A server delivers to a
// pull request only while its requester listens, a best-effort check that
// a cluster with leaf nodes or gateways skips; with this subscription no
// server skips it, so a worker that walks away from a pull request it
// still holds loses what the server sends to it every time, not once in a
// while, and checkDeliveries sees it.
func (e *env) listenToInboxes() {
	e.t.Helper()
	e.subscribeAll(nats.InboxPrefix+">", func(*nats.Msg) {})
}

// subscribeAll subscribes cb to subject with no pending limit (nothing may
// be dropped: a run sees a few hundred messages at most) and returns once
// the server knows of the subscription.
func (e *env) subscribeAll(subject string, cb nats.MsgHandler) {
	e.t.Helper()
	sub, err := e.nc.Subscribe(subject, cb)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := sub.SetPendingLimits(-1, -1); err != nil {
		e.t.Fatal(err)
	}
	if err := e.nc.Flush(); err != nil {
		e.t.Fatal(err)
	}
}

// nakCounter counts the naks the server received, per consumer, from its
// advisories.
type nakCounter struct {
	mu sync.Mutex
	n  map[string]int // by stream/consumer
}

func (c *nakCounter) get(stream, consumer string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[stream+"/"+consumer]
}

// countNaks subscribes to the server's nak advisories before any worker
// starts.
func (e *env) countNaks() *nakCounter {
	e.t.Helper()
	c := &nakCounter{n: map[string]int{}}
	e.subscribeAll("$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.>", func(m *nats.Msg) {
		var a struct{ Stream, Consumer string }
		if err := json.Unmarshal(m.Data, &a); err != nil {
			e.t.Errorf("nak advisory: %v", err)
			return
		}
		c.mu.Lock()
		c.n[a.Stream+"/"+a.Consumer]++
		c.mu.Unlock()
	})
	return c
}

// checkDeliveries proves that no stopped worker left a message unacked.
// The server numbers every delivery of a consumer, redeliveries included
// (Delivered.Consumer), so deliveries minus the messages of the stream is
// the redeliveries. A message is redelivered when a worker naks it (each
// nak is an advisory) or when its ack wait expires: a worker exited holding
// it, or its ack was lost. So redeliveries must equal naks, and since the
// pipeline is idle nothing may still be pending or unacked.
func (e *env) checkDeliveries(naks *nakCounter) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	parts, err := natsutil.FrontierPartitions(ctx, e.js, e.names)
	if err != nil {
		e.t.Fatal(err)
	}
	// Each group of consumers shares the messages of its stream.
	type group struct {
		stream    string
		consumers []string
	}
	groups := []group{{e.names.PagesStream(), []string{natsutil.ParseConsumer}}}
	var frontier []string
	for p := range parts {
		frontier = append(frontier, natsutil.PartitionConsumer(p))
	}
	groups = append(groups, group{e.names.FrontierStream(), frontier})
	for _, s := range e.sinkSpecs() {
		groups = append(groups, group{e.names.ArticlesStream(), sinkNames(e.t, s)})
	}
	for _, g := range groups {
		msgs := e.lastSeq(g.stream)
		var delivered uint64
		var nakked, pending, unacked int
		for _, name := range g.consumers {
			c, err := e.js.Consumer(ctx, g.stream, name)
			if err != nil {
				e.t.Fatalf("consumer %s on %s: %v", name, g.stream, err)
			}
			info, err := c.Info(ctx)
			if err != nil {
				e.t.Fatal(err)
			}
			delivered += info.Delivered.Consumer
			pending += int(info.NumPending)
			unacked += info.NumAckPending
			nakked += naks.get(g.stream, name)
		}
		what := g.stream
		if len(g.consumers) == 1 {
			what += "/" + g.consumers[0]
		}
		redelivered := int(delivered) - int(msgs)
		e.t.Logf("%s: %d messages, %d deliveries, %d redeliveries, %d naks", what, msgs, delivered, redelivered, nakked)
		if pending != 0 || unacked != 0 {
			e.t.Errorf("%s: %d messages pending, %d unacked at the end", what, pending, unacked)
		}
		if redelivered != nakked {
			e.t.Errorf("%s: %d redeliveries but %d naks: %d messages came back after their ack wait, "+
				"held by a worker that stopped without settling them", what, redelivered, nakked, redelivered-nakked)
		}
	}
}
