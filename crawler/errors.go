package crawler

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// kind is a class of fetch failure: what the worker should do with the
// message, and the bounded label to count it under.
type kind struct {
	msg       string
	outcome   string
	transient bool
}

func (k *kind) Error() string { return k.msg }

// Permanent failures: fetching the same URL again would fail the same way, so
// the worker should terminate the message and dead-letter it.
var (
	// ErrNotFound means the server answered 404 Not Found or 410 Gone.
	ErrNotFound error = &kind{"not found", "not_found", false}
	// ErrNotModified means a conditional request (see IfNoneMatch,
	// IfModifiedSince) was answered 304 Not Modified: the page is unchanged.
	ErrNotModified error = &kind{"not modified", "not_modified", false}
	// ErrHTTPStatus means an unexpected final status: a 4xx other than 404,
	// 408, 410 and 429, or a 3xx that is not a usable redirect.
	ErrHTTPStatus error = &kind{"unexpected http status", "http_status", false}
	// ErrRobots means robots.txt disallows the URL for our user agent.
	ErrRobots error = &kind{"disallowed by robots.txt", "robots", false}
	// ErrNotHTML means the response is neither HTML, XHTML nor an RSS, Atom
	// or sitemap document, judged by its Content-Type and, when that is
	// missing or generic, by its bytes.
	ErrNotHTML error = &kind{"not html", "not_html", false}
	// ErrTooLarge means the body exceeds Config.MaxBodySize. Bodies are
	// refused, never truncated.
	ErrTooLarge error = &kind{"body too large", "too_large", false}
	// ErrEmpty means a successful response with an empty body. It is
	// permanent: a server that deliberately sends nothing (a 204, or a 200
	// with Content-Length 0) does so again; a body cut short by a failing
	// server is a connection error instead.
	ErrEmpty error = &kind{"empty body", "empty", false}
	// ErrBlocked means the URL or a redirect target resolves to an address
	// that is not publicly routable (see Config.AllowPrivate).
	ErrBlocked error = &kind{"blocked address", "blocked", false}
	// ErrBlockedPort means the URL or a redirect target is on a port that
	// is not allowed (see Config.AllowPorts and Config.AllowPort).
	ErrBlockedPort error = &kind{"port not allowed", "blocked_port", false}
	// ErrRedirectLoop means a redirect chain came back to a URL it had
	// already requested.
	ErrRedirectLoop error = &kind{"redirect loop", "redirect_loop", false}
	// ErrTooManyRedirects means a redirect chain is longer than
	// Config.MaxRedirects.
	ErrTooManyRedirects error = &kind{"too many redirects", "too_many_redirects", false}
	// ErrInvalidURL means a URL (requested or redirected to) is malformed or
	// is not http(s).
	ErrInvalidURL error = &kind{"invalid url", "invalid_url", false}
	// ErrNoHost means DNS says the host does not exist (NXDOMAIN).
	ErrNoHost error = &kind{"no such host", "no_such_host", false}
	// ErrTLS means the TLS handshake failed: a certificate that does not
	// verify, or a server that does not speak TLS. Such misconfigurations
	// outlast any retry window.
	ErrTLS error = &kind{"tls failure", "tls", false}
)

// Transient failures: the same request may succeed later, so the worker
// should nak the message with a backoff (at least RetryAfter when set).
var (
	// ErrTimeout means the request did not complete within
	// Config.RequestTimeout or the caller's deadline, or the server answered
	// 408 Request Timeout.
	ErrTimeout error = &kind{"timeout", "timeout", true}
	// ErrThrottled means the deadline passed while waiting for the host's
	// turn (Config.HostDelay, Config.HostParallelism): the host is busy with
	// other fetches, not necessarily slow.
	ErrThrottled error = &kind{"host busy", "throttled", true}
	// ErrCircuitOpen means the host failed repeatedly (Config.CircuitFailures
	// in a row) and is left alone for a while (Config.CircuitOpen); the
	// request was not sent. RetryAfter says when the host is tried again.
	ErrCircuitOpen error = &kind{"host circuit open", "circuit_open", true}
	// ErrConnection means the connection was refused, reset or cut short.
	ErrConnection error = &kind{"connection failed", "connection", true}
	// ErrDNS means a DNS failure other than NXDOMAIN.
	ErrDNS error = &kind{"dns failure", "dns", true}
	// ErrRateLimited means the server answered 429 Too Many Requests.
	ErrRateLimited error = &kind{"rate limited", "rate_limited", true}
	// ErrServer means the server answered with a 5xx status.
	ErrServer error = &kind{"server error", "server_error", true}
	// ErrRobotsUnavailable means the host's robots.txt could not be read (a
	// 5xx or 429, a timeout, a connection failure), so nothing may be
	// fetched from the host for now (RFC 9309 §2.3.1.4); the URL was not
	// requested. The host is paused (Config.RobotsRetry, backing off across
	// consecutive outages) and RetryAfter says when robots.txt is fetched
	// again: a wait for the host, not a failure of the URL. The error also
	// wraps the robots.txt failure.
	ErrRobotsUnavailable error = &kind{"robots.txt unavailable", "robots_unavailable", true}
)

