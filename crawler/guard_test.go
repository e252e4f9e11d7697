package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
)

// fakePublicIP stands for a public web server. Nothing ever connects to it:
// fakeNet's dialer sends connections for it to a local test server.
const fakePublicIP = "93.184.215.14"

// fakeNet is an injected resolver and dialer: names resolve from a table,
// and the only address that can be dialled is fakePublicIP:80, which leads
// to target on 127.0.0.1. Every dial is recorded.
type fakeNet struct {
	target string
	names  map[string][]netip.Addr

	mu    sync.Mutex
	calls []string
}

func newFakeNet(t *testing.T, target string) *fakeNet {
	t.Helper()
	addrs := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, s := range ss {
			out = append(out, netip.MustParseAddr(s))
		}
		return out
	}
	return &fakeNet{target: target, names: map[string][]netip.Addr{
		"public.example":   addrs(fakePublicIP),
		"internal.example": addrs("10.0.0.1"),
		"loopback.example": addrs("::1"),
		"mixed.example":    addrs(fakePublicIP, "10.0.0.1"),
		"mapped.example":   addrs("::ffff:169.254.169.254"),
		"nat64.example":    addrs("64:ff9b::a00:1"),
	}}
}

func (n *fakeNet) lookup(_ context.Context, host string) ([]netip.Addr, error) {
	switch host {
	case "flaky.example":
		return nil, &net.DNSError{Err: "server misbehaving", Name: host, IsTemporary: true}
	case "empty.example":
		return nil, nil
	}
	if a, ok := n.names[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (n *fakeNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.calls = append(n.calls, addr)
	n.mu.Unlock()
	if addr != fakePublicIP+":80" {
		return nil, fmt.Errorf("fake network: no route to %s", addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, n.target)
}

func (n *fakeNet) dialled() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.calls...)
}

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	blocked := []string{
		"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
		"127.0.0.1", "127.8.9.10", "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255",
		"192.0.0.8", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
		"::", "::1", "::127.0.0.1", "fe80::1", "fe80::1%eth0", "fec0::1", "fc00::1", "fd12:3456::1",
		"ff02::1", "ff05::2", "2001:db8::1", "3fff::1", "2001::1", "2001:2::1", "100::1", "5f00::1",
		"64:ff9b:1::1",
		// IPv4 inside IPv6.
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
		"::ffff:192.168.0.1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:a00:1::1", "2002:a9fe:a9fe::",
		// IPv4-translated (SIIT): ::ffff:0:a.b.c.d.
		"::ffff:0:a00:1", "::ffff:0:7f00:1", "::ffff:0:a9fe:1", "::ffff:0:a9fe:a9fe",
	}
	public := []string{
		"8.8.8.8", "1.1.1.1", fakePublicIP, "100.63.255.255", "100.128.0.0", "172.15.255.255",
		"172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
		"2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "::ffff:0:808:808",
	}
	for _, s := range blocked {
		if err := checkAddr(netip.MustParseAddr(s)); !errors.Is(err, ErrBlocked) {
			t.Errorf("checkAddr(%s) = %v, want blocked", s, err)
		}
	}
	for _, s := range public {
		if err := checkAddr(netip.MustParseAddr(s)); err != nil {
			t.Errorf("checkAddr(%s) = %v, want allowed", s, err)
		}
	}
	if err := checkAddr(netip.Addr{}); !errors.Is(err, ErrBlocked) {
		t.Errorf("zero address allowed")
	}
}

func TestGuardDial(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		allowed bool // reaches the dialer as fakePublicIP:80
		kind    error
	}{
		{"public.example:80", true, nil},
		{fakePublicIP + ":80", true, nil},
		{"internal.example:80", false, ErrBlocked},
		{"loopback.example:80", false, ErrBlocked},
		{"mixed.example:80", false, ErrBlocked},
		{"mapped.example:80", false, ErrBlocked},
		{"nat64.example:80", false, ErrBlocked},
		{"10.1.2.3:80", false, ErrBlocked},
		{"[::1]:80", false, ErrBlocked},
		{"[::ffff:7f00:1]:80", false, ErrBlocked},
		{"nxdomain.example:80", false, ErrNoHost},
		{"empty.example:80", false, ErrNoHost},
		{"flaky.example:80", false, ErrDNS},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			fake := newFakeNet(t, "127.0.0.1:1") // never connected: dial is stubbed below
			fake.names["public.example"] = []netip.Addr{netip.MustParseAddr(fakePublicIP)}
			var got []string
			g := newGuard(false, anyPort, fake.lookup, func(_ context.Context, _, addr string) (net.Conn, error) {
				got = append(got, addr)
				c1, c2 := net.Pipe()
				c2.Close()
				return c1, nil
			})
			conn, err := g.DialContext(context.Background(), "tcp", tt.addr)
			if tt.allowed {
				if err != nil {
					t.Fatalf("DialContext: %v", err)
				}
				conn.Close()
				if len(got) != 1 || got[0] != fakePublicIP+":80" {
					t.Errorf("dialled %v, want the checked address only", got)
				}
				return
			}
			if len(got) != 0 {
				t.Errorf("dialled %v for a refused address", got)
			}
			if e := classify("http://"+tt.addr+"/", err); !errors.Is(e, tt.kind) {
				t.Errorf("DialContext error %v classified %s, want %s", err, Outcome(e), Outcome(tt.kind))
			}
		})
	}
}

func TestGuardAllowPrivate(t *testing.T) {
	t.Parallel()
	fake := newFakeNet(t, "127.0.0.1:1")
	var got string
	g := newGuard(true, anyPort, fake.lookup, func(_ context.Context, _, addr string) (net.Conn, error) {
		got = addr
		return nil, errors.New("stub")
	})
	g.DialContext(context.Background(), "tcp", "internal.example:80")
	if got != "10.0.0.1:80" {
		t.Errorf("with AllowPrivate the dialer got %q, want 10.0.0.1:80", got)
	}
}

func TestControlAddr(t *testing.T) {
	t.Parallel()
	for addr, blocked := range map[string]bool{
		"10.0.0.1:80": true, "[::1]:443": true, "[::ffff:127.0.0.1]:80": true, "169.254.169.254:80": true,
		"8.8.8.8:80": false, "[2606:4700:4700::1111]:443": false, "garbage": true,
	} {
		if err := controlAddr("tcp", addr, nil); (err != nil) != blocked || blocked && !errors.Is(err, ErrBlocked) {
			t.Errorf("controlAddr(%s) = %v, want blocked %v", addr, err, blocked)
		}
	}
}

// TestFetchBlocksLoopbackByDefault uses the real resolver and dialer with
// the guard on: a literal loopback URL is refused before any connection.
func TestFetchBlocksLoopbackByDefault(t *testing.T) {
	t.Parallel()
	var h hits
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.add(r.URL.Path) }))
	cfg := testConfig()
	cfg.AllowPrivate = false
	cfg.IgnoreRobots = false
	f := newTestFetcher(t, cfg)
	_, err := fetch(t, f, srv.URL+"/")
	wantKind(t, err, ErrBlocked)
	if h.get("/") != 0 || h.get("/robots.txt") != 0 {
		t.Errorf("server was reached: %v", h.n)
	}
}
