package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler/internal/natstest"
)

// A seed's port is fetched, through the scope every crawler reads; a link
// from the site to another port of the same address (a database, an admin
// console) is not, nor is a redirect to it: blocked_port, an answer.
func TestSeedPortsOnly(t *testing.T) {
	var other atomic.Int64
	admin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><body><p>secret</p></body></html>`))
	}))
	defer admin.Close()
	var seedHits atomic.Int64
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, admin.URL+"/redirected", http.StatusFound)
			return
		}
		seedHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<html><body><a href="` + admin.URL + `/admin">admin</a> <a href="/away">away</a></body></html>`))
	}))
	defer site.Close()

	js, node, names, _, _ := startNode(t, 3)
	if _, err := Seed(context.Background(), js, names, []string{site.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	if seedHits.Load() == 0 {
		t.Error("the seed's port was not fetched")
	}
	if n := other.Load(); n != 0 {
		t.Errorf("the other port got %d requests", n)
	}
	if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("blocked_port", "none")); got != 1 {
		t.Errorf("%v fetches counted blocked_port before a request, want 1 (the link)", got)
	}
	if got := testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("blocked_port", "3xx")); got != 1 {
		t.Errorf("%v redirects counted blocked_port, want 1 (refused, not handed off)", got)
	}
}
