package natsutil

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// Consumer names of the work-queue stages. Sinks name their own (see
// SinkConsumer), because each sink reads the articles stream in full.
// CrawlConsumer is the prefix of the frontier's per-partition consumers (see
// PartitionConsumer).
const (
	CrawlConsumer = "crawlers"
	ParseConsumer = "parsers"
)

// PartitionConsumer names the durable consumer of frontier partition p.
func PartitionConsumer(p int) string { return fmt.Sprintf("%s-%02d", CrawlConsumer, p) }

// Topology defaults, which a zero Topology field takes and the trawler
// command's flags show, and bounds.
const (
	// DefaultReplicas is the replicas of a new stream or bucket.
	DefaultReplicas = 1
	// DefaultAckWait is the consumers' redelivery timeout of a message
	// taken and never settled (a worker died with it).
	DefaultAckWait = 60 * time.Second
	// DefaultPartitions is the number of frontier partitions of a new
	// frontier stream. It bounds the crawlers that can work at once.
	DefaultPartitions = 32
	// DefaultLeaseTTL is how long a partition lease or membership lives
	// without renewal, when this process creates the lease bucket.
	DefaultLeaseTTL = 15 * time.Second
	// MaxPartitions bounds Topology.Partitions.
	MaxPartitions = 1024
)

// StreamLimits are the most messages each stream holds.
type StreamLimits struct {
	Frontier, Pages, Articles, DeadLetters int64
}

// DefaultStreamLimits returns the caps of streams created without others: the
// frontier is also capped, more gently, by the parsers (pipeline MaxQueued),
// and the pages by the crawlers' back-pressure; articles and dead letters
// also age out (ArticlesAge, DLQAge).
func DefaultStreamLimits() StreamLimits {
	return StreamLimits{Frontier: 20_000_000, Pages: 200_000, Articles: 20_000_000, DeadLetters: 1_000_000}
}

// metaPartitions is the frontier stream metadata key holding its partition
// count, so that every process agrees on it.
const metaPartitions = "trawler.partitions"

// Topology sizes the streams. The zero value gives the defaults.
type Topology struct {
	Replicas    int           // stream replicas (default 1, for a single server)
	ArticlesAge time.Duration // how long articles stay replayable for new sinks
	DLQAge      time.Duration // how long dead letters are kept
	AckWait     time.Duration // redelivery timeout of an unacked message
	// Partitions is the number of frontier partitions of a new frontier
	// stream (default 32). An existing stream keeps its own.
	Partitions int
	// LeaseTTL is the lifetime of an unrenewed partition lease, when this
	// process creates the lease bucket (default 15s).
	LeaseTTL time.Duration
	// SeenTTL, if set, forgets a URL's first-sight record that long after
	// its last write, so that the seen bucket stops growing with the web;
	// a URL forgotten is enqueued again when a link leads to it. Applied to
	// the bucket when it is created, and to an existing one when given.
	SeenTTL time.Duration
	// StreamLimits cap the messages of each stream a process creates
	// (default DefaultStreamLimits). A full stream refuses new messages
	// (DiscardNew): publishers retry and back off, nothing stored is lost.
	// Counts, not bytes: a byte cap is reserved from the server's storage
	// when the stream is created, and would fail on a small disk.
	StreamLimits StreamLimits
}

func (t Topology) withDefaults() Topology {
	if t.Replicas == 0 {
		t.Replicas = DefaultReplicas
	}
	if t.ArticlesAge == 0 {
		t.ArticlesAge = 7 * 24 * time.Hour
	}
	if t.DLQAge == 0 {
		t.DLQAge = 30 * 24 * time.Hour
	}
	if t.AckWait == 0 {
		t.AckWait = DefaultAckWait
	}
	if t.Partitions <= 0 {
		t.Partitions = DefaultPartitions
	}
	t.Partitions = min(t.Partitions, MaxPartitions)
	if t.LeaseTTL <= 0 {
		t.LeaseTTL = DefaultLeaseTTL
	}
	if t.StreamLimits == (StreamLimits{}) {
		t.StreamLimits = DefaultStreamLimits()
	}
	return t
}

// OpTimeout bounds one JetStream request (a publish, a KV operation) made
// while handling a message. None legitimately takes this long; one lost in a
// server restart or a leader election must fail and be retried, not hold its
// message for the handler's whole deadline.
const OpTimeout = 15 * time.Second

// dedupWindow is how long JetStream remembers a Nats-Msg-Id. It covers the
// time between a worker publishing a result and acking its input, so a
// redelivery after a crash republishes into the window and is dropped.
const dedupWindow = 10 * time.Minute

