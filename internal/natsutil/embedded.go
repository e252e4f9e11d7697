// Package natsutil starts the embedded NATS server, connects to NATS, and
// declares the streams, consumers and buckets of a pipeline.
package natsutil

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// MaxPayload is the message size limit of the embedded server. The NATS
// default (1 MiB) is below what 2% of news pages weigh even compressed; the
// crawler refuses pages that do not fit the server it talks to.
const MaxPayload = 8 << 20

// Embedded is an in-process NATS server with JetStream.
type Embedded struct {
	Server *server.Server
	// URL is the client URL when the server listens, empty otherwise.
	URL string
}

// EmbeddedOptions configures StartEmbedded.
type EmbeddedOptions struct {
	// StoreDir holds JetStream's files; a run resumes from it.
	StoreDir string
	// Listen is "HOST:PORT" to accept remote clients, or empty to accept only
	// in-process connections.
	Listen string
}

// StartEmbedded starts a JetStream server in this process.
func StartEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	sopts := &server.Options{
		ServerName: "trawler-embedded",
		JetStream:  true,
		StoreDir:   filepath.Clean(opts.StoreDir),
		MaxPayload: MaxPayload,
		NoSigs:     true, // signals belong to the trawler process
		NoLog:      true,
		DontListen: opts.Listen == "",
	}
	if opts.Listen != "" {
		host, port, err := net.SplitHostPort(opts.Listen)
		if err != nil {
			return nil, fmt.Errorf("listen address %q: %w", opts.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("listen port %q: %w", port, err)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		sopts.Host, sopts.Port = host, p
	}
	ns, err := server.NewServer(sopts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 30s")
	}
	e := &Embedded{Server: ns}
	if opts.Listen != "" {
		e.URL = ns.ClientURL()
	}
	return e, nil
}

// Connect opens an in-process connection to the embedded server.
func (e *Embedded) Connect(log *slog.Logger, name string) (*nats.Conn, error) {
	return connect("", log, name, nats.InProcessServer(e.Server))
}

// Shutdown stops the server and waits for it to finish writing.
func (e *Embedded) Shutdown() {
	e.Server.Shutdown()
	e.Server.WaitForShutdown()
}

// Connect dials a NATS server (a comma-separated list of URLs is accepted)
// and keeps reconnecting for as long as the process lives: a worker should
// ride out a server restart, not exit.
func Connect(url string, log *slog.Logger, name string) (*nats.Conn, error) {
	return connect(url, log, name)
}

func connect(url string, log *slog.Logger, name string, extra ...nats.Option) (*nats.Conn, error) {
	opts := append([]nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.RetryOnFailedConnect(false),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			log.Info("nats reconnected", "url", c.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("nats async error", "subject", subject, "err", err)
		}),
	}, extra...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats %q: %w", url, err)
	}
	if err := supported(nc.ConnectedServerVersion()); err != nil {
		err = fmt.Errorf("nats server at %s: %w", nc.ConnectedUrlRedacted(), err)
		nc.Close()
		return nil, err
	}
	return nc, nil
}

// supported refuses servers older than 2.10, which drop stream metadata
// (where the frontier keeps its partition count) without an error: the
// failure would otherwise surface later, and far from its cause.
func supported(version string) error {
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return fmt.Errorf("unreadable server version %q: %w", version, err)
	}
	if major < 2 || major == 2 && minor < 10 {
		return fmt.Errorf("server version %s is too old: trawler needs NATS 2.10 or later", version)
	}
	return nil
}

// WaitConnected blocks until nc is connected or ctx ends.
func WaitConnected(ctx context.Context, nc *nats.Conn) error {
	for !nc.IsConnected() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}
