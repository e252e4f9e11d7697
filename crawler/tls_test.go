package crawler

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/trawler/trawler"
)

// A server whose certificate does not verify (here: self-signed by
// httptest) ends in ErrTLS, a permanent outcome, without a body.
func TestFetchUntrustedCertificate(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(page("text/html", htmlPage))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	f := newTestFetcher(t, testConfig())
	res, err := fetch(t, f, srv.URL+"/")
	wantKind(t, err, ErrTLS)
	if res != nil || IsTransient(err) || Outcome(err) != "tls" {
		t.Errorf("untrusted certificate: result %v, transient %v, outcome %q", res, IsTransient(err), Outcome(err))
	}
}

// A plain-HTTP server behind an https URL is a TLS failure too.
func TestFetchHTTPSToPlainServer(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(page("text/html", htmlPage)))
	f := newTestFetcher(t, testConfig())
	_, err := fetch(t, f, "https://"+srv.Listener.Addr().String()+"/")
	wantKind(t, err, ErrTLS)
}

// A conditional request for an unchanged page ends in ErrNotModified.
func TestFetchConditional(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Tue, 10 Sep 2024 08:30:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		page("application/rss+xml", `<rss><channel><item><link>http://x.example/a</link></item></channel></rss>`)(w, r)
	}))
	f := newTestFetcher(t, testConfig())
	res, err := fetch(t, f, srv.URL+"/feed")
	if err != nil || res.Header.Get("ETag") != `"v1"` || res.ContentType != "application/rss+xml" || res.Kind != trawler.KindFeed {
		t.Fatalf("feed: %+v, %v", res, err)
	}
	_, err = f.Fetch(context.Background(), srv.URL+"/feed", IfNoneMatch(`"v1"`))
	wantKind(t, err, ErrNotModified)
	_, err = f.Fetch(context.Background(), srv.URL+"/feed", IfModifiedSince("Tue, 10 Sep 2024 08:30:00 GMT"))
	wantKind(t, err, ErrNotModified)
	if _, err := f.Fetch(context.Background(), srv.URL+"/feed", IfNoneMatch(`"v0"`)); err != nil {
		t.Errorf("changed feed: %v", err)
	}
}
