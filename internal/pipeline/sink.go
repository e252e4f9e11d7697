package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/sink"
)

// Sink is the sink stage for one sink: it reads the articles stream in full
// through its own durable consumer and writes batches.
type Sink struct {
	Sink    sink.Sink
	Kind    string // the sink's metric label: its consumer's name (SinkName), one per sink
	Metrics *Metrics
	Log     *slog.Logger

	cons jetstream.Consumer // the sink's durable consumer of the articles stream
	loop worker.Config
}

// Run writes the articles stream to the sink until ctx ends, then closes
// the sink: the loop has acked or released every message it held, so
// nothing is written after.
func (s *Sink) Run(ctx context.Context) error {
	err := worker.RunBatch(ctx, s.cons, s.loop, s.Handle)
	return errors.Join(err, s.Sink.Close())
}

// SinkName is the durable consumer name of the sink described by spec:
// sink_<kind>_<name> for a spec that names itself (name=, see sink.Name),
// else sink_<kind>_ and 12 hex digits of the SHA-256 of the spec with its
// secrets removed (sink.Redact), so that the name, shown on every /metrics
// scrape, tells nothing about a password. Workers given the same spec share
// one consumer, so they split the stream between them; different specs
// (or names) each read it in full. Specs differing only in their secrets
// share one.
func SinkName(spec string) (string, error) {
	name, rest, err := sink.Name(spec)
	if err != nil {
		return "", err
	}
	if name == "" {
		sum := sha256.Sum256([]byte(sink.Redact(rest)))
		name = hex.EncodeToString(sum[:6])
	}
	return "sink_" + sink.Kind(rest) + "_" + name, nil
}

// SinkNames returns the consumer names of specs, refusing a spec whose
// name= is not a valid name and two specs that would share one consumer in
// one process (the same spec twice, or the same name= twice): each would
// get half of the stream.
func SinkNames(specs []string) ([]string, error) {
	names := make([]string, len(specs))
	first := map[string]string{} // consumer name → the spec that has it
	var errs []error
	for i, spec := range specs {
		name, err := SinkName(spec)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := first[name]; dup {
			errs = append(errs, fmt.Errorf("sinks %q and %q share the consumer %s: give each its own name=NAME", sink.Redact(other), sink.Redact(spec), name))
			continue
		}
		first[name] = spec
		names[i] = name
	}
	return names, errors.Join(errs...)
}

// Handle writes a batch. Undecodable or invalid articles are dead-lettered;
// the rest are written together and acked only after the write is durable.
// When the sink refuses the batch because of an article (sink.ErrInvalid),
// each article is tried alone, so the one the sink cannot take is
// dead-lettered and the others are written. Any other failure (the sink is
// down) fails the whole batch, to be retried with backoff.
func (s *Sink) Handle(ctx context.Context, msgs []jetstream.Msg) []error {
	errs := make([]error, len(msgs))
	arts := make([]trawler.Article, 0, len(msgs))
	idx := make([]int, 0, len(msgs))
	for i, m := range msgs {
		a, err := wire.Article(m.Data())
		if err == nil {
			err = sink.Validate(&a)
		}
		if err != nil {
			s.Metrics.SinkArticles.WithLabelValues(s.Kind, "invalid").Inc()
			errs[i] = worker.Permanent(err)
			continue
		}
		arts = append(arts, a)
		idx = append(idx, i)
	}
	if len(arts) == 0 {
		return errs
	}
	err := s.write(ctx, arts)
	if err == nil {
		return errs
	}
	if len(arts) == 1 || !errors.Is(err, sink.ErrInvalid) {
		for _, i := range idx {
			errs[i] = err
		}
		return errs
	}
	s.Log.Warn("batch refused, writing one by one", "sink", s.Kind, "articles", len(arts), "err", err)
	for j := range arts {
		errs[idx[j]] = s.write(ctx, arts[j:j+1])
	}
	return errs
}

func (s *Sink) write(ctx context.Context, arts []trawler.Article) error {
	start := time.Now()
	err := s.Sink.Write(ctx, arts)
	s.Metrics.SinkWriteSeconds.WithLabelValues(s.Kind).Observe(time.Since(start).Seconds())
	if err != nil {
		s.Metrics.SinkArticles.WithLabelValues(s.Kind, "failed").Add(float64(len(arts)))
		if errors.Is(err, sink.ErrInvalid) {
			return worker.Permanent(err)
		}
		return fmt.Errorf("sink %s: %w", s.Kind, err)
	}
	s.Metrics.SinkArticles.WithLabelValues(s.Kind, "written").Add(float64(len(arts)))
	return nil
}
