// Package wire encodes the pipeline's messages for NATS. Pages travel as raw
// bytes (zstd-compressed when that pays) with their metadata in headers, so
// the body is never base64'd or copied into JSON.
package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// Page headers.
const (
	HeaderURL         = "Trawler-Url"
	HeaderFinalURL    = "Trawler-Final-Url"
	HeaderStatus      = "Trawler-Status"
	HeaderContentType = "Trawler-Content-Type"
	HeaderFetchedAt   = "Trawler-Fetched-At"
	HeaderDepth       = "Trawler-Depth"
	HeaderEncoding    = "Trawler-Encoding"
	HeaderRawSize     = "Trawler-Raw-Size"
	// Optional: validators for revisits, and the revisit that fetched it.
	HeaderETag         = "Trawler-Etag"
	HeaderLastModified = "Trawler-Last-Modified"
	HeaderRevisit      = "Trawler-Revisit"
	HeaderAttempt      = "Trawler-Attempt"
	HeaderKind         = "Trawler-Kind"
	HeaderTemplateRun  = "Trawler-Template-Run"
)

// ErrMalformed wraps every decoding error: a malformed message cannot become
// valid by retrying, so workers dead-letter it.
var ErrMalformed = errors.New("malformed message")

// ErrTooLarge is wrapped, with ErrMalformed, by the error of a page larger
// than the codec's limit (NewCodec): a crawler with a higher
// --max-body-size than this process sent it. Dead-letter it; it can be
// replayed once the limits agree.
var ErrTooLarge = errors.New("page too large")

// minCompress is the size below which compressing costs more than it saves.
const minCompress = 1024

// Codec encodes and decodes messages. It is safe for concurrent use; build
// one per process.
type Codec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
	// MaxPageSize bounds a decompressed page, so a hostile message cannot
	// make a parser allocate without limit.
	maxPage int
}

// NewCodec returns a codec that refuses pages above maxPage bytes.
func NewCodec(maxPage int) (*Codec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(uint64(maxPage)+1))
	if err != nil {
		return nil, fmt.Errorf("zstd decoder: %w", err)
	}
	return &Codec{enc: enc, dec: dec, maxPage: maxPage}, nil
}

// Close releases the decoder's goroutines.
func (c *Codec) Close() { c.dec.Close() }

// PageMsg encodes p for subject. Its Nats-Msg-Id is derived from the
// requested URL (and the revisit or attempt, for one), so a republish after
// a crash is dropped by the stream's duplicate window.
func (c *Codec) PageMsg(subject string, p trawler.Page) *nats.Msg {
	m := nats.NewMsg(subject)
	h := m.Header
	h.Set(HeaderURL, p.URL)
	h.Set(HeaderFinalURL, p.FinalURL)
	h.Set(HeaderStatus, strconv.Itoa(p.Status))
	h.Set(HeaderContentType, p.ContentType)
	if p.Kind != "" {
		h.Set(HeaderKind, p.Kind)
	}
	h.Set(HeaderFetchedAt, p.FetchedAt.UTC().Format(time.RFC3339Nano))
	h.Set(HeaderDepth, strconv.Itoa(p.Depth))
	if p.TemplateRun > 0 {
		h.Set(HeaderTemplateRun, strconv.Itoa(p.TemplateRun))
	}
	h.Set(HeaderRawSize, strconv.Itoa(len(p.Body)))
	h.Set(jetstream.MsgIDHeader, "page:"+hashHex(p.URL))
	if p.Revisit != "" {
		// Each revisit is a new page; a redelivered one is the same.
		h.Set(jetstream.MsgIDHeader, "page:"+hashHex(p.URL+"\n"+p.Revisit))
		h.Set(HeaderRevisit, p.Revisit)
	} else if p.Attempt != "" {
		// A seed fetched again is a new page too (seed --force within the
		// window of the first fetch's page).
		h.Set(jetstream.MsgIDHeader, "page:"+hashHex(p.URL+"\nattempt "+p.Attempt))
		h.Set(HeaderAttempt, p.Attempt)
	}
	setIf(h, HeaderETag, p.ETag)
	setIf(h, HeaderLastModified, p.LastModified)
	m.Data = p.Body
	if len(p.Body) >= minCompress {
		z := c.enc.EncodeAll(p.Body, make([]byte, 0, len(p.Body)/3))
		if len(z) < len(p.Body)*9/10 {
			h.Set(HeaderEncoding, "zstd")
			m.Data = z
		}
	}
	return m
}

