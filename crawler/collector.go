package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
)

// How colly is used, and the traps in colly v2.3.0 this file steps around:
//
//   - One base collector, built once; each Fetch works on base.Clone().
//     Clone shares the backend (our http.Client) and copies the settings,
//     but starts with no callbacks, so the per-fetch callbacks registered on
//     a clone see only that fetch's responses. The clone's Context is the
//     fetch's. Nothing is ever set on the base after construction (Clone
//     reads it unlocked), and nothing that mutates the shared backend
//     (SetClient, Limit, SetRedirectHandler...) is called on a clone.
//   - colly.NewCollector applies COLLY_* environment variables after the
//     options, overriding code (COLLY_CACHE_DIR, COLLY_MAX_REQUESTS,
//     COLLY_DETECT_CHARSET...), and logs unknown ones to the global logger.
//     We call Init instead, which sets colly's defaults without reading the
//     environment, then assign every setting explicitly.
//   - colly marks URLs visited before fetching and keeps them forever.
//     AllowURLRevisit skips both the check and the store (requestCheck and
//     checkRedirectFunc only touch the store when it is false), so nothing
//     accumulates per URL and redeliveries refetch.
//   - MaxBodySize truncates silently. It is set one byte above our limit:
//     a body that reaches it is refused, as is a Content-Length above the
//     limit, seen in OnResponseHeaders before any byte of the body is read.
//   - colly gunzips by itself (outside its size limit) bodies whose
//     Content-Encoding, Content-Type or URL path (.xml.gz) says gzip when
//     the transport has not already decoded them: such responses are refused
//     in OnResponseHeaders. The transport's transparent gzip decoding runs
//     below the limit, so a gzip bomb stops at MaxBodySize+1 decoded bytes.
//   - colly transcodes bodies whose Content-Type names a non-UTF-8 charset.
//     The header is hidden from it in OnResponseHeaders and restored after.
//   - colly turns non-2xx statuses into capitalised errors without the
//     status: ParseHTTPErrorResponse hands them to us instead.
//   - Sync mode: Async spawns a goroutine per request with no bound; the
//     caller bounds concurrency. colly's robots.txt support, LimitRule and
//     cookie jar are not used (see robots.go, limiter.go and Fetch).

// newCollector builds the base collector around client.
func newCollector(cfg Config, client *http.Client) *colly.Collector {
	c := &colly.Collector{}
	c.Init()
	c.SetClient(client)
	c.UserAgent = cfg.UserAgent
	c.Headers = nil
	c.MaxDepth = 0
	c.MaxRequests = 0
	c.AllowedDomains = nil
	c.DisallowedDomains = nil
	c.URLFilters = nil
	c.DisallowedURLFilters = nil
	c.AllowURLRevisit = true
	c.MaxBodySize = int(cfg.MaxBodySize + 1)
	c.CacheDir = ""
	c.IgnoreRobotsTxt = true
	c.Async = false
	c.ParseHTTPErrorResponse = true
	c.DetectCharset = false
	c.CheckHead = false
	c.TraceHTTP = false
	return c
}

// drainLimit is the largest redirect or error body read (rather than
// aborted) so that the connection can be reused.
const drainLimit = 64 << 10

// fetchCollector is one fetch's clone of the base collector. Its callbacks
// report to cur, the hop in progress; colly runs them synchronously within
// Request, so no locking is needed.
type fetchCollector struct {
	c       *colly.Collector
	maxBody int64
	cur     *hop
}

func (f *Fetcher) clone(ctx context.Context) *fetchCollector {
	fc := &fetchCollector{c: f.base.Clone(), maxBody: f.cfg.MaxBodySize}
	fc.c.Context = ctx
	fc.c.OnRequest(func(*colly.Request) { fc.cur.sent = true })
	fc.c.OnResponseHeaders(func(r *colly.Response) { fc.cur.onHeaders(r) })
	fc.c.OnResponse(func(r *colly.Response) { fc.cur.onResponse(r) })
	return fc
}

