package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

// securedServer starts an embedded server that listens on 127.0.0.1 with a
// user per role, and returns it, its users and an admin JetStream client
// (in-process) with the pipeline declared.
func securedServer(t *testing.T, names trawler.Names, tlsCert, tlsKey string) (*natsutil.Embedded, *natsutil.ServerAuth, jetstream.JetStream) {
	t.Helper()
	auth, err := natsutil.LoadOrGenerateAuth(filepath.Join(t.TempDir(), "auth"))
	if err != nil {
		t.Fatal(err)
	}
	emb, err := natsutil.StartEmbedded(natsutil.EmbeddedOptions{StoreDir: t.TempDir(), Listen: "127.0.0.1:0",
		Auth: auth, Names: names, TLSCert: tlsCert, TLSKey: tlsKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Shutdown)
	nc, err := emb.Connect(natstest.Discard(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := natsutil.Setup(context.Background(), js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	return emb, auth, js
}

// connectAs connects to url as role; violations collects the permission
// violations the server reports to it.
func connectAs(t *testing.T, url string, auth *natsutil.ServerAuth, role natsutil.Role, log *slog.Logger) jetstream.JetStream {
	t.Helper()
	nc, err := natsutil.Connect(url, natsutil.ClientAuth{NkeyFile: auth.SeedFile(role), Role: role}, log, "test-"+string(role))
	if err != nil {
		t.Fatalf("connect as %s: %v", role, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// Without credentials, nothing connects to a secured server; with a stage's
// credentials, the attacks of issue 13 that the stage does not need are
// refused and change nothing.
func TestSecuredServerRefusesStrangersAndStolenCredentials(t *testing.T) {
	names := trawler.Names{NS: "sec"}
	emb, auth, admin := securedServer(t, names, "", "")
	ctx := context.Background()

	if nc, err := natsutil.Connect(emb.URL, natsutil.ClientAuth{}, natstest.Discard(), "stranger"); err == nil {
		nc.Close()
		t.Fatal("a client without credentials connected")
	}
	if _, err := Seed(ctx, admin, names, []string{"http://news.example/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}

	type attack struct {
		name string
		do   func(ctx context.Context, js jetstream.JetStream) error
	}
	publish := func(subject string) func(context.Context, jetstream.JetStream) error {
		return func(ctx context.Context, js jetstream.JetStream) error {
			_, err := js.Publish(ctx, subject, []byte(`{"url":"http://forged.example/","content_hash":"0000","page_type":"article"}`))
			return err
		}
	}
	frontierAll := func(ctx context.Context, js jetstream.JetStream) error {
		var errs []error
		for p := range natsutil.DefaultPartitions {
			if _, err := js.Publish(ctx, names.FrontierPartitionSubject(p), []byte(`{"url":"http://news.example/x"}`)); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) < natsutil.DefaultPartitions {
			return nil
		}
		return errors.Join(errs...)
	}
	deleteStream := func(name string) func(context.Context, jetstream.JetStream) error {
		return func(ctx context.Context, js jetstream.JetStream) error { return js.DeleteStream(ctx, name) }
	}
	purge := func(name string) func(context.Context, jetstream.JetStream) error {
		return func(ctx context.Context, js jetstream.JetStream) error {
			st, err := js.Stream(ctx, name)
			if err != nil {
				return err
			}
			return st.Purge(ctx)
		}
	}
	kvPut := func(bucket string) func(context.Context, jetstream.JetStream) error {
		return func(ctx context.Context, js jetstream.JetStream) error {
			kv, err := js.KeyValue(ctx, bucket)
			if err != nil {
				return err
			}
			_, err = kv.Put(ctx, "6576696c2e6578616d706c65", []byte("evil.example"))
			return err
		}
	}
	deleteBucket := func(bucket string) func(context.Context, jetstream.JetStream) error {
		return func(ctx context.Context, js jetstream.JetStream) error { return js.DeleteKeyValue(ctx, bucket) }
	}
	common := []attack{
		{"publish an article", publish(names.ArticlesSubject())},
		{"delete the dead-letter stream", deleteStream(names.DeadLetterStream())},
		{"delete the articles stream", deleteStream(names.ArticlesStream())},
		{"purge the frontier", purge(names.FrontierStream())},
		{"delete the seen bucket", deleteBucket(names.SeenBucket())},
		{"add a domain to the scope", kvPut(names.ScopeBucket())},
		{"publish a dead letter of another stage", publish(names.DeadLetterSubject(trawler.StageParse))},
	}
	attacks := map[natsutil.Role][]attack{
		natsutil.RoleCrawler: common,
		natsutil.RoleParser: {
			{"publish a page", publish(names.PagesSubject())},
			{"purge the frontier", purge(names.FrontierStream())},
			{"delete the dead-letter stream", deleteStream(names.DeadLetterStream())},
			{"add a domain to the scope", kvPut(names.ScopeBucket())},
		},
		natsutil.RoleSink: append(common[1:],
			attack{"publish to every frontier partition", frontierAll},
			attack{"publish a page", publish(names.PagesSubject())},
			attack{"mark a URL seen", kvPut(names.SeenBucket())},
		),
	}
	before := snapshot(t, admin, names)
	// A refused request is not answered: each waits out its deadline, all
	// at once.
	var wg sync.WaitGroup
	for role, as := range attacks {
		js := connectAs(t, emb.URL, auth, role, natstest.Discard())
		for _, a := range as {
			wg.Add(1)
			go func() {
				defer wg.Done()
				actx, cancel := context.WithTimeout(ctx, 2*time.Second)
				defer cancel()
				if err := a.do(actx, js); err == nil {
					t.Errorf("%s could %s", role, a.name)
				}
			}()
		}
	}
	wg.Wait()
	// Nor can a stage read the replies to others: fetched messages come on
	// the fetching client's inbox.
	for _, role := range []natsutil.Role{natsutil.RoleCrawler, natsutil.RoleParser, natsutil.RoleSink} {
		nc := connectAs(t, emb.URL, auth, role, natstest.Discard()).Conn()
		if _, err := nc.SubscribeSync("_INBOX.>"); err != nil {
			t.Fatal(err)
		}
		// The server answers a refused subscription before the flush's PONG.
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := nc.LastError(); err == nil || !strings.Contains(err.Error(), "Permissions Violation for Subscription") {
			t.Errorf("%s could subscribe to every inbox (last error %v)", role, err)
		}
	}
	if after := snapshot(t, admin, names); after != before {
		t.Errorf("the attacks changed the pipeline:\nbefore %s\nafter  %s", before, after)
	}
}

// snapshot describes what the attacks could change: every stream's
// message count and the scope's domains.
func snapshot(t *testing.T, js jetstream.JetStream, names trawler.Names) string {
	t.Helper()
	var b strings.Builder
	for _, s := range []string{names.FrontierStream(), names.PagesStream(), names.ArticlesStream(), names.DeadLetterStream(),
		"KV_" + names.SeenBucket(), "KV_" + names.ScopeBucket()} {
		fmt.Fprintf(&b, "%s=%d ", s, natstest.StreamState(t, js, s).Msgs)
	}
	return b.String()
}

// The stages' permission sets are enough: a crawler, a parser and a sink,
// each with its own credentials, crawl a site end to end, and the server
// reports no permission violation to any of them.
func TestStageCredentialsCrawlEndToEnd(t *testing.T) {
	names := trawler.Names{NS: "sec"}
	emb, auth, admin := securedServer(t, names, "", "")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			fmt.Fprint(w, `<html lang="en"><head><title>News</title></head><body><h1>News</h1><ul>`+
				`<li><a href="/2026/01/harbour-ferries">Harbour ferries</a></li><li><a href="/2026/01/harbour-repairs">Harbour repairs</a></li></ul></body></html>`)
			return
		}
		fmt.Fprintf(w, `<html lang="en"><head><title>Story %[1]s | Site</title><meta property="og:type" content="article"></head><body><article><h1>Story %[1]s</h1>`+
			`<p>This is story %[1]s, a perfectly good article with enough words in it to count as one, about the harbour and its ferries and the people who use them every day.</p>`+
			`<p>A second paragraph makes story %[1]s longer, with more detail about timetables, fares and the repairs to the old breakwater that took the whole spring.</p>`+
			`<p>A third paragraph quotes the harbour master, who said the work was finished on time and under budget, which nobody in the town had expected.</p></article></body></html>`,
			r.URL.Path)
	}))
	defer site.Close()

	var logs testkit.LockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	var nodes []*Node
	for _, n := range []struct {
		role natsutil.Role
		cfg  Config
	}{
		{natsutil.RoleCrawler, Config{Crawl: true}},
		{natsutil.RoleParser, Config{Parse: true}},
		{natsutil.RoleSink, Config{Sinks: []string{"jsonl:" + out}}},
	} {
		cfg := n.cfg
		cfg.Names, cfg.MaxDepth = names, 2
		cfg.Fetcher = crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, RequestTimeout: 5 * time.Second}
		cfg.Registry = prometheus.NewRegistry()
		cfg.Log = log.With("role", n.role)
		js := connectAs(t, emb.URL, auth, n.role, cfg.Log)
		node, err := Start(ctx, jsConn(js), cfg)
		if err != nil {
			t.Fatalf("start the %s: %v", n.role, err)
		}
		nodes = append(nodes, node)
	}
	t.Cleanup(func() {
		cancel()
		for _, n := range nodes {
			if err := n.Wait(); err != nil {
				t.Errorf("node: %v", err)
			}
		}
	})
	if _, err := Seed(ctx, admin, names, []string{site.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	var arts []trawler.Article
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("streams: %s\nlog:\n%s", snapshot(t, admin, names), logs.String())
		}
	})
	testkit.WaitFor(t, 30*time.Second, "the two articles stored", func() bool {
		arts, _ = sink.ReadJSONL(out)
		return len(arts) == 2
	})
	if strings.Contains(strings.ToLower(logs.String()), "permissions violation") {
		t.Errorf("a stage was refused something it needs:\n%s", logs.String())
	}
}

// jsConn is the connection under js.
func jsConn(js jetstream.JetStream) *nats.Conn { return js.Conn() }

// With TLS on the listener, a client that trusts the CA connects, and one
// that does not is refused.
func TestSecuredServerTLS(t *testing.T) {
	names := trawler.Names{NS: "sec"}
	ca, cert, key := natstest.TLSFiles(t)
	emb, auth, _ := securedServer(t, names, cert, key)
	creds := natsutil.ClientAuth{NkeyFile: auth.SeedFile(natsutil.RoleCrawler)}
	if nc, err := natsutil.Connect(emb.URL, creds, natstest.Discard(), "untrusting"); err == nil {
		nc.Close()
		t.Fatal("a client that does not trust the server's CA connected")
	}
	creds.TLSCA = ca
	nc, err := natsutil.Connect(emb.URL, creds, natstest.Discard(), "trusting")
	if err != nil {
		t.Fatalf("a client with the CA: %v", err)
	}
	defer nc.Close()
	if !nc.TLSRequired() {
		t.Error("the connection is not over TLS")
	}
}
