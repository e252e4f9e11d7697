package natsutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// Consumer names of the work-queue stages. Sinks name their own (see
// SinkConsumer), because each sink reads the articles stream in full.
const (
	CrawlConsumer = "crawlers"
	ParseConsumer = "parsers"
)

// Topology sizes the streams. The zero value gives the defaults.
type Topology struct {
	Replicas    int           // stream replicas (1 on a single server)
	ArticlesAge time.Duration // how long articles stay replayable for new sinks
	DLQAge      time.Duration // how long dead letters are kept
	AckWait     time.Duration // redelivery timeout of an unacked message
}

func (t Topology) withDefaults() Topology {
	if t.Replicas == 0 {
		t.Replicas = 1
	}
	if t.ArticlesAge == 0 {
		t.ArticlesAge = 7 * 24 * time.Hour
	}
	if t.DLQAge == 0 {
		t.DLQAge = 30 * 24 * time.Hour
	}
	if t.AckWait == 0 {
		t.AckWait = 60 * time.Second
	}
	return t
}

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
	streams := []jetstream.StreamConfig{
		{
			Name:        names.FrontierStream(),
			Description: "crawl requests (work queue)",
			Subjects:    []string{names.FrontierSubject()},
			Retention:   jetstream.WorkQueuePolicy,
			Duplicates:  dedupWindow,
		},
		{
			Name:        names.PagesStream(),
			Description: "fetched pages (work queue)",
			Subjects:    []string{names.PagesSubject()},
			Retention:   jetstream.WorkQueuePolicy,
			Duplicates:  dedupWindow,
		},
		{
			Name:        names.ArticlesStream(),
			Description: "parsed articles, read in full by every sink",
			Subjects:    []string{names.ArticlesSubject()},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      t.ArticlesAge,
			Duplicates:  dedupWindow,
		},
		{
			Name:        names.DeadLetterStream(),
			Description: "messages that failed permanently, with the reason in headers",
			Subjects:    []string{names.DeadLetterSubject("*")},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      t.DLQAge,
		},
	}
	for _, cfg := range streams {
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = t.Replicas
		if err := ensureStream(ctx, js, cfg); err != nil {
			return err
		}
	}
	for _, c := range []struct{ stream, name string }{
		{names.FrontierStream(), CrawlConsumer},
		{names.PagesStream(), ParseConsumer},
	} {
		if _, err := js.CreateOrUpdateConsumer(ctx, c.stream, consumerConfig(c.name, t)); err != nil {
			return fmt.Errorf("declare consumer %s on %s: %w", c.name, c.stream, err)
		}
	}
	for _, bucket := range []string{names.SeenBucket(), names.ScopeBucket()} {
		if _, err := js.KeyValue(ctx, bucket); err == nil {
			continue
		} else if !errors.Is(err, jetstream.ErrBucketNotFound) {
			return fmt.Errorf("bucket %s: %w", bucket, err)
		}
		_, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:   bucket,
			History:  1,
			Storage:  jetstream.FileStorage,
			Replicas: t.Replicas,
		})
		if err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
			return fmt.Errorf("declare bucket %s: %w", bucket, err)
		}
	}
	return nil
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
