// Package natsutil starts the embedded NATS server, connects to NATS, and
// declares the streams, consumers and buckets of a pipeline.
package natsutil

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/redact"
)

// MaxPayload is the message size limit of the embedded server. The NATS
// default (1 MiB) is below what 2% of news pages weigh even compressed; the
// crawler refuses pages that do not fit the server it talks to.
const MaxPayload = 8 << 20

// Embedded is an in-process NATS server with JetStream.
type Embedded struct {
	Server *server.Server
	// URL is the client URL when the server listens, empty otherwise.
	URL  string
	auth *ServerAuth
}

// EmbeddedOptions configures StartEmbedded.
type EmbeddedOptions struct {
	// StoreDir holds JetStream's files; a run resumes from it.
	StoreDir string
	// Listen is "HOST:PORT" to accept remote clients, or empty to accept only
	// in-process connections. A host other than loopback needs Auth.
	Listen string
	// Auth, when set, makes every client, in-process ones included,
	// authenticate as one of its users, which have the permissions of their
	// Role on Names.
	Auth  *ServerAuth
	Names trawler.Names
	// TLSCert and TLSKey, when set, make the listener require TLS with this
	// certificate.
	TLSCert, TLSKey string
	// MaxStore caps JetStream's file storage (default DefaultMaxStore):
	// past it, publishes are refused and producers back off, rather than
	// the crawl filling the disk.
	MaxStore int64
}

// DefaultMaxStore is EmbeddedOptions.MaxStore when unset.
const DefaultMaxStore = 20 << 30

// ErrInsecureListen is returned by StartEmbedded for a listener reachable
// from other hosts without authentication.
var ErrInsecureListen = errors.New("listening beyond loopback without authentication: anyone who reaches the port could read, forge and delete the crawl")

// IsLoopback reports whether host (of a HOST:PORT) is reachable only from
// this machine: localhost or a loopback address. An empty host, which
// listens on every interface, is not.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
		// Memory streams are not used: a small cap keeps a stray one
		// from taking the process's memory.
		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  cmp.Or(opts.MaxStore, DefaultMaxStore),
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
		if !IsLoopback(host) && opts.Auth == nil {
			return nil, fmt.Errorf("listen address %q: %w", opts.Listen, ErrInsecureListen)
		}
		sopts.Host, sopts.Port = host, p
	}
	if opts.Auth != nil {
		users, err := opts.Auth.users(opts.Names)
		if err != nil {
			return nil, err
		}
		sopts.Nkeys = users
	}
	if opts.TLSCert != "" || opts.TLSKey != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: opts.TLSCert, KeyFile: opts.TLSKey})
		if err != nil {
			return nil, fmt.Errorf("embedded nats tls: %w", err)
		}
		sopts.TLS, sopts.TLSConfig = true, tc
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
	e := &Embedded{Server: ns, auth: opts.Auth}
	if opts.Listen != "" {
		e.URL = ns.ClientURL()
	}
	return e, nil
}

// Connect opens an in-process connection to the embedded server, as admin
// when the server has users.
func (e *Embedded) Connect(log *slog.Logger, name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.InProcessServer(e.Server)}
	if e.auth != nil {
		o, err := e.auth.connectAs(RoleAdmin)
		if err != nil {
			return nil, err
		}
		opts = append(opts, o)
	}
	return connect("", log, name, opts...)
}

// Shutdown stops the server and waits for it to finish writing.
func (e *Embedded) Shutdown() {
	e.Server.Shutdown()
	e.Server.WaitForShutdown()
}

// Connect dials a NATS server (a comma-separated list of URLs is accepted)
// with the credentials and TLS settings of auth, and keeps reconnecting for
// as long as the process lives: a worker should ride out a server restart,
// not exit.
func Connect(url string, auth ClientAuth, log *slog.Logger, name string) (*nats.Conn, error) {
	opts, err := auth.Options()
	if err != nil {
		return nil, err
	}
	return connect(url, log, name, opts...)
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
		return nil, fmt.Errorf("connect to nats %q: %w", redact.String(url), err)
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
