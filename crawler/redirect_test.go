package crawler

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// hits counts requests by path.
type hits struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hits) add(path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = make(map[string]int)
	}
	h.n[path]++
}

func (h *hits) get(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[path]
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	var other hits
	otherSrv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(r.URL.Path)
		page("text/html", htmlPage)(w, r)
	}))

	mux := http.NewServeMux()
	redirect := func(from, to string, code int) {
		mux.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", to)
			w.WriteHeader(code)
		})
	}
	mux.HandleFunc("/final", page("text/html", htmlPage))
	redirect("/moved", "/final", http.StatusMovedPermanently)
	redirect("/relative/a", "../final", http.StatusFound)
	redirect("/chain1", "/chain2", http.StatusSeeOther)
	redirect("/chain2", "/chain3", http.StatusTemporaryRedirect)
	redirect("/chain3", "/final", http.StatusPermanentRedirect)
	redirect("/loop1", "/loop2", http.StatusFound)
	redirect("/loop2", "/loop1", http.StatusFound)
	redirect("/self", "/self", http.StatusFound)
	redirect("/away", otherSrv.URL+"/landing", http.StatusFound)
	redirect("/ftp", "ftp://example.com/file", http.StatusFound)
	mux.HandleFunc("/deep/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/deep/"))
		w.Header().Set("Location", fmt.Sprintf("/deep/%d", n+1))
		w.WriteHeader(http.StatusFound)
	})
	// A consent wall: no cookie, set one and come back to the same URL.
	mux.HandleFunc("/consent", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("consent"); err == nil && c.Value == "yes" {
			page("text/html", htmlPage)(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "consent", Value: "yes", Path: "/"})
		w.Header().Set("Location", "/consent")
		w.WriteHeader(http.StatusFound)
	})
	srv := newServer(t, mux)
	cfg := testConfig()
	cfg.MaxRedirects = 3
	f := newTestFetcher(t, cfg)

	tests := []struct {
		path      string
		wantFinal string // on success
		kind      error  // on failure
	}{
		{"/moved", "/final", nil},
		{"/relative/a", "/final", nil},
		{"/chain1", "/final", nil},
		{"/consent", "/consent", nil},
		{"/deep/0", "", ErrTooManyRedirects},
		{"/loop1", "", ErrRedirectLoop},
		{"/self", "", ErrRedirectLoop},
		{"/ftp", "", ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := fetch(t, f, srv.URL+tt.path)
			if tt.kind != nil {
				wantKind(t, err, tt.kind)
				if IsTransient(err) {
					t.Errorf("IsTransient(%v) = true", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if res.FinalURL != srv.URL+tt.wantFinal {
				t.Errorf("FinalURL = %q, want %q", res.FinalURL, srv.URL+tt.wantFinal)
			}
		})
	}
	// Without ReturnRedirects, a redirect to another host is followed.
	res, err := fetch(t, f, srv.URL+"/away")
	if err != nil || res.FinalURL != otherSrv.URL+"/landing" || other.get("/landing") != 1 {
		t.Errorf("redirect to another host: %v, %+v, landing requested %d times", err, res, other.get("/landing"))
	}
}

// TestFetchReturnRedirects walks chains one hop at a time, as the crawl
// stage does: each redirect comes back to the caller, a target the caller
// does not follow is never requested, and the chain's limits, loops and
// cookies hold across Follow calls.
func TestFetchReturnRedirects(t *testing.T) {
	t.Parallel()
	var h hits
	mux := http.NewServeMux()
	redirect := func(from, to string) {
		mux.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) {
			h.add(r.URL.Path)
			w.Header().Set("Location", to)
			w.WriteHeader(http.StatusFound)
		})
	}
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		if r.Header.Get("If-None-Match") != "" {
			t.Errorf("validators sent to a redirect target")
		}
		page("text/html", htmlPage)(w, r)
	})
	redirect("/chain1", "/chain2")
	redirect("/chain2", "/final")
	redirect("/declined", "/never")
	redirect("/loop1", "/loop2")
	redirect("/loop2", "/loop1")
	mux.HandleFunc("/deep/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/deep/"))
		w.Header().Set("Location", fmt.Sprintf("/deep/%d", n+1))
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/consent", func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		if c, err := r.Cookie("consent"); err == nil && c.Value == "yes" {
			page("text/html", htmlPage)(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "consent", Value: "yes", Path: "/"})
		w.Header().Set("Location", "/consent")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/never", func(w http.ResponseWriter, r *http.Request) { h.add(r.URL.Path) })
	srv := newServer(t, mux)
	cfg := testConfig()
	cfg.MaxRedirects = 3
	f := newTestFetcher(t, cfg)
	ctx := t.Context()

	// A chain, one decision per hop.
	res, err := f.Fetch(ctx, srv.URL+"/chain1", ReturnRedirects(), IfNoneMatch(`"v1"`))
	for _, want := range []string{"/chain2", "/final"} {
		if err != nil || res.Redirect == nil {
			t.Fatalf("want a redirect to %s, got %+v, %v", want, res, err)
		}
		if res.Redirect.To.String() != srv.URL+want || res.Status != http.StatusFound || len(res.Body) != 0 {
			t.Fatalf("redirect = %s (status %d, %d bytes), want %s", res.Redirect.To, res.Status, len(res.Body), want)
		}
		res, err = f.Follow(ctx, res.Redirect)
	}
	if err != nil || res.Redirect != nil || res.FinalURL != srv.URL+"/final" || len(res.Body) == 0 {
		t.Fatalf("end of chain: %+v, %v", res, err)
	}

	// Declined: the target is never requested.
	res, err = f.Fetch(ctx, srv.URL+"/declined", ReturnRedirects())
	if err != nil || res.Redirect == nil || res.Redirect.From != srv.URL+"/declined" {
		t.Fatalf("declined: %+v, %v", res, err)
	}

	// The cookie wall sends the client back to a URL already requested:
	// followed without asking.
	res, err = f.Fetch(ctx, srv.URL+"/consent", ReturnRedirects())
	if err != nil || res.Redirect != nil || len(res.Body) == 0 || h.get("/consent") != 2 {
		t.Fatalf("consent: %+v, %v, %d requests", res, err, h.get("/consent"))
	}

	// Limits hold across Follow: a loop, and MaxRedirects.
	res, err = f.Fetch(ctx, srv.URL+"/loop1", ReturnRedirects())
	if err != nil || res.Redirect == nil {
		t.Fatalf("loop1: %+v, %v", res, err)
	}
	_, err = f.Follow(ctx, res.Redirect)
	wantKind(t, err, ErrRedirectLoop)
	res, err = f.Fetch(ctx, srv.URL+"/deep/0", ReturnRedirects())
	for i := 0; err == nil && res.Redirect != nil; i++ {
		if i > cfg.MaxRedirects {
			t.Fatalf("followed %d redirects, limit %d", i, cfg.MaxRedirects)
		}
		res, err = f.Follow(ctx, res.Redirect)
	}
	wantKind(t, err, ErrTooManyRedirects)

	for path, want := range map[string]int{"/chain1": 1, "/chain2": 1, "/final": 1, "/never": 0, "/loop1": 1, "/loop2": 1} {
		if n := h.get(path); n != want {
			t.Errorf("%s requested %d times, want %d", path, n, want)
		}
	}
}

