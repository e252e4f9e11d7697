package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// serverPort is the port of an httptest server's URL.
func serverPort(t *testing.T, rawURL string) int {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Only allowed ports are fetched: another port of the same address (a
// database, an admin console) is refused before any request, directly or
// through a redirect, and so is a robots.txt redirect to it.
func TestFetchAllowsOnlyListedPorts(t *testing.T) {
	t.Parallel()
	var other hits
	otherSrv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r.URL.Path)
		page("text/html", htmlPage)(w, r)
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/page", page("text/html", htmlPage))
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherSrv.URL+"/admin", http.StatusFound)
	})
	site := newServer(t, mux)

	cfg := testConfig()
	cfg.AllowPort = nil
	cfg.AllowPorts = []int{serverPort(t, site.URL)}
	f := newTestFetcher(t, cfg)

	if _, err := fetch(t, f, site.URL+"/page"); err != nil {
		t.Fatalf("the allowed port: %v", err)
	}
	_, err := fetch(t, f, otherSrv.URL+"/admin")
	wantKind(t, err, ErrBlockedPort)
	_, err = fetch(t, f, site.URL+"/away")
	wantKind(t, err, ErrBlockedPort)
	if n := other.get("/admin"); n != 0 {
		t.Errorf("the disallowed port got %d requests", n)
	}
	if Outcome(err) != "blocked_port" || IsTransient(err) {
		t.Errorf("outcome %q, transient %v: want a permanent blocked_port", Outcome(err), IsTransient(err))
	}
}

// A robots.txt redirected to a disallowed port is not requested there: it
// is unusable, so the site is unrestricted, as for any unusable redirect.
func TestRobotsRedirectToDisallowedPort(t *testing.T) {
	t.Parallel()
	var other hits
	otherSrv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r.URL.Path)
		page("text/plain", "User-agent: *\nDisallow: /\n")(w, r)
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherSrv.URL+"/robots.txt", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/page", page("text/html", htmlPage))
	site := newServer(t, mux)

	cfg := testConfig()
	cfg.IgnoreRobots = false
	cfg.AllowPort = nil
	cfg.AllowPorts = []int{serverPort(t, site.URL)}
	f := newTestFetcher(t, cfg)
	if _, err := fetch(t, f, site.URL+"/page"); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if n := other.get("/robots.txt"); n != 0 {
		t.Errorf("robots.txt requested %d times on the disallowed port", n)
	}
}

// AllowPort admits more ports (the pipeline's seed ports); its error leaves
// the request undecided, not refused.
func TestAllowPortHook(t *testing.T) {
	t.Parallel()
	site := newServer(t, http.HandlerFunc(page("text/html", htmlPage)))
	port := serverPort(t, site.URL)
	down := errors.New("scope unreachable")
	for _, tt := range []struct {
		name string
		hook func(context.Context, int) (bool, error)
		want error // nil: fetched
	}{
		{"admitted", func(_ context.Context, p int) (bool, error) { return p == port, nil }, nil},
		{"refused", func(context.Context, int) (bool, error) { return false, nil }, ErrBlockedPort},
		{"undecided", func(context.Context, int) (bool, error) { return false, down }, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.AllowPort = tt.hook
			f := newTestFetcher(t, cfg)
			_, err := fetch(t, f, site.URL+"/")
			switch {
			case tt.name == "undecided":
				if !errors.Is(err, down) || !IsTransient(err) {
					t.Errorf("err = %v (transient %v), want the hook's error, transient", err, IsTransient(err))
				}
			case tt.want == nil && err != nil:
				t.Errorf("fetch: %v", err)
			case tt.want != nil:
				wantKind(t, err, tt.want)
			}
		})
	}
}

// The dialer checks the port too, whatever asked for the connection.
func TestGuardRefusesPort(t *testing.T) {
	t.Parallel()
	g := newGuard(true, ports{static: []int{443}}, nil, nil)
	if _, err := g.DialContext(context.Background(), "tcp", "127.0.0.1:6379"); !errors.Is(err, ErrBlockedPort) {
		t.Errorf("dial :6379 = %v, want ErrBlockedPort", err)
	}
}

func TestAllowPortsValidated(t *testing.T) {
	t.Parallel()
	for _, ps := range [][]int{{0}, {80, 65536}, {-1}} {
		if _, err := NewFetcher(Config{AllowPorts: ps}, nil); err == nil {
			t.Errorf("AllowPorts %v accepted", ps)
		}
	}
	f, err := NewFetcher(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.cfg.AllowPorts; len(got) != 2 || got[0] != 80 || got[1] != 443 {
		t.Errorf("default AllowPorts %v, want [80 443]", got)
	}
}
