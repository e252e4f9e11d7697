package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/sink"
)

// closeCounter is a sink that only counts its closes.
type closeCounter struct{ closed *atomic.Int32 }

func (c closeCounter) Write(context.Context, []trawler.Article) error { return nil }
func (c closeCounter) Close() error                                   { c.closed.Add(1); return nil }

// A Start that fails part way has started nothing and left nothing open:
// the stages it built before the failure (here the parse stage and a first
// sink) never consume a message, and the sink it opened is closed, once.
func TestFailedStartStartsNothing(t *testing.T) {
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "failstart"}
	ctx := context.Background()
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	codec, err := wire.NewCodec(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer codec.Close()
	page := trawler.Page{URL: "http://example.com/a", FinalURL: "http://example.com/a", Status: 200,
		ContentType: "text/html", FetchedAt: time.Now(), Body: []byte("<html><body><p>text</p></body></html>")}
	if _, err := js.PublishMsg(ctx, codec.PageMsg(names.PagesSubject(), page)); err != nil {
		t.Fatal(err)
	}

	var closed atomic.Int32
	refused := errors.New("sink refused")
	_, err = Start(ctx, nc, Config{
		Names: names, Parse: true, Sinks: []string{"jsonl:/first", "jsonl:/second"}, NoRevisit: true,
		OpenSink: func(_ context.Context, spec string, _ *slog.Logger) (sink.Sink, error) {
			if spec == "jsonl:/second" {
				return nil, refused
			}
			return closeCounter{&closed}, nil
		},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Start = %v, want the sink's error", err)
	}
	if got := closed.Load(); got != 1 {
		t.Errorf("the sink opened before the failure was closed %d times, want 1", got)
	}
	// Give a stage that would have been started time to take the page.
	time.Sleep(500 * time.Millisecond)
	cons, err := js.Consumer(ctx, names.PagesStream(), natsutil.ParseConsumer)
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 1 || info.NumAckPending != 0 || info.Delivered.Consumer != 0 {
		t.Errorf("parse consumer: %d pending, %d in flight, %d delivered; want the page untouched",
			info.NumPending, info.NumAckPending, info.Delivered.Consumer)
	}
}
