package crawler

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// HostRule replaces the politeness budget of one host and its subdomains.
type HostRule struct {
	// Delay is the minimum time between request starts; 0 means none (not
	// Config.HostDelay: a rule sets both).
	Delay time.Duration
	// Parallelism caps the requests in flight; 0 keeps
	// Config.HostParallelism.
	Parallelism int
}

// MaxCrawlDelay caps a robots.txt Crawl-delay: a larger one would park every
// request to the host past its deadline.
const MaxCrawlDelay = 30 * time.Second

// ParseHostRule parses "HOST=delay:2s,parallelism:1". Either part may be
// left out: it then keeps def's value (the budget of the other hosts).
// HOST is a host name, matched with its subdomains, optionally with a port.
func ParseHostRule(s string, def HostRule) (string, HostRule, error) {
	host, spec, ok := strings.Cut(s, "=")
	host = strings.ToLower(strings.TrimSpace(host))
	if !ok || host == "" || strings.ContainsAny(host, "/ ") {
		return "", HostRule{}, fmt.Errorf("host rule %q: want HOST=delay:DURATION,parallelism:N", s)
	}
	r := def
	for _, part := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), ":")
		switch strings.TrimSpace(k) {
		case "delay":
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d < 0 {
				return "", HostRule{}, fmt.Errorf("host rule %q: bad delay %q", s, v)
			}
			r.Delay = d
		case "parallelism":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 {
				return "", HostRule{}, fmt.Errorf("host rule %q: bad parallelism %q", s, v)
			}
			r.Parallelism = n
		case "":
		default:
			return "", HostRule{}, fmt.Errorf("host rule %q: unknown key %q (want delay, parallelism)", s, k)
		}
	}
	return host, r, nil
}

// budget is the delay and parallelism of one host key (host:port).
type budget struct {
	delay    time.Duration
	parallel int
}

// budgets resolves the budget of a host key from the defaults and the rules.
type budgets struct {
	def   budget
	rules map[string]HostRule // by host or host:port, lower case
}

// of returns the budget of hostPort: the most specific rule, trying
// host:port, then the host, then each parent domain.
func (b budgets) of(hostPort string) budget {
	out := b.def
	if len(b.rules) == 0 {
		return out
	}
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		host = hostPort
	}
	r, ok := b.rules[hostPort]
	for h := host; !ok && h != ""; {
		if r, ok = b.rules[h]; ok {
			break
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	if ok {
		out.delay = r.Delay
		if r.Parallelism > 0 {
			out.parallel = r.Parallelism
		}
	}
	return out
}

// max returns the largest delay any host can be given by configuration.
func (b budgets) max() time.Duration {
	d := b.def.delay
	for _, r := range b.rules {
		d = max(d, r.Delay)
	}
	return d
}
