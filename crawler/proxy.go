package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/trawler/trawler/internal/redact"
)

// ProxyFromEnvironment, as Config.Proxy, takes the proxy from HTTP_PROXY,
// HTTPS_PROXY and NO_PROXY (upper or lower case), as curl does. Those
// variables are read only when asked for: a crawler's environment is often
// set up for its host's own traffic, not for fetching strangers' pages.
const ProxyFromEnvironment = "env"

// proxySetup is what Config.Proxy asks for: the transport's Proxy function
// and the addresses (host:port) of the proxies it may return.
type proxySetup struct {
	fn    func(*http.Request) (*url.URL, error)
	addrs []string
}

// newProxySetup reads Config.Proxy: a URL, ProxyFromEnvironment, or "" for
// none (a zero proxySetup).
func newProxySetup(spec string) (proxySetup, error) {
	switch spec {
	case "":
		return proxySetup{}, nil
	case ProxyFromEnvironment:
		env := httpproxy.FromEnvironment()
		var ps proxySetup
		for _, s := range []string{env.HTTPProxy, env.HTTPSProxy} {
			if s == "" {
				continue
			}
			u, err := ParseProxy(s)
			if err != nil {
				return ps, fmt.Errorf("from the environment: %w", err)
			}
			ps.addrs = append(ps.addrs, canonicalAddr(u))
		}
		if len(ps.addrs) == 0 {
			return ps, nil // none set: direct
		}
		fromEnv := env.ProxyFunc()
		ps.fn = func(r *http.Request) (*url.URL, error) { return fromEnv(r.URL) }
		return ps, nil
	}
	u, err := ParseProxy(spec)
	if err != nil {
		return proxySetup{}, err
	}
	return proxySetup{fn: http.ProxyURL(u), addrs: []string{canonicalAddr(u)}}, nil
}

// ParseProxy checks a proxy URL: http:// or https://, with a host.
func ParseProxy(spec string) (*url.URL, error) {
	u, err := url.Parse(spec)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("proxy %q: want http://HOST:PORT, https://HOST:PORT or %q", redact.String(spec), ProxyFromEnvironment)
	}
	return u, nil
}

// uses reports whether u is fetched through a proxy.
func (ps proxySetup) uses(u *url.URL) bool {
	if ps.fn == nil {
		return false
	}
	p, err := ps.fn(&http.Request{URL: u})
	return err == nil && p != nil
}

// dialer dials the proxies without the guard (the operator chose them; one
// on the host's loopback or network is the usual case) and every other
// address through it. Through a proxy the dialer never sees the pages'
// targets, so the fetcher checks those before each request (see admit).
func (ps proxySetup) dialer(g *guard) func(ctx context.Context, network, address string) (net.Conn, error) {
	direct := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		if slices.Contains(ps.addrs, address) {
			return direct.DialContext(ctx, network, address)
		}
		return g.DialContext(ctx, network, address)
	}
}

// canonicalAddr is u's host:port, with the scheme's default port.
func canonicalAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// checkTarget resolves host and refuses it if any of its addresses is
// blocked: the guard's check, for a request the dialer sends to a proxy.
// The proxy resolves the name again, so a name that changes its answer
// between the two lookups gets past this check; a proxy that refuses
// private destinations itself closes that gap.
func (g *guard) checkTarget(ctx context.Context, host string) error {
	if a, err := netip.ParseAddr(host); err == nil {
		return checkAddr(a)
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if err := checkAddr(a); err != nil {
			return fmt.Errorf("%s: %w", host, err)
		}
	}
	return nil
}