var (
	errCanceled = &kind{"canceled", "canceled", true}
	errUnknown  = &kind{"fetch failed", "error", true}
)

// maxRetryAfter caps a server's Retry-After so that a bogus value cannot park
// a message for years (or overflow a Duration).
const maxRetryAfter = 24 * time.Hour

// Error is the error Fetch returns. Branch on its class with errors.Is and
// the Err* sentinels (or simply IsTransient); errors.Is and errors.As also
// reach the underlying cause.
type Error struct {
	URL        string        // URL of the request that failed; a redirect target if the chain got that far
	Kind       error         // one of the Err* sentinels
	Status     int           // HTTP status when a response decided the failure, else 0
	RetryAfter time.Duration // delay the server asked for in Retry-After, or the host's pause (ErrRobotsUnavailable, ErrCircuitOpen, ErrThrottled); 0 when absent
	Err        error         // underlying cause, may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("fetch ")
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Status)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the class and the cause, so errors.Is matches either.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Outcome returns a short, bounded label for err, usable as a metric label:
// "ok" for nil, the class of a fetch error ("not_found", "timeout", ...),
// "canceled", or "error" for anything unrecognised.
func Outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var k *kind
	switch {
	case errors.As(err, &k):
		return k.outcome
	case errors.Is(err, context.Canceled):
		return errCanceled.outcome
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	return errUnknown.outcome
}

// IsTransient reports whether retrying later may succeed. Unrecognised
// errors count as transient: redelivery is bounded, a lost page is not.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var k *kind
	if errors.As(err, &k) {
		return k.transient
	}
	return true
}

// RetryAfter returns the delay the server asked for with Retry-After, or
// how long the host is paused for (see Error.RetryAfter), or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// statusError classifies a non-2xx final status.
func statusError(rawURL string, code int, h http.Header) *Error {
	e := &Error{URL: rawURL, Status: code}
	switch {
	case code == http.StatusNotFound || code == http.StatusGone:
		e.Kind = ErrNotFound
	case code == http.StatusNotModified:
		e.Kind = ErrNotModified
	case code == http.StatusTooManyRequests:
		e.Kind = ErrRateLimited
	case code == http.StatusRequestTimeout:
		e.Kind = ErrTimeout
	case code >= 500:
		e.Kind = ErrServer
	default:
		e.Kind = ErrHTTPStatus
	}
	if e.Kind == ErrRateLimited || e.Kind == ErrServer {
		e.RetryAfter = parseRetryAfter(h.Get("Retry-After"), time.Now())
	}
	return e
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date.
// Invalid or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		if n > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(n) * time.Second
	} else if errors.Is(err, strconv.ErrRange) {
		return maxRetryAfter
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	return min(max(t.Sub(now), 0), maxRetryAfter)
}

// classify turns an error from the HTTP stack into an *Error for rawURL.
func classify(rawURL string, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	// url.Error repeats the URL; ours goes in front.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	e := &Error{URL: rawURL, Err: err, Kind: errUnknown}
	var (
		k       *kind
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		authErr x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
		netErr  net.Error
		opErr   *net.OpError
	)
	switch {
	case errors.As(err, &k):
		e.Kind = k
	case errors.Is(err, ErrBlocked): // the guard's *blockedError
		e.Kind = ErrBlocked
	case errors.Is(err, context.Canceled):
		e.Kind = errCanceled
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind = ErrTimeout
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			e.Kind = ErrNoHost
		} else {
			e.Kind = ErrDNS
		}
	case errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &alert),
		errors.As(err, &authErr), errors.As(err, &hostErr), errors.As(err, &invErr):
		e.Kind = ErrTLS
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http's own unexported error for plain HTTP on an https URL.
		e.Kind = ErrTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = ErrTimeout
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &opErr):
		e.Kind = ErrConnection
	}
	return e
}
