package crawler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/publicsuffix"

	"github.com/trawler/trawler"
)

// Defaults applied by NewFetcher to zero Config fields, and
// DefaultHostDelay, the delay to choose when in doubt (a zero HostDelay
// means none).
const (
	DefaultRequestTimeout   = 30 * time.Second
	DefaultMaxBodySize      = 10 << 20
	DefaultHostDelay        = time.Second
	DefaultHostParallelism  = 2
	DefaultMaxRedirects     = 10
	DefaultCircuitFailures  = 5
	DefaultCircuitOpen      = time.Minute
	DefaultRobotsRetry      = robotsRetry
	DefaultRobotsRetryMax   = robotsRetryMax
	DefaultRobotsCacheBytes = robotsCacheBytes
)

// DefaultUserAgent is the User-Agent sent when Config.UserAgent is empty.
const DefaultUserAgent = "trawler/" + trawler.Version

// Config configures a Fetcher. Zero values select the defaults, except
// HostDelay's, which means no delay; negative values are invalid.
type Config struct {
	// UserAgent is sent with every request. Its product token (the text
	// before the first "/") is the agent matched in robots.txt. Default
	// DefaultUserAgent.
	UserAgent string
	// RequestTimeout bounds one Fetch end to end: waiting for the host's
	// turn, robots.txt, every redirect hop and the body. Default 30s.
	RequestTimeout time.Duration
	// MaxBodySize is the largest body accepted, in bytes, after transfer
	// decoding (gzip). Larger pages are refused with ErrTooLarge, never
	// truncated. Default 10 MiB.
	MaxBodySize int64
	// HostDelay is the minimum time between the starts of two requests to
	// one host (host and port); robots.txt and redirect hops count too.
	// Zero means none: requests start as soon as HostParallelism allows
	// (a robots.txt Crawl-delay still applies). Be polite to hosts you do
	// not own: DefaultHostDelay is the trawler command's default.
	HostDelay time.Duration
	// HostParallelism caps the requests in flight to one host. Default 2.
	HostParallelism int
	// HostRules override HostDelay and HostParallelism for some hosts, by
	// host name (covering its subdomains) or host:port. A robots.txt
	// Crawl-delay raises a host's delay further (up to MaxCrawlDelay).
	HostRules map[string]HostRule
	// CircuitFailures is the number of consecutive failures (5xx, 429,
	// connection errors) after which a host is left alone for CircuitOpen:
	// its requests fail with ErrCircuitOpen without being sent. Default 5.
	CircuitFailures int
	// CircuitOpen is how long an open circuit lasts. Default 1m.
	CircuitOpen time.Duration
	// MaxRedirects is the number of redirects followed. Default 10.
	MaxRedirects int
	// AllowPrivate lets requests reach loopback, private and other
	// non-public addresses. Leave it false in production: it is the SSRF
	// guard. Tests against local servers set it.
	AllowPrivate bool
	// AllowPorts are the ports fetched (a URL without one is on its
	// scheme's, 80 or 443): a URL, redirect or robots.txt on another port
	// fails with ErrBlockedPort, unless AllowPort admits it. It is checked
	// before each request and again when dialling. Default 80 and 443.
	AllowPorts []int
	// AllowPort, if set, is asked about ports not in AllowPorts: true
	// admits the port, an error leaves the request undecided (a transient
	// failure). The pipeline admits the ports of the seeds this way.
	AllowPort func(ctx context.Context, port int) (bool, error)
	// IgnoreRobots skips robots.txt. By default it is obeyed.
	IgnoreRobots bool
	// RobotsRetry is how long a host is paused when its robots.txt cannot
	// be read (5xx, 429, timeout, connection failure): its fetches fail
	// with ErrRobotsUnavailable, without a request, until robots.txt is
	// fetched again. The pause doubles with each consecutive outage, up to
	// RobotsRetryMax, and is at least the server's Retry-After (within that
	// cap). Defaults 1m and 10m.
	RobotsRetry    time.Duration
	RobotsRetryMax time.Duration

	// Proxy sends every request through an HTTP(S) proxy: its URL
	// (http://user:password@host:port), or ProxyFromEnvironment. The SSRF
	// guard still checks every target before the request. "" is none.
	Proxy string
	// Headers are sent with every request to their host (see HostHeader),
	// the more specific host's value winning.
	Headers []HostHeader
	// Cookies, if set, are sent with every request they match (see
	// LoadCookies). Fetch never stores into it: cookies a site sets last
	// for one redirect chain, as without it.
	Cookies http.CookieJar
	// RobotsCacheBytes bounds the memory of the parsed robots.txt files
	// kept, by an estimate of each file's cost (its rules, and the regexps
	// its wildcard rules compile into); the least recently used hosts are
	// forgotten first. One file is at most 500 KiB of text, 4096 rules and
	// an estimated 4 MiB, the rest ignored. Default 64 MiB.
	RobotsCacheBytes int64

	// Test hooks: name resolution and dialling (of checked ip:port
	// addresses) for the guard. Nil means the system's.
	lookup lookupFunc
	dial   dialFunc
	// Test hook: wraps the connection pool below the limiter, so a test
	// sees each request as the limiter lets it go. Nil wraps nothing.
	wrapPool func(http.RoundTripper) http.RoundTripper
}

