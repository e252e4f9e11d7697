package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	var seenHits hits
	mux.HandleFunc("/seen", func(w http.ResponseWriter, r *http.Request) {
		seenHits.add(r.URL.Path)
		page("text/html", htmlPage)(w, r)
	})
	redirect("/to-seen", "/seen", http.StatusMovedPermanently)
	mux.HandleFunc("/unknown", func(w http.ResponseWriter, r *http.Request) {
		seenHits.add(r.URL.Path)
		page("text/html", htmlPage)(w, r)
	})
	redirect("/to-unknown", "/unknown", http.StatusMovedPermanently)
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
	home, _ := url.Parse(srv.URL)

	cfg := testConfig()
	cfg.MaxRedirects = 3
	cfg.Allow = func(ctx context.Context, u *url.URL) error {
		if ctx == nil {
			return errors.New("no context")
		}
		if u.Host != home.Host {
			return errors.New("host not in scope")
		}
		if u.Path == "/seen" {
			return fmt.Errorf("claimed elsewhere: %w", ErrAlreadySeen)
		}
		if u.Path == "/unknown" {
			return fmt.Errorf("seen record unreachable: %w", ErrRedirectUnchecked)
		}
		return nil
	}
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
		{"/away", "", ErrOutOfScope},
		{"/to-seen", "", ErrAlreadySeen},
		{"/ftp", "", ErrInvalidURL},
		{"/to-unknown", "", ErrRedirectUnchecked}, // transient: retried later
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := fetch(t, f, srv.URL+tt.path)
			if tt.kind != nil {
				wantKind(t, err, tt.kind)
				if transient := tt.kind == ErrRedirectUnchecked; IsTransient(err) != transient {
					t.Errorf("IsTransient(%v) = %v, want %v", err, !transient, transient)
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
	if n := other.get("/landing"); n != 0 {
		t.Errorf("out-of-scope target was requested %d times", n)
	}
	for _, p := range []string{"/seen", "/unknown"} {
		if n := seenHits.get(p); n != 0 {
			t.Errorf("refused target %s was requested %d times", p, n)
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
