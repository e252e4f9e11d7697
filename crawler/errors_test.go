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
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"-5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"99999999999", maxRetryAfter},
		{"999999999999999999999999", maxRetryAfter},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{now.Add(1000 * time.Hour).Format(http.TimeFormat), maxRetryAfter},
		{"Sunday, 02-Mar-25 12:00:00 GMT", 24 * time.Hour}, // RFC 850
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	const u = "http://example.com/a"
	op := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name string
		err  error
		kind error
	}{
		{"deadline", context.DeadlineExceeded, ErrTimeout},
		{"canceled", fmt.Errorf("read: %w", context.Canceled), errCanceled},
		{"net timeout", op(os.ErrDeadlineExceeded), ErrTimeout},
		{"nxdomain", &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, ErrNoHost},
		{"dns temporary", &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, ErrDNS},
		{"dns timeout", &net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, ErrDNS},
		{"refused", op(os.NewSyscallError("connect", syscall.ECONNREFUSED)), ErrConnection},
		{"reset", op(os.NewSyscallError("read", syscall.ECONNRESET)), ErrConnection},
		{"eof", io.EOF, ErrConnection},
		{"unexpected eof", io.ErrUnexpectedEOF, ErrConnection},
		{"unknown authority", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, ErrTLS},
		{"hostname", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "x"}, ErrTLS},
		{"not tls", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, ErrTLS},
		{"blocked", fmt.Errorf("dial: %w", &blockedError{why: "private"}), ErrBlocked},
		{"throttled", fmt.Errorf("%w: waiting: %w", ErrThrottled, context.DeadlineExceeded), ErrThrottled},
		{"url.Error", &url.Error{Op: "Get", URL: u, Err: io.ErrUnexpectedEOF}, ErrConnection},
		{"mystery", errors.New("something odd"), errUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := classify(u, tt.err)
			if e.Kind != tt.kind {
				t.Errorf("classify(%v) = %s, want %s", tt.err, Outcome(e), Outcome(tt.kind))
			}
			if !errors.Is(e, tt.kind) {
				t.Errorf("errors.Is(class) false")
			}
			if strings.Count(e.Error(), u) != 1 {
				t.Errorf("message %q should name the URL once", e)
			}
		})
	}
	// An *Error passes through unchanged.
	orig := &Error{URL: u, Kind: ErrRobots}
	if got := classify("other", fmt.Errorf("wrapped: %w", orig)); got != orig {
		t.Errorf("classify rewrapped an *Error")
	}
}

func TestOutcomeAndTransience(t *testing.T) {
	t.Parallel()
	permanent := []error{ErrNotFound, ErrHTTPStatus, ErrRobots, ErrNotHTML, ErrTooLarge, ErrEmpty,
		ErrBlocked, ErrRedirectLoop, ErrTooManyRedirects, ErrInvalidURL, ErrNoHost, ErrTLS}
	transient := []error{ErrTimeout, ErrThrottled, ErrConnection, ErrDNS, ErrRateLimited, ErrServer}
	label := regexp.MustCompile(`^[a-z][a-z_]*$`)
	seen := map[string]bool{}
	for _, k := range append(append([]error{}, permanent...), transient...) {
		e := &Error{URL: "http://x/", Kind: k, Err: errors.New("cause")}
		o := Outcome(e)
		if !label.MatchString(o) || seen[o] || o == "ok" {
			t.Errorf("outcome %q of %v: not a distinct snake_case label", o, k)
		}
		seen[o] = true
		if Outcome(k) != o || Outcome(fmt.Errorf("ctx: %w", e)) != o {
			t.Errorf("outcome of %v depends on wrapping", k)
		}
		if msg := e.Error(); msg != strings.ToLower(msg) || !strings.HasPrefix(msg, "fetch http://x/: ") {
			t.Errorf("message %q: want lower case, starting with the URL", msg)
		}
	}
	for _, k := range permanent {
		if IsTransient(&Error{Kind: k}) {
			t.Errorf("%v is transient", k)
		}
	}
	for _, k := range transient {
		if !IsTransient(&Error{Kind: k}) {
			t.Errorf("%v is permanent", k)
		}
	}
	for err, want := range map[error]string{
		nil:                      "ok",
		context.Canceled:         "canceled",
		context.DeadlineExceeded: "timeout",
		errors.New("odd"):        "error",
	} {
		if got := Outcome(err); got != want {
			t.Errorf("Outcome(%v) = %q, want %q", err, got, want)
		}
	}
	if IsTransient(nil) || !IsTransient(errors.New("odd")) || !IsTransient(context.Canceled) {
		t.Errorf("IsTransient: nil must be false, unknown and canceled true")
	}
	e := &Error{URL: "http://x/", Kind: ErrServer, Status: 503, RetryAfter: time.Minute, Err: io.ErrUnexpectedEOF}
	if RetryAfter(fmt.Errorf("w: %w", e)) != time.Minute || RetryAfter(errors.New("x")) != 0 {
		t.Errorf("RetryAfter did not reach the *Error")
	}
	if !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Errorf("cause not reachable with errors.Is")
	}
}
