package deadletter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/deadletter"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// picky refuses articles titled "bad" until fixed, as a sink with a
// validation bug would.
type picky struct {
	sink.Sink
	fixed *atomic.Bool
}

func (p picky) Write(ctx context.Context, batch []trawler.Article) error {
	for _, a := range batch {
		if a.Title == "bad" && !p.fixed.Load() {
			return fmt.Errorf("%w: title %q", sink.ErrInvalid, a.Title)
		}
	}
	return p.Sink.Write(ctx, batch)
}

func letters(t *testing.T, js jetstream.JetStream, names trawler.Names, stage string) []deadletter.Letter {
	t.Helper()
	var out []deadletter.Letter
	if err := deadletter.Each(context.Background(), js, names, stage, func(l deadletter.Letter) error {
		out = append(out, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// An article the sink refused is dead-lettered; after the fix, a replay
// stores it, and the dead letter is gone.
func TestReplayAfterFix(t *testing.T) {
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "dl"}
	out := filepath.Join(t.TempDir(), "a.jsonl")
	var fixed atomic.Bool
	ctx, cancel := context.WithCancel(context.Background())
	node, err := pipeline.Start(ctx, nc, pipeline.Config{
		Names: names, Sinks: []string{"jsonl:" + out},
		OpenSink: func(ctx context.Context, spec string, log *slog.Logger) (sink.Sink, error) {
			s, err := sink.Open(ctx, spec, log)
			return picky{Sink: s, fixed: &fixed}, err
		},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); node.Wait() }()

	good, bad := sinktest.Article(1, 0), sinktest.Article(2, 0)
	bad.Title = "bad"
	for _, a := range []trawler.Article{good, bad} {
		data, _ := json.Marshal(a)
		msg := nats.NewMsg(names.ArticlesSubject())
		msg.Header.Set("Trawler-Origin", "parser-7")
		msg.Header.Set(worker.HeaderDeferrals, "3") // as if deferred before
		msg.Data = data
		if _, err := js.PublishMsg(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	// A crawl request dead-lettered by another stage.
	crawl := nats.NewMsg(names.DeadLetterSubject(trawler.StageCrawl))
	crawl.Header.Set(worker.HeaderStage, trawler.StageCrawl)
	crawl.Header.Set(worker.HeaderSubject, "elsewhere.frontier")
	crawl.Data = []byte(`{"url":"http://down.example/"}`)
	if _, err := js.PublishMsg(ctx, crawl); err != nil {
		t.Fatal(err)
	}
	wait(t, js, names, node)

	all := letters(t, js, names, "")
	sinks := letters(t, js, names, trawler.StageSink)
	if len(all) != 2 || len(sinks) != 1 {
		t.Fatalf("%d dead letters, %d from sinks; want 2 and 1", len(all), len(sinks))
	}
	l := sinks[0]
	if l.Delivered != 1 || l.Subject != names.ArticlesSubject() || l.Stream != names.ArticlesStream() || l.StreamSeq != 2 ||
		l.What() != bad.URL || l.Header.Get("Trawler-Origin") != "parser-7" {
		t.Errorf("dead letter = %+v (what %s)", l, l.What())
	}
	if got, err := deadletter.Get(ctx, js, names, l.ID); err != nil || string(got.Data) != string(l.Data) {
		t.Errorf("Get(%d) = %v", l.ID, err)
	}

	fixed.Store(true)
	if err := deadletter.Replay(ctx, js, names, l); err != nil {
		t.Fatal(err)
	}
	wait(t, js, names, node)
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[1].Title != "bad" {
		t.Errorf("after replay the sink holds %d articles", len(arts))
	}
	if _, err := deadletter.Get(ctx, js, names, l.ID); !errors.Is(err, deadletter.ErrNotFound) {
		t.Errorf("replayed letter still there: %v", err)
	}
	st, _ := js.Stream(ctx, names.ArticlesStream())
	m, err := st.GetMsg(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Trawler-Origin") != "parser-7" || m.Header.Get(worker.HeaderStage) != "" || m.Header.Get(jetstream.MsgIDHeader) == "" ||
		m.Header.Get(worker.HeaderDeferrals) != "" {
		t.Errorf("replayed headers = %v: want the original ones and a message id, no dead-letter or deferral headers", m.Header)
	}
	// A letter from another namespace's subject is not published here.
	if err := deadletter.Replay(ctx, js, names, letters(t, js, names, trawler.StageCrawl)[0]); err == nil {
		t.Error("replayed a letter to a subject outside the namespace")
	}
}

func wait(t *testing.T, js jetstream.JetStream, names trawler.Names, node *pipeline.Node) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pipeline.WaitIdle(ctx, js, names, node.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
}