// Setup declares every stream, consumer and bucket of the pipeline named by
// names. Any worker may call it at start: the first one creates them, the
// others find them. Existing streams and buckets are left as they are, so a
// worker started with other defaults cannot, say, shrink a cluster's
// replicas.
func Setup(ctx context.Context, js jetstream.JetStream, names trawler.Names, topo Topology) error {
	t := topo.withDefaults()
	for _, cfg := range streams(names, t) {
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = t.Replicas
		cfg.Discard = jetstream.DiscardNew
		if err := ensureStream(ctx, js, cfg); err != nil {
			return err
		}
	}
	if err := parseConsumer(ctx, js, names, t); err != nil {
		return err
	}
	parts, err := FrontierPartitions(ctx, js, names)
	if err != nil {
		return err
	}
	for p := range parts {
		if err := partitionConsumer(ctx, js, names, p, t); err != nil {
			return err
		}
	}
	for _, b := range buckets(names, t) {
		if err := ensureBucket(ctx, js, b.name, b.ttl, t.Replicas); err != nil {
			return err
		}
	}
	return nil
}

// streams lists the pipeline's streams, in the order Setup declares them,
// with the settings that differ between them.
func streams(names trawler.Names, t Topology) []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		{
			Name:        names.FrontierStream(),
			Description: "crawl requests (work queue), partitioned by registered domain",
			Subjects:    []string{names.FrontierSubjects()},
			Retention:   jetstream.WorkQueuePolicy,
			Duplicates:  dedupWindow,
			MaxMsgs:     t.StreamLimits.Frontier,
			Metadata:    map[string]string{metaPartitions: strconv.Itoa(t.Partitions)},
		},
		{
			Name:        names.PagesStream(),
			Description: "fetched pages (work queue)",
			Subjects:    []string{names.PagesSubject()},
			Retention:   jetstream.WorkQueuePolicy,
			Duplicates:  dedupWindow,
			MaxMsgs:     t.StreamLimits.Pages,
		},
		{
			Name:        names.ArticlesStream(),
			Description: "parsed articles, read in full by every sink",
			Subjects:    []string{names.ArticlesSubject()},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      t.ArticlesAge,
			Duplicates:  dedupWindow,
			MaxMsgs:     t.StreamLimits.Articles,
		},
		{
			Name:        names.DeadLetterStream(),
			Description: "messages that failed permanently, with the reason in headers",
			Subjects:    []string{names.DeadLetterSubject("*")},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      t.DLQAge,
			MaxMsgs:     t.StreamLimits.DeadLetters,
		},
	}
}

// bucket is a key-value bucket Setup declares, and the age at which its
// keys expire (0: never).
type bucket struct {
	name string
	ttl  time.Duration
}

// buckets lists the key-value buckets of a pipeline, in the order Setup
// declares them.
func buckets(names trawler.Names, t Topology) []bucket {
	return []bucket{
		{names.SeenBucket(), t.SeenTTL},
		{names.ScopeBucket(), 0},
		{names.LeaseBucket(), t.LeaseTTL},
		{names.ScheduleBucket(), 0},
	}
}

// parseConsumer declares the parsers' consumer of the pages stream, or
// updates its ack wait. One already as wanted is left alone, so a worker
// whose credentials may not change it (a crawler's, a sink's) can start.
func parseConsumer(ctx context.Context, js jetstream.JetStream, names trawler.Names, t Topology) error {
	cfg := consumerConfig(ParseConsumer, t)
	if c, err := js.Consumer(ctx, names.PagesStream(), ParseConsumer); err == nil && c.CachedInfo().Config.AckWait == cfg.AckWait {
		return nil
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, names.PagesStream(), cfg); err != nil {
		return fmt.Errorf("declare consumer %s on %s: %w", ParseConsumer, names.PagesStream(), err)
	}
	return nil
}

// partitionConsumer declares the consumer of frontier partition p, unless it
// exists (its owner may be consuming it).
func partitionConsumer(ctx context.Context, js jetstream.JetStream, names trawler.Names, p int, t Topology) error {
	name := PartitionConsumer(p)
	if _, err := js.Consumer(ctx, names.FrontierStream(), name); err == nil {
		return nil
	}
	cfg := consumerConfig(name, t)
	cfg.FilterSubject = names.FrontierPartitionSubject(p)
	if _, err := js.CreateOrUpdateConsumer(ctx, names.FrontierStream(), cfg); err != nil {
		return fmt.Errorf("declare consumer %s on %s: %w", name, names.FrontierStream(), err)
	}
	return nil
}

