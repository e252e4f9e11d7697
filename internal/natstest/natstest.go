// Package natstest starts an embedded JetStream server for tests.
package natstest

import (
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
	nc, err := natsutil.Connect(s.URL, Discard(), "test")
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
