package pipeline

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

// jetStreamScrapeTimeout bounds the JetStream requests of one scrape. A
// server in a leader election answers nothing: the scrape then shows the
// figures that did arrive rather than hitting Prometheus' scrape timeout,
// which would drop every other metric of the process too.
const jetStreamScrapeTimeout = 2 * time.Second

// stageDLQ is the stage label of the dead-letter stream in
// trawler_jetstream_stream_messages.
const stageDLQ = "dlq"

// jetStreamCollector exports the server's view of the pipeline's streams and
// consumers at scrape time, so the figures are as fresh as the scrape and
// cost nothing between scrapes. Every process exports the same series:
// queries take the max over processes before summing (see docs/metrics.md).
type jetStreamCollector struct {
	js      jetstream.JetStream
	names   trawler.Names
	log     *slog.Logger
	timeout time.Duration

	pending, ackPending, redelivered *prometheus.Desc
	streamMsgs, deadLetters          *prometheus.Desc
}

// NewJetStreamCollector returns a collector of the trawler_jetstream_*
// gauges of the pipeline named by names: per stage consumer, messages
// pending, awaiting an ack and redelivered; per stage stream, messages
// stored; and dead letters per failing stage. Each scrape makes one stream
// info and one consumer list request per stream, concurrently, within a
// bounded time; a stream that does not answer is left out of that scrape
// and logged at debug level. Describe does not touch js.
func NewJetStreamCollector(js jetstream.JetStream, names trawler.Names, log *slog.Logger) prometheus.Collector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	consumer := []string{"stage", "stream", "consumer"}
	return &jetStreamCollector{
		js: js, names: names, log: log, timeout: jetStreamScrapeTimeout,
		pending: prometheus.NewDesc("trawler_jetstream_consumer_pending_messages",
			"Messages of a stage stream not yet delivered to the stage's consumer (num_pending), as its leader reports.",
			consumer, nil),
		ackPending: prometheus.NewDesc("trawler_jetstream_consumer_ack_pending_messages",
			"Messages delivered to a stage's consumer and not yet acked (num_ack_pending).",
			consumer, nil),
		redelivered: prometheus.NewDesc("trawler_jetstream_consumer_redelivered_messages",
			"Unacked messages of a stage's consumer that were delivered more than once (num_redelivered).",
			consumer, nil),
		streamMsgs: prometheus.NewDesc("trawler_jetstream_stream_messages",
			"Messages stored in a stage stream: frontier (crawl), pages (parse), articles (sink), dead letters (dlq).",
			[]string{"stage", "stream"}, nil),
		deadLetters: prometheus.NewDesc("trawler_jetstream_dead_letter_messages",
			"Messages in the dead-letter stream, by the stage that gave up on them.",
			[]string{"stage"}, nil),
	}
}

func (c *jetStreamCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.pending, c.ackPending, c.redelivered, c.streamMsgs, c.deadLetters} {
		ch <- d
	}
}

func (c *jetStreamCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	stages := []struct {
		stage, stream string
		owns          func(name string) bool // the stage's own consumers, a bounded set
	}{
		{trawler.StageCrawl, c.names.FrontierStream(), isPartitionConsumer},
		{trawler.StageParse, c.names.PagesStream(), func(name string) bool { return name == natsutil.ParseConsumer }},
		{trawler.StageSink, c.names.ArticlesStream(), isSinkConsumer},
	}
	var wg sync.WaitGroup
	for _, s := range stages {
		wg.Go(func() { c.collectStage(ctx, ch, s.stage, s.stream, s.owns) })
	}
	wg.Go(func() { c.collectDeadLetters(ctx, ch) })
	wg.Wait()
}

// collectStage exports a stage stream's message count and its consumers'
// figures, from one stream info and one consumer list request. In a cluster
// the list is gathered from each consumer's leader; a follower's figures
// would be stale.
func (c *jetStreamCollector) collectStage(ctx context.Context, ch chan<- prometheus.Metric, stage, stream string, owns func(string) bool) {
	st, err := c.js.Stream(ctx, stream)
	if err != nil {
		c.log.Debug("jetstream metrics: stream info", "stream", stream, "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.streamMsgs, prometheus.GaugeValue, float64(st.CachedInfo().State.Msgs), stage, stream)

	lister := st.ListConsumers(ctx)
	seen := map[string]bool{}
	// Drain the channel even past the deadline: the lister's goroutine
	// blocks on it until it gives up.
	for info := range lister.Info() {
		name := info.Name
		// Ephemeral and foreign consumers would make the consumer label
		// unbounded. A list whose pages shift while consumers come and go
		// can repeat one, and a repeated series fails the whole scrape.
		if info.Config.Durable != name || !owns(name) || seen[name] {
			continue
		}
		seen[name] = true
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(info.NumPending), stage, stream, name)
		ch <- prometheus.MustNewConstMetric(c.ackPending, prometheus.GaugeValue, float64(info.NumAckPending), stage, stream, name)
		ch <- prometheus.MustNewConstMetric(c.redelivered, prometheus.GaugeValue, float64(info.NumRedelivered), stage, stream, name)
	}
	if err := lister.Err(); err != nil {
		c.log.Debug("jetstream metrics: consumer list", "stream", stream, "consumers", len(seen), "err", err)
	}
}

// collectDeadLetters exports the dead-letter stream's size and its messages
// per failing stage, counted by the server per subject. Every stage gets a
// series, at 0 when it has none, so the first dead letter is an increase
// that alerts see.
func (c *jetStreamCollector) collectDeadLetters(ctx context.Context, ch chan<- prometheus.Metric) {
	stream := c.names.DeadLetterStream()
	info, err := c.streamInfo(ctx, stream, c.names.DeadLetterSubject("*"))
	if err != nil {
		c.log.Debug("jetstream metrics: stream info", "stream", stream, "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.streamMsgs, prometheus.GaugeValue, float64(info.State.Msgs), stageDLQ, stream)
	for _, stage := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
		n := info.State.Subjects[c.names.DeadLetterSubject(stage)]
		ch <- prometheus.MustNewConstMetric(c.deadLetters, prometheus.GaugeValue, float64(n), stage)
	}
}

// streamInfo reads a stream's info with its message count per subject
// matching filter.
func (c *jetStreamCollector) streamInfo(ctx context.Context, stream, filter string) (*jetstream.StreamInfo, error) {
	st, err := c.js.Stream(ctx, stream)
	if err != nil {
		return nil, err
	}
	return st.Info(ctx, jetstream.WithSubjectFilter(filter))
}

// isPartitionConsumer reports whether name is a frontier partition's
// consumer (see natsutil.PartitionConsumer).
func isPartitionConsumer(name string) bool {
	p, ok := strings.CutPrefix(name, natsutil.CrawlConsumer+"-")
	if !ok {
		return false
	}
	_, err := strconv.ParseUint(p, 10, 16)
	return err == nil
}

// isSinkConsumer reports whether name is a sink's consumer (see SinkName).
func isSinkConsumer(name string) bool { return strings.HasPrefix(name, "sink_") }