// ensureBucket creates a KV bucket unless it exists; ttl > 0 expires keys
// that long after their last write.
func ensureBucket(ctx context.Context, js jetstream.JetStream, bucket string, ttl time.Duration, replicas int) error {
	if kv, err := js.KeyValue(ctx, bucket); err == nil {
		if ttl <= 0 {
			return nil
		}
		st, err := kv.Status(ctx)
		if err != nil || st.TTL() == ttl {
			return err
		}
		// Asked for another TTL: a bucket's TTL is its stream's MaxAge.
		stream, err := js.Stream(ctx, "KV_"+bucket)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", bucket, err)
		}
		cfg := stream.CachedInfo().Config
		cfg.MaxAge = ttl
		cfg.Duplicates = min(cfg.Duplicates, ttl) // as CreateKeyValue sets it
		if _, err := js.UpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("bucket %s: set TTL %v: %w", bucket, ttl, err)
		}
		return nil
	} else if !errors.Is(err, jetstream.ErrBucketNotFound) {
		return fmt.Errorf("bucket %s: %w", bucket, err)
	}
	_, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:   bucket,
		History:  1,
		TTL:      ttl,
		Storage:  jetstream.FileStorage,
		Replicas: replicas,
	})
	if err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
		return fmt.Errorf("declare bucket %s: %w", bucket, err)
	}
	return nil
}

// FrontierPartitions returns the partition count of the frontier stream, as
// recorded in its metadata when it was created.
func FrontierPartitions(ctx context.Context, js jetstream.JetStream, names trawler.Names) (int, error) {
	st, err := js.Stream(ctx, names.FrontierStream())
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", names.FrontierStream(), err)
	}
	v := st.CachedInfo().Config.Metadata[metaPartitions]
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > MaxPartitions {
		return 0, fmt.Errorf("stream %s has no valid %s metadata (%q): it predates partitioning; drain it with trawler 0.1 or use a new namespace",
			names.FrontierStream(), metaPartitions, v)
	}
	return n, nil
}

// ensureStream creates the stream unless it exists. Two workers racing to
// create it with one config both succeed.
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	if _, err := js.Stream(ctx, cfg.Name); err == nil {
		return nil
	} else if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("stream %s: %w", cfg.Name, err)
	}
	if _, err := js.CreateStream(ctx, cfg); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("declare stream %s: %w", cfg.Name, err)
	}
	return nil
}

// SinkConsumer declares the durable consumer through which one sink reads the
// articles stream in full. Sink workers sharing a name share the work.
func SinkConsumer(ctx context.Context, js jetstream.JetStream, names trawler.Names, name string, topo Topology) (jetstream.Consumer, error) {
	c, err := js.CreateOrUpdateConsumer(ctx, names.ArticlesStream(), consumerConfig(name, topo.withDefaults()))
	if err != nil {
		return nil, fmt.Errorf("declare sink consumer %s: %w", name, err)
	}
	return c, nil
}

// consumerConfig is shared by every stage. MaxDeliver is unlimited on the
// server: the worker loop counts deliveries itself and dead-letters a
// message past its limit, so nothing is silently dropped, even a message that
// crashes every worker that takes it.
func consumerConfig(name string, t Topology) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       name,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       t.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: 1000,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
}

// WaitDeclared waits until everything Setup declares exists: a stage
// worker whose credentials may not declare streams, consumers or buckets
// (only admin's may, see Permissions) starts before the first `trawler
// seed` or `run` without failing and restarting. Streams alone are not
// enough: the admin declares the consumers and buckets after them, and a
// worker that went on in between would try to declare the rest itself and
// be refused. It says once that it waits, and why.
func WaitDeclared(ctx context.Context, js jetstream.JetStream, names trawler.Names, log *slog.Logger) error {
	said := false
	for {
		missing := firstUndeclared(ctx, js, names)
		if missing == "" {
			return nil
		}
		if !said {
			log.Info("waiting for the pipeline's streams, consumers and buckets: trawler seed (or run) declares them as admin", "missing", missing)
			said = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// firstUndeclared names the first stream, consumer or bucket of Setup's
// that does not exist yet (or cannot be read for now), in the order Setup
// declares them; "" when all do.
func firstUndeclared(ctx context.Context, js jetstream.JetStream, names trawler.Names) string {
	for _, cfg := range streams(names, Topology{}) {
		if _, err := js.Stream(ctx, cfg.Name); err != nil {
			return cfg.Name
		}
	}
	if _, err := js.Consumer(ctx, names.PagesStream(), ParseConsumer); err != nil {
		return names.PagesStream() + "/" + ParseConsumer
	}
	parts, err := FrontierPartitions(ctx, js, names)
	if err != nil {
		return names.FrontierStream()
	}
	for p := range parts {
		if _, err := js.Consumer(ctx, names.FrontierStream(), PartitionConsumer(p)); err != nil {
			return names.FrontierStream() + "/" + PartitionConsumer(p)
		}
	}
	for _, b := range buckets(names, Topology{}) {
		if _, err := js.KeyValue(ctx, b.name); err != nil {
			return b.name
		}
	}
	return ""
}