// get makes one request, without following redirects. It returns a hop
// holding a complete 2xx response or a redirect, or an *Error.
func (fc *fetchCollector) get(u *url.URL, hdr http.Header) (*hop, error) {
	h := &hop{url: u, maxBody: fc.maxBody}
	fc.cur = h
	err := fc.c.Request(http.MethodGet, u.String(), nil, nil, hdr)
	switch {
	case h.err != nil:
		return nil, h.err // decided on the headers; err is colly's abort
	case h.location != "":
		return h, nil // the body of a redirect does not matter
	case err != nil && !h.sent:
		return nil, &Error{URL: u.String(), Kind: ErrInvalidURL, Err: err} // colly refused to build it
	case err != nil:
		return nil, classify(h.url.String(), err)
	case !h.done:
		return nil, &Error{URL: u.String(), Kind: errUnknown, Err: errors.New("no response")}
	}
	return h, nil
}

// hop is one request and its response.
type hop struct {
	url         *url.URL // as colly sent it
	maxBody     int64
	sent        bool
	done        bool
	status      int
	header      http.Header
	contentType []string // Content-Type values, hidden from colly
	location    string   // set for a redirect
	err         *Error   // set when the headers decided the outcome
	body        []byte
	fetchedAt   time.Time
}

func (h *hop) fail(kind error, status int, err error) {
	h.err = &Error{URL: h.url.String(), Kind: kind, Status: status, Err: err}
}

// onHeaders decides from status and headers whether the body is wanted;
// r.Request.Abort() closes the connection without reading it.
func (h *hop) onHeaders(r *colly.Response) {
	h.url = r.Request.URL
	h.status = r.StatusCode
	h.header = *r.Headers
	h.contentType = h.header.Values("Content-Type")
	delete(h.header, "Content-Type") // keep fixCharset's hands off the bytes
	size := contentLength(h.header)
	small := size >= 0 && size <= drainLimit

	switch {
	case isRedirect(h.status) && h.header.Get("Location") != "":
		h.location = h.header.Get("Location")
		if !small {
			r.Request.Abort()
		}
		return
	case h.status < 200 || h.status > 299:
		h.err = statusError(h.url.String(), h.status, h.header)
		if !small {
			r.Request.Abort()
		}
		return
	}

	var ct string
	if len(h.contentType) > 0 {
		ct = h.contentType[0]
	}
	// The transport removes Content-Encoding when it decodes gzip; any
	// encoding left is one we cannot decode within the size limit.
	if ce := h.header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		h.fail(ErrNotHTML, h.status, fmt.Errorf("content-encoding %q", ce))
	} else if size > h.maxBody {
		h.fail(ErrTooLarge, h.status, fmt.Errorf("content-length %d exceeds %d", size, h.maxBody))
	} else if err := acceptableHeader(ct); err != nil {
		h.fail(ErrNotHTML, h.status, err)
	} else if strings.HasSuffix(strings.ToLower(h.url.Path), ".xml.gz") {
		h.fail(ErrNotHTML, h.status, fmt.Errorf("path %q", h.url.Path))
	}
	if h.err != nil {
		r.Request.Abort()
	}
}

func (h *hop) onResponse(r *colly.Response) {
	h.body = r.Body
	h.fetchedAt = time.Now().UTC()
	h.done = true
}

// result checks the body of a 2xx response and returns the page.
func (h *hop) result() (*Result, error) {
	if int64(len(h.body)) > h.maxBody {
		return nil, &Error{URL: h.url.String(), Kind: ErrTooLarge, Status: h.status,
			Err: fmt.Errorf("body exceeds %d bytes", h.maxBody)}
	}
	if len(h.body) == 0 {
		return nil, &Error{URL: h.url.String(), Kind: ErrEmpty, Status: h.status}
	}
	var declared string
	if len(h.contentType) > 0 {
		declared = h.contentType[0]
		h.header["Content-Type"] = h.contentType
	}
	ct, kind, err := checkBody(declared, h.body)
	if err != nil {
		return nil, &Error{URL: h.url.String(), Kind: ErrNotHTML, Status: h.status, Err: err}
	}
	return &Result{
		FinalURL:    h.url.String(),
		Status:      h.status,
		ContentType: ct,
		Kind:        kind,
		Body:        h.body,
		FetchedAt:   h.fetchedAt,
		Header:      h.header,
	}, nil
}

// contentLength returns the declared body size, or -1.
func contentLength(h http.Header) int64 {
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
