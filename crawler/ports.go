package crawler

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
)

// The port allowlist. A page may link to any port of any host it names: to
// a database, a cache or an admin console beside the website, on the site's
// own hosts or (with AllowPrivate) on the crawler's. Only the ports of
// websites are fetched: Config.AllowPorts, and those Config.AllowPort
// admits (the pipeline's: the ports of the seeds).

// defaultAllowPorts are the ports fetched when Config.AllowPorts is empty.
func defaultAllowPorts() []int { return []int{80, 443} }

// ports decides whether a port may be fetched.
type ports struct {
	static []int
	extra  func(ctx context.Context, port int) (bool, error)
}

// check returns nil if port may be fetched, an error matching
// ErrBlockedPort if not, or the error that kept extra from deciding.
func (p ports) check(ctx context.Context, port int) error {
	if slices.Contains(p.static, port) {
		return nil
	}
	if p.extra != nil {
		ok, err := p.extra(ctx, port)
		if err != nil {
			return fmt.Errorf("port %d: %w", port, err)
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("port %d: %w", port, ErrBlockedPort)
}

// urlPort is the port u is fetched from: its own, or its scheme's.
func urlPort(u *url.URL) int {
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p
	}
	if u.Scheme == "https" {
		return 443
	}
	return 80
}

// validPorts refuses ports outside 1-65535.
func validPorts(ps []int) error {
	for _, p := range ps {
		if p < 1 || p > 65535 {
			return fmt.Errorf("crawler: port %d out of range 1-65535", p)
		}
	}
	return nil
}
