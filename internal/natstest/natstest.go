// Package natstest starts an embedded JetStream server for tests.
package natstest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler/internal/natsutil"
)

// Server is a JetStream server listening on 127.0.0.1 for one test.
type Server struct {
	*natsutil.Embedded
	Dir string
}

// Start starts a server storing in a temporary directory; it is shut down
// when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	dir := tb.TempDir()
	e, err := natsutil.StartEmbedded(natsutil.EmbeddedOptions{StoreDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		tb.Fatalf("start nats: %v", err)
	}
	tb.Cleanup(e.Shutdown)
	return &Server{Embedded: e, Dir: dir}
}

// Connect opens a client connection closed when the test ends.
func (s *Server) Connect(tb testing.TB) (*nats.Conn, jetstream.JetStream) {
	tb.Helper()
	nc, err := natsutil.Connect(s.URL, natsutil.ClientAuth{}, Discard(), "test")
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		tb.Fatalf("jetstream: %v", err)
	}
	return nc, js
}

// Discard is a logger that writes nothing.
func Discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// StreamState returns the state of stream name, failing the test when it
// cannot be read.
func StreamState(tb testing.TB, js jetstream.JetStream, name string) jetstream.StreamState {
	tb.Helper()
	ctx := context.Background()
	st, err := js.Stream(ctx, name)
	if err != nil {
		tb.Fatalf("stream %s: %v", name, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		tb.Fatalf("stream %s: %v", name, err)
	}
	return info.State
}

// Messages returns every message stored in stream name, oldest first.
func Messages(tb testing.TB, js jetstream.JetStream, name string) []*jetstream.RawStreamMsg {
	tb.Helper()
	ctx := context.Background()
	st, err := js.Stream(ctx, name)
	if err != nil {
		tb.Fatalf("stream %s: %v", name, err)
	}
	state := StreamState(tb, js, name)
	var out []*jetstream.RawStreamMsg
	for seq := state.FirstSeq; state.Msgs > 0 && seq <= state.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // deleted from a work queue in between
		}
		if err != nil {
			tb.Fatalf("stream %s seq %d: %v", name, seq, err)
		}
		out = append(out, m)
	}
	return out
}
