package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
)

// gatherJetStream collects c and returns its series as
// `name{label="value",…}` → value.
func gatherJetStream(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			out[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue()
		}
	}
	return out
}

func TestJetStreamCollector(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: "jsm"}
	topo := natsutil.Topology{Partitions: 2}
	c := NewJetStreamCollector(js, names, natstest.Discard())

	// Before the streams exist a scrape has nothing to say, and says it
	// without failing.
	if got := gatherJetStream(t, c); len(got) != 0 {
		t.Errorf("before setup: %v", got)
	}

	if err := natsutil.Setup(ctx, js, names, topo); err != nil {
		t.Fatal(err)
	}
	sinkName := sinkNames(t, "jsonl:/tmp/x.jsonl")[0]
	if _, err := natsutil.SinkConsumer(ctx, js, names, sinkName, topo); err != nil {
		t.Fatal(err)
	}
	// Consumers that are not a stage's must not become series: their names
	// are not a bounded set.
	if _, err := js.CreateOrUpdateConsumer(ctx, names.ArticlesStream(), jetstream.ConsumerConfig{Durable: "audit"}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateConsumer(ctx, names.ArticlesStream(), jetstream.ConsumerConfig{}); err != nil { // ephemeral
		t.Fatal(err)
	}

	publish := func(subject string, n int) {
		t.Helper()
		for i := range n {
			if _, err := js.Publish(ctx, subject, fmt.Appendf(nil, "%s %d", subject, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(names.FrontierPartitionSubject(0), 3)
	publish(names.FrontierPartitionSubject(1), 1)
	publish(names.PagesSubject(), 2)
	publish(names.ArticlesSubject(), 4)
	publish(names.DeadLetterSubject(trawler.StageParse), 2)
	publish(names.DeadLetterSubject(trawler.StageSink), 1)

	// Both pages taken and held; the first naked and taken again (it is the
	// only one to take), so one unacked message has been delivered twice.
	parsers, err := js.Consumer(ctx, names.PagesStream(), natsutil.ParseConsumer)
	if err != nil {
		t.Fatal(err)
	}
	var held []jetstream.Msg
	fetch := func(n int) {
		t.Helper()
		batch, err := parsers.Fetch(n, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			held = append(held, m)
		}
		if err := batch.Error(); err != nil {
			t.Fatal(err)
		}
	}
	fetch(2)
	if len(held) != 2 {
		t.Fatalf("fetched %d pages, want 2", len(held))
	}
	if err := held[0].Nak(); err != nil {
		t.Fatal(err)
	}
	fetch(1)
	if md, err := held[2].Metadata(); err != nil || md.NumDelivered != 2 {
		t.Fatalf("the naked page was not the one redelivered: %+v, %v", md, err)
	}
	publish(names.PagesSubject(), 3)

	fr, pg, ar, dl := names.FrontierStream(), names.PagesStream(), names.ArticlesStream(), names.DeadLetterStream()
	want := map[string]float64{
		`trawler_jetstream_stream_messages{stage="crawl",stream="` + fr + `"}`: 4,
		`trawler_jetstream_stream_messages{stage="parse",stream="` + pg + `"}`: 5,
		`trawler_jetstream_stream_messages{stage="sink",stream="` + ar + `"}`:  4,
		`trawler_jetstream_stream_messages{stage="dlq",stream="` + dl + `"}`:   3,
		`trawler_jetstream_dead_letter_messages{stage="crawl"}`:                0,
		`trawler_jetstream_dead_letter_messages{stage="parse"}`:                2,
		`trawler_jetstream_dead_letter_messages{stage="sink"}`:                 1,
	}
	consumer := func(stage, stream, name string, pending, ackPending, redelivered float64) {
		l := fmt.Sprintf(`{consumer=%q,stage=%q,stream=%q}`, name, stage, stream)
		want["trawler_jetstream_consumer_pending_messages"+l] = pending
		want["trawler_jetstream_consumer_ack_pending_messages"+l] = ackPending
		want["trawler_jetstream_consumer_redelivered_messages"+l] = redelivered
	}
	consumer("crawl", fr, natsutil.PartitionConsumer(0), 3, 0, 0)
	consumer("crawl", fr, natsutil.PartitionConsumer(1), 1, 0, 0)
	consumer("parse", pg, natsutil.ParseConsumer, 3, 2, 1)
	consumer("sink", ar, sinkName, 4, 0, 0)

	// The server may update a consumer's figures just after a fetch
	// returns: poll.
	var got map[string]float64
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got = gatherJetStream(t, c)
		if maps.Equal(got, want) || time.Now().After(deadline) {
			break
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if v, ok := got[k]; !ok || v != want[k] {
			t.Errorf("%s = %v (present: %v), want %v", k, v, ok, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected series %s = %v", k, got[k])
		}
	}

	// Acking the held pages empties the parsers' ack-pending set.
	for _, m := range held[1:] {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	l := fmt.Sprintf(`{consumer=%q,stage="parse",stream=%q}`, natsutil.ParseConsumer, pg)
	got = gatherJetStream(t, c)
	if got["trawler_jetstream_consumer_ack_pending_messages"+l] != 0 || got["trawler_jetstream_consumer_redelivered_messages"+l] != 0 ||
		got[`trawler_jetstream_stream_messages{stage="parse",stream="`+pg+`"}`] != 3 {
		t.Errorf("after acking the held pages: %v", got)
	}
}

// TestJetStreamCollectorBounded checks that a server that never answers
// costs a scrape the collector's timeout, not Prometheus' scrape timeout.
func TestJetStreamCollectorBounded(t *testing.T) {
	srv := natstest.Start(t)
	nc, _ := srv.Connect(t)
	// A JetStream API that swallows every request, as a cluster without a
	// leader does.
	sub, err := nc.Subscribe("silent.>", func(*nats.Msg) {})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	js, err := jetstream.NewWithAPIPrefix(nc, "silent")
	if err != nil {
		t.Fatal(err)
	}
	c := NewJetStreamCollector(js, trawler.Names{NS: "jsm"}, natstest.Discard()).(*jetStreamCollector)
	c.timeout = 200 * time.Millisecond
	start := time.Now()
	got := gatherJetStream(t, c)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a scrape of a silent server took %v, want about %v", d, c.timeout)
	}
	if len(got) != 0 {
		t.Errorf("a silent server gave %v", got)
	}
}
