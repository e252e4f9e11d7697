package crawler

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// The SSRF guard. A crawler fetches URLs that strangers wrote, so a link, a
// redirect or a DNS record may point at the cluster's own services or at a
// cloud metadata endpoint. The guard checks every address the dialer is
// about to connect to, after name resolution, so it covers names resolving
// to private addresses, redirects and robots.txt fetches alike; a fast
// pre-check on literal IP hosts refuses those before any waiting or request.

// blockedPrefixes are the ranges that are not globally reachable (IANA
// special-purpose registries), with the reason given in errors.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (cgnat)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "ietf protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},

	{netip.MustParsePrefix("::/96"), "unspecified, loopback or ipv4-compatible"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use nat64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/23"), "ietf protocol assignments"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
	{netip.MustParsePrefix("5f00::/16"), "segment routing"},
	{netip.MustParsePrefix("fc00::/7"), "unique local"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// Prefixes of IPv6 addresses that carry an IPv4 address a gateway will
// forward to: they are as safe as the IPv4 address they embed.
var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96") // embedded in the last 32 bits
	sixToFour   = netip.MustParsePrefix("2002::/16")    // embedded in bits 16-47
	// IPv4-translated addresses (SIIT, RFC 2765), ::ffff:0:a.b.c.d; the
	// IPv4-mapped ::ffff:a.b.c.d are unwrapped by Unmap.
	translated = netip.MustParsePrefix("::ffff:0:0:0/96") // embedded in the last 32 bits
)

// blockedError is the guard's refusal; it matches ErrBlocked.
type blockedError struct {
	addr netip.Addr
	why  string
}

func (e *blockedError) Error() string        { return e.addr.String() + " is " + e.why }
func (e *blockedError) Is(target error) bool { return target == ErrBlocked }

// checkAddr returns a *blockedError if a is not a public unicast address.
func checkAddr(a netip.Addr) error {
	a = a.Unmap().WithZone("")
	if !a.IsValid() {
		return &blockedError{a, "invalid"}
	}
	var inner netip.Addr
	switch b := a.As16(); {
	case a.Is6() && (nat64Prefix.Contains(a) || translated.Contains(a)):
		inner = netip.AddrFrom4([4]byte(b[12:16]))
	case a.Is6() && sixToFour.Contains(a):
		inner = netip.AddrFrom4([4]byte(b[2:6]))
	}
	if inner.IsValid() {
		if err := checkAddr(inner); err != nil {
			return &blockedError{a, "a gateway to " + err.Error()}
		}
	}
	for _, p := range blockedPrefixes {
		if p.prefix.Contains(a) {
			return &blockedError{a, p.why}
		}
	}
	// Belt and braces: the standard library's own notion of "not public".
	if a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsMulticast() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return &blockedError{a, "not public"}
	}
	return nil
}

// checkLiteralHost refuses a URL host that is a blocked IP literal. Names
// pass: they are checked once resolved, in the dialer.
func checkLiteralHost(host string) error {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return nil
	}
	return checkAddr(a)
}

// lookupFunc resolves a host name to its addresses.
type lookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)

// dialFunc connects to an address; in the guard, always a literal ip:port.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// guard is a dialer that resolves names itself, refuses blocked addresses,
// and connects only to the addresses it checked: resolving once and dialling
// the checked IP closes the DNS-rebinding gap between check and connect.
type guard struct {
	allowPrivate bool
	ports        ports
	lookup       lookupFunc
	dial         dialFunc
}

// newGuard returns a guard; nil lookup or dial select the system resolver
// and a net.Dialer whose Control re-checks the address actually connected.
func newGuard(allowPrivate bool, allowed ports, lookup lookupFunc, dial dialFunc) *guard {
	g := &guard{allowPrivate: allowPrivate, ports: allowed, lookup: lookup, dial: dial}
	if g.lookup == nil {
		g.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if g.dial == nil {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if !allowPrivate {
			d.Control = controlAddr
		}
		g.dial = d.DialContext
	}
	return g
}

// DialContext implements http.Transport.DialContext.
func (g *guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	pn, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	if err := g.ports.check(ctx, pn); err != nil {
		return nil, fmt.Errorf("dial %s: %w", host, err)
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = g.lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
	}
	if !g.allowPrivate {
		// One bad address refuses the name: a name that mixes public and
		// private addresses is a rebinding attempt, not a website.
		for _, a := range addrs {
			if err := checkAddr(a); err != nil {
				return nil, fmt.Errorf("dial %s: %w", host, err)
			}
		}
	}
	var first error
	for _, a := range addrs {
		c, err := g.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// controlAddr is net.Dialer.Control for the default dialer: a last check on
// the address the socket connects to, whatever resolved it.
func controlAddr(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBlocked, err)
	}
	return checkAddr(ap.Addr())
}