func (c Config) withDefaults() (Config, error) {
	if c.RequestTimeout < 0 || c.MaxBodySize < 0 || c.HostDelay < 0 ||
		c.HostParallelism < 0 || c.MaxRedirects < 0 || c.CircuitFailures < 0 || c.CircuitOpen < 0 ||
		c.RobotsRetry < 0 || c.RobotsRetryMax < 0 || c.RobotsCacheBytes < 0 {
		return c, errors.New("crawler: negative config value")
	}
	if err := validPorts(c.AllowPorts); err != nil {
		return c, err
	}
	if len(c.AllowPorts) == 0 {
		c.AllowPorts = defaultAllowPorts()
	}
	if c.MaxBodySize >= math.MaxInt {
		return c, errors.New("crawler: max body size too large")
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	setDefault(&c.RequestTimeout, DefaultRequestTimeout)
	setDefault(&c.MaxBodySize, DefaultMaxBodySize)
	setDefault(&c.HostParallelism, DefaultHostParallelism)
	setDefault(&c.MaxRedirects, DefaultMaxRedirects)
	setDefault(&c.CircuitFailures, DefaultCircuitFailures)
	setDefault(&c.CircuitOpen, DefaultCircuitOpen)
	setDefault(&c.RobotsRetry, DefaultRobotsRetry)
	setDefault(&c.RobotsRetryMax, max(DefaultRobotsRetryMax, c.RobotsRetry))
	setDefault(&c.RobotsCacheBytes, DefaultRobotsCacheBytes)
	for h, r := range c.HostRules {
		if r.Delay < 0 || r.Parallelism < 0 {
			return c, fmt.Errorf("crawler: host rule %s: negative value", h)
		}
	}
	return c, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Result is a fetched HTML page, feed or sitemap; or, when Fetch was asked
// to (ReturnRedirects), a redirect left for the caller to decide on.
type Result struct {
	FinalURL    string      // URL of the final response, after redirects
	Status      int         // HTTP status of the final response (2xx, or 3xx with Redirect)
	ContentType string      // Content-Type as sent, or as sniffed when none was sent
	Kind        string      // trawler.KindHTML or trawler.KindFeed
	Body        []byte      // body as sent, transfer-decoded but never charset-converted
	FetchedAt   time.Time   // when the body had been received, UTC
	Header      http.Header // headers of the final response
	Redirect    *Redirect   // with ReturnRedirects: the redirect not followed, else nil
}

// Redirect is a redirect Fetch returned instead of following it (see
// ReturnRedirects). Its target has passed the checks that need no one
// else's knowledge: a valid http(s) URL, within MaxRedirects, not a loop.
// Follow continues the chain, with its cookies and hop count.
type Redirect struct {
	From     string   // the URL that answered with the redirect
	To       *url.URL // the target
	ch       *chain
	opts     fetchOptions
	deadline time.Time // the chain's: RequestTimeout covers every hop
}

// Fetcher fetches pages politely and safely. It is safe for concurrent use;
// the caller bounds concurrency (Fetch blocks, it never spawns work).
type Fetcher struct {
	cfg       Config
	log       *slog.Logger
	base      *colly.Collector
	transport *http.Transport
	robots    *robotsCache
	limiter   *hostLimiter
	guard     *guard
	proxy     proxySetup
	headers   []HostHeader // Config.Headers, least specific host first
	ports     ports
}

// NewFetcher returns a Fetcher for cfg. A nil log discards.
func NewFetcher(cfg Config, log *slog.Logger) (*Fetcher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	allowed := ports{static: slices.Clone(cfg.AllowPorts), extra: cfg.AllowPort}
	g := newGuard(cfg.AllowPrivate, allowed, cfg.lookup, cfg.dial)
	proxy, err := newProxySetup(cfg.Proxy)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	transport := newTransport(cfg, g, proxy)
	rules := make(map[string]HostRule, len(cfg.HostRules))
	for h, r := range cfg.HostRules {
		rules[strings.ToLower(h)] = r
	}
	b := budgets{def: budget{delay: cfg.HostDelay, parallel: cfg.HostParallelism}, rules: rules}
	limiter := newHostLimiter(b, cfg.CircuitFailures, cfg.CircuitOpen, log)
	var pool http.RoundTripper = transport
	if cfg.wrapPool != nil {
		pool = cfg.wrapPool(transport)
	}
	polite := &politeTransport{next: pool, limiter: limiter}
	client := &http.Client{
		Transport: polite,
		// Redirects are followed by Fetch, one colly request per hop, so
		// that each hop gets the scope, guard and robots checks and waits
		// for its own host's turn without holding the previous host's.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		// No Jar: a shared jar would grow with every host and leak state
		// between unrelated fetches; Fetch keeps cookies for one chain.
		// No Timeout: the context carries RequestTimeout.
	}
	robots := newRobotsCache(client, cfg.UserAgent, log)
	robots.ports = allowed
	robots.retry, robots.retryMax = cfg.RobotsRetry, max(cfg.RobotsRetryMax, cfg.RobotsRetry)
	robots.maxBytes = cfg.RobotsCacheBytes
	if !cfg.IgnoreRobots {
		polite.floor = robots.crawlDelay
	}
	headers := slices.Clone(cfg.Headers)
	slices.SortStableFunc(headers, func(a, b HostHeader) int { return cmp.Compare(len(a.Host), len(b.Host)) })
	return &Fetcher{
		headers:   headers,
		guard:     g,
		proxy:     proxy,
		cfg:       cfg,
		log:       log,
		base:      newCollector(cfg, client),
		transport: transport,
		robots:    robots,
		limiter:   limiter,
		ports:     allowed,
	}, nil
}

// Sitemaps returns the Sitemap lines of the robots.txt of u's host, if it is
// cached (it is once a URL of the host has been fetched). It never fetches.
func (f *Fetcher) Sitemaps(u *url.URL) []string {
	if f.cfg.IgnoreRobots {
		return nil
	}
	return f.robots.sitemaps(u)
}

// MaxHostDelay returns the largest delay configured for any host (robots.txt
// Crawl-delay aside): how long a crawler waits after its last request to a
// host before another may take the host over.
func (f *Fetcher) MaxHostDelay() time.Duration { return f.limiter.budgets.max() }

// newTransport returns the connection pool, dialling through the guard,
// and through the proxy if one is configured.
func newTransport(cfg Config, g *guard, proxy proxySetup) *http.Transport {
	dial := g.DialContext
	if proxy.fn != nil {
		dial = proxy.dialer(g)
	}
	return &http.Transport{
		Proxy:             proxy.fn,
		DialContext:       dial,
		ForceAttemptHTTP2: true, // needed with a custom DialContext
		MaxIdleConns:      512,
		// The limiter keeps at most HostParallelism requests in flight per
		// host, so more idle connections than that are never reused.
		MaxIdleConnsPerHost:    max(cfg.HostParallelism, 4),
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  min(cfg.RequestTimeout, 20*time.Second),
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 256 << 10,
	}
}

// CloseIdleConnections closes the idle connections of the pool, for a clean
// shutdown.
func (f *Fetcher) CloseIdleConnections() { f.transport.CloseIdleConnections() }

// FetchOption modifies one Fetch.
type FetchOption func(*fetchOptions)

type fetchOptions struct {
	ifNoneMatch, ifModifiedSince string
	returnRedirects              bool
}

// ReturnRedirects makes Fetch return each redirect (Result.Redirect)
// instead of following it, so that the caller decides whether its target
// may be fetched (scope, dedup, whose politeness budget it falls under) and
// continues with Follow. A redirect back to a URL the chain has already
// requested (a site that sets a cookie and sends the client back) is
// followed without asking: that URL was decided on already.
func ReturnRedirects() FetchOption {
	return func(o *fetchOptions) { o.returnRedirects = true }
}

// IfNoneMatch makes the request conditional on the page's ETag: an
// unchanged page is answered with ErrNotModified. Empty means none.
func IfNoneMatch(etag string) FetchOption {
	return func(o *fetchOptions) { o.ifNoneMatch = etag }
}

// IfModifiedSince makes the request conditional on the page's
// Last-Modified value (sent back verbatim). Empty means none.
func IfModifiedSince(lastModified string) FetchOption {
	return func(o *fetchOptions) { o.ifModifiedSince = lastModified }
}

// Fetch gets rawURL, following redirects (see ReturnRedirects), and returns
// the page if it is HTML, a feed or a sitemap. It blocks while the host's
// turn comes (see HostDelay). Every error is an *Error; see the Err*
// sentinels for what to do.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, opts ...FetchOption) (*Result, error) {
	var o fetchOptions
	for _, opt := range opts {
		opt(&o)
	}
	u, err := parseTarget(rawURL)
	if err != nil {
		return nil, &Error{URL: rawURL, Kind: ErrInvalidURL, Err: err}
	}
	return f.fetch(ctx, u, &chain{seen: make(map[string]int)}, o, time.Now().Add(f.cfg.RequestTimeout))
}

// Follow continues the chain of a redirect that Fetch (or Follow) returned,
// fetching its target as Fetch would, within what is left of the chain's
// RequestTimeout.
func (f *Fetcher) Follow(ctx context.Context, r *Redirect) (*Result, error) {
	return f.fetch(ctx, r.To, r.ch, r.opts, r.deadline)
}

func (f *Fetcher) fetch(ctx context.Context, u *url.URL, ch *chain, o fetchOptions, deadline time.Time) (*Result, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	c := f.clone(ctx)
	for {
		if err := f.admit(ctx, u); err != nil {
			return nil, err
		}
		ch.seen[u.String()]++
		hdr := f.requestHeader(ch, u)
		if ch.redirects == 0 { // validators belong to the requested URL
			setIf(hdr, "If-None-Match", o.ifNoneMatch)
			setIf(hdr, "If-Modified-Since", o.ifModifiedSince)
		}
		h, err := c.get(u, hdr)
		if err != nil {
			return nil, err
		}
		if h.location == "" {
			return h.result()
		}
		next, err := f.follow(ctx, ch, h)
		if err != nil {
			return nil, err
		}
		if o.returnRedirects && ch.seen[next.String()] == 0 {
			return &Result{FinalURL: h.url.String(), Status: h.status, Header: h.header, FetchedAt: h.fetchedAt,
				Redirect: &Redirect{From: h.url.String(), To: next, ch: ch, opts: o, deadline: deadline}}, nil
		}
		f.log.DebugContext(ctx, "redirect", "url", u.String(), "to", next.String(), "status", h.status)
		u = next
	}
}

func setIf(h http.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

// chain is what one Fetch remembers across redirect hops.
type chain struct {
	redirects int
	seen      map[string]int // requests per URL
	jar       *cookiejar.Jar // created on the first Set-Cookie
}

// parseTarget accepts absolute http(s) URLs with a host.
func parseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("scheme %q not supported", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("no host")
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// admit runs the checks made before each request: the port, the
// literal-address pre-check (cheaper than waiting for a slot to be refused
// by the dialer) and robots.txt.
func (f *Fetcher) admit(ctx context.Context, u *url.URL) error {
	if err := f.ports.check(ctx, urlPort(u)); err != nil {
		return classify(u.String(), err)
	}
	if !f.cfg.AllowPrivate {
		check := checkLiteralHost(u.Hostname())
		if check == nil && f.proxy.uses(u) {
			check = f.guard.checkTarget(ctx, u.Hostname())
		}
		if check != nil {
			return classify(u.String(), check)
		}
	}
	if f.cfg.IgnoreRobots {
		return nil
	}
	return f.robots.check(ctx, u)
}

// requestHeader returns the headers of one request, with the cookies the
// chain has collected so far for u.
func (f *Fetcher) requestHeader(ch *chain, u *url.URL) http.Header {
	h := http.Header{}
	h.Set("User-Agent", f.cfg.UserAgent)
	h.Set("Accept", "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,*/*;q=0.5")
	host := strings.ToLower(u.Hostname())
	for _, hh := range f.headers { // every host first, then by specificity
		if hh.matches(host) {
			h.Set(hh.Name, hh.Value)
		}
	}
	var cookies []string
	seen := map[string]bool{}
	if ch.jar != nil { // the chain's own cookies win over the file's
		for _, c := range ch.jar.Cookies(u) {
			cookies, seen[c.Name] = append(cookies, c.String()), true
		}
	}
	if f.cfg.Cookies != nil {
		for _, c := range f.cfg.Cookies.Cookies(u) {
			if !seen[c.Name] {
				cookies = append(cookies, c.String())
			}
		}
	}
	if len(cookies) > 0 {
		h.Set("Cookie", strings.Join(cookies, "; "))
	}
	return h
}

// follow validates the redirect h asks for and returns its target. A URL
// may come back once if the redirect set a cookie: sites that check for a
// session cookie redirect to themselves after setting it.
func (f *Fetcher) follow(ctx context.Context, ch *chain, h *hop) (*url.URL, error) {
	fail := func(kind error, err error) (*url.URL, error) {
		return nil, &Error{URL: h.url.String(), Kind: kind, Status: h.status, Err: err}
	}
	next, err := h.url.Parse(h.location)
	if err == nil {
		next, err = parseTarget(next.String())
	}
	if err != nil {
		return fail(ErrInvalidURL, fmt.Errorf("redirect to %q: %w", h.location, err))
	}
	if ch.redirects >= f.cfg.MaxRedirects {
		return fail(ErrTooManyRedirects, fmt.Errorf("more than %d, next %s", f.cfg.MaxRedirects, next))
	}
	ch.redirects++
	cookies := (&http.Response{Header: h.header}).Cookies()
	if len(cookies) > 0 {
		if ch.jar == nil {
			ch.jar, _ = cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List}) // never fails
		}
		ch.jar.SetCookies(h.url, cookies)
	}
	if n := ch.seen[next.String()]; n >= 2 || n == 1 && len(cookies) == 0 {
		return fail(ErrRedirectLoop, fmt.Errorf("back to %s", next))
	}
	// Before the caller decides, so that a target on a port not allowed
	// is never handed off to be crawled on its own.
	if err := f.ports.check(ctx, urlPort(next)); err != nil {
		if errors.Is(err, ErrBlockedPort) {
			return fail(ErrBlockedPort, fmt.Errorf("to %s: %w", next, err))
		}
		return nil, classify(h.url.String(), fmt.Errorf("redirect to %s: %w", next, err))
	}
	return next, nil
}