// Page decodes a page message.
func (c *Codec) Page(h nats.Header, data []byte) (trawler.Page, error) {
	p := trawler.Page{
		URL:          h.Get(HeaderURL),
		FinalURL:     h.Get(HeaderFinalURL),
		ContentType:  h.Get(HeaderContentType),
		Kind:         h.Get(HeaderKind),
		ETag:         h.Get(HeaderETag),
		LastModified: h.Get(HeaderLastModified),
		Revisit:      h.Get(HeaderRevisit),
		Attempt:      h.Get(HeaderAttempt),
	}
	if p.URL == "" {
		return p, fmt.Errorf("%w: page without %s", ErrMalformed, HeaderURL)
	}
	var err error
	if p.Status, err = strconv.Atoi(h.Get(HeaderStatus)); err != nil {
		return p, fmt.Errorf("%w: status: %w", ErrMalformed, err)
	}
	if p.Depth, err = strconv.Atoi(h.Get(HeaderDepth)); err != nil {
		return p, fmt.Errorf("%w: depth: %w", ErrMalformed, err)
	}
	if v := h.Get(HeaderTemplateRun); v != "" {
		if p.TemplateRun, err = strconv.Atoi(v); err != nil {
			return p, fmt.Errorf("%w: template run: %w", ErrMalformed, err)
		}
	}
	if p.FetchedAt, err = time.Parse(time.RFC3339Nano, h.Get(HeaderFetchedAt)); err != nil {
		return p, fmt.Errorf("%w: fetched-at: %w", ErrMalformed, err)
	}
	switch enc := h.Get(HeaderEncoding); enc {
	case "":
		p.Body = data
	case "zstd":
		if p.Body, err = c.dec.DecodeAll(data, nil); errors.Is(err, zstd.ErrDecoderSizeExceeded) {
			return p, fmt.Errorf("%w: %w: over the limit of %d bytes", ErrMalformed, ErrTooLarge, c.maxPage)
		} else if err != nil {
			return p, fmt.Errorf("%w: zstd: %w", ErrMalformed, err)
		}
	default:
		return p, fmt.Errorf("%w: unknown encoding %q", ErrMalformed, enc)
	}
	if len(p.Body) > c.maxPage {
		return p, fmt.Errorf("%w: %w: %d bytes, over the limit of %d", ErrMalformed, ErrTooLarge, len(p.Body), c.maxPage)
	}
	return p, nil
}

// CrawlRequestMsg encodes r. Its Nats-Msg-Id is the URL (and the revisit or
// the attempt, for one), so concurrent enqueues of one URL within the
// duplicate window store it once.
func CrawlRequestMsg(subject string, r trawler.CrawlRequest) (*nats.Msg, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode crawl request: %w", err)
	}
	m := nats.NewMsg(subject)
	id := "url:" + hashHex(r.URL)
	if r.Revisit != "" {
		id = "revisit:" + hashHex(r.URL+"\n"+r.Revisit)
	} else if r.Attempt != "" {
		id = "attempt:" + hashHex(r.URL+"\n"+r.Attempt)
	}
	m.Header.Set(jetstream.MsgIDHeader, id)
	m.Data = data
	return m, nil
}

// CrawlRequest decodes a frontier message.
func CrawlRequest(data []byte) (trawler.CrawlRequest, error) {
	var r trawler.CrawlRequest
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%w: crawl request: %w", ErrMalformed, err)
	}
	if r.URL == "" {
		return r, fmt.Errorf("%w: crawl request without url", ErrMalformed)
	}
	return r, nil
}

// ArticleMsg encodes a. Its Nats-Msg-Id is the article key and content hash:
// the same article parsed twice is stored once, a changed one again.
func ArticleMsg(subject string, a *trawler.Article) (*nats.Msg, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode article: %w", err)
	}
	m := nats.NewMsg(subject)
	m.Header.Set(jetstream.MsgIDHeader, "article:"+hashHex(a.Key()+"\n"+a.ContentHash))
	m.Data = data
	return m, nil
}

// Article decodes an articles message.
func Article(data []byte) (trawler.Article, error) {
	var a trawler.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return a, fmt.Errorf("%w: article: %w", ErrMalformed, err)
	}
	if a.URL == "" {
		return a, fmt.Errorf("%w: article without url", ErrMalformed)
	}
	return a, nil
}

func setIf(h nats.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}