// TestFetchRedirectToPrivateAddress runs with the guard on. The test server
// is reachable as public.example, which the injected resolver maps to a
// public address and the injected dialer connects to 127.0.0.1 instead:
// nothing leaves the machine, and only checked addresses reach the dialer.
func TestFetchRedirectToPrivateAddress(t *testing.T) {
	t.Parallel()
	var h hits
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		if to, ok := strings.CutPrefix(r.URL.Path, "/to/"); ok {
			w.Header().Set("Location", "http://"+to+"/secret")
			w.WriteHeader(http.StatusFound)
			return
		}
		page("text/html", htmlPage)(w, r)
	}))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	fake := newFakeNet(t, srv.Listener.Addr().String())
	cfg := testConfig()
	cfg.AllowPrivate = false
	cfg.IgnoreRobots = false // robots.txt goes through the guard too (404 here)
	cfg.lookup, cfg.dial = fake.lookup, fake.dial
	f := newTestFetcher(t, cfg)

	res, err := fetch(t, f, "http://public.example/ok")
	if err != nil {
		t.Fatalf("fetch through the guard: %v", err)
	}
	if res.FinalURL != "http://public.example/ok" {
		t.Errorf("FinalURL = %q", res.FinalURL)
	}

	for _, target := range []string{
		"internal.example",           // resolves to 10.0.0.1
		"loopback.example",           // resolves to ::1
		"mixed.example",              // one public, one private address
		"mapped.example",             // ::ffff:169.254.169.254
		"127.0.0.1:" + port,          // the real server, by literal address
		"[::ffff:127.0.0.1]:" + port, // the same, IPv4-mapped
		"169.254.169.254",            // cloud metadata
		"[fd00::1]",                  // unique local
	} {
		t.Run(target, func(t *testing.T) {
			_, err := fetch(t, f, "http://public.example/to/"+target)
			wantKind(t, err, ErrBlocked)
			if IsTransient(err) {
				t.Errorf("blocked is transient")
			}
		})
	}
	if n := h.get("/secret"); n != 0 {
		t.Errorf("private target reached %d times", n)
	}
	for _, a := range fake.dialled() {
		if a != fakePublicIP+":80" {
			t.Errorf("dialer was asked for %s; only checked public addresses may reach it", a)
		}
	}
}
