// Package archive keeps the raw pages a crawl fetched in WARC 1.1 files
// (ISO 28500), gzip-compressed record by record and rotated by size, and
// reads them back as pages, so that a parser upgrade can be applied to past
// crawls without fetching again (trawler reparse).
//
// Each page is a response record: the target URI is the URL the page came
// from (after redirects), the date when its body arrived, and the block the
// HTTP response as trawler received it: the status line, the headers, and
// the body transfer- and content-decoded (never charset-converted), with
// Content-Length set to it. The URL requested and the crawl depth ride in
// two extension fields, so that reparsing rebuilds the same page.
package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/nlnwa/gowarc/v3"

	"github.com/trawler/trawler"
)

// Extension fields of trawler's response records.
const (
	fieldURL   = "WARC-Trawler-URL"   // the URL requested, before redirects
	fieldDepth = "WARC-Trawler-Depth" // its link distance from a seed
	fieldKind  = "WARC-Trawler-Kind"  // trawler.Page.Kind
)

// DefaultMaxFileSize is the size at which a WARC file is closed and the
// next one opened: the WARC 1.1 standard's recommendation.
const DefaultMaxFileSize = 1 << 30

// Writer appends pages to the rotating WARC files of a folder. It is safe
// for concurrent use.
type Writer struct {
	// mu serializes building and writing records: gowarc v3.1.0 sets a
	// package variable of google/uuid each time it builds record options
	// (uuid.EnableRandPool), its file writer's warcinfo included, which the
	// race detector rightly reports when two goroutines build at once.
	mu sync.Mutex
	w  *gowarc.WarcFileWriter
}

// Options configure a Writer.
type Options struct {
	// Prefix starts every file name: give each process its own (the
	// crawler's id), so that crawlers sharing a folder never write to one
	// file.
	Prefix      string
	MaxFileSize int64 // default DefaultMaxFileSize
}

// Create opens a Writer on dir, creating it.
func Create(dir string, o Options) (*Writer, error) {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	names := &gowarc.PatternNameGenerator{Directory: dir, Prefix: o.Prefix + "-",
		// No host name or address: they say where trawler ran, not what it
		// fetched, and name lookups have no place in a write path.
		Pattern: "%{prefix}strawler-%{ts}s-%05{serial}d.%{ext}s"}
	w := gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(names),
		gowarc.WithMaxFileSize(o.MaxFileSize),
		gowarc.WithCompression(true),
		gowarc.WithWarcInfoFunc(func(b gowarc.WarcRecordBuilder) error {
			_, err := b.WriteString("software: trawler/" + trawler.Version + "\r\nformat: WARC File Format 1.1\r\n" +
				"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
			return err
		}),
	)
	return &Writer{w: w}, nil
}

// Write appends p, with the headers of its response, as one response
// record, and returns once it is written.
func (w *Writer) Write(p trawler.Page, header http.Header) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true),
		gowarc.WithAddMissingContentLength(true))
	defer b.Close()
	target := p.FinalURL
	if target == "" {
		target = p.URL
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, target)
	b.AddWarcHeaderTime(gowarc.WarcDate, p.FetchedAt)
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	b.AddWarcHeader(fieldURL, p.URL)
	b.AddWarcHeaderInt(fieldDepth, p.Depth)
	if p.Kind != "" {
		b.AddWarcHeader(fieldKind, p.Kind)
	}
	if _, err := b.WriteString(responseHead(p, header)); err != nil {
		return fmt.Errorf("archive %s: %w", p.URL, err)
	}
	if _, err := b.Write(p.Body); err != nil {
		return fmt.Errorf("archive %s: %w", p.URL, err)
	}
	rec, _, err := b.Build()
	if err != nil {
		return fmt.Errorf("archive %s: %w", p.URL, err)
	}
	defer rec.Close()
	for _, r := range w.w.Write(rec) {
		if r.Err != nil {
			return fmt.Errorf("archive %s: %w", p.URL, r.Err)
		}
	}
	return nil
}

// Close finishes the current file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Close()
}

// hopHeaders describe the message as it crossed the wire, not the body
// archived (decoded, whole).
var hopHeaders = map[string]bool{"Content-Length": true, "Content-Encoding": true, "Transfer-Encoding": true,
	"Content-Type": true, "Connection": true, "Keep-Alive": true, "Trailer": true}

// responseHead is the status line and headers of p's response.
func responseHead(p trawler.Page, header http.Header) string {
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	h := http.Header{}
	for k, vs := range header {
		if !hopHeaders[http.CanonicalHeaderKey(k)] {
			h[k] = vs
		}
	}
	if p.ContentType != "" {
		h.Set("Content-Type", p.ContentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	_ = h.Write(&b) // a strings.Builder does not fail
	b.WriteString("\r\n")
	return b.String()
}

// Files returns the WARC files a spec names: a folder's .warc and
// .warc.gz files (not those still open), or a file.
func Files(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	for _, pattern := range []string{"*.warc", "*.warc.gz"} {
		m, err := filepath.Glob(filepath.Join(path, pattern))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	return files, nil
}

// Read calls fn with every page archived in file, in order. Records other
// than responses (warcinfo) are skipped; a record that cannot be read
// ends the file with an error naming its offset.
func Read(file string, fn func(trawler.Page) error) error {
	r, err := gowarc.NewWarcFileReader(file, 0, gowarc.WithSpecViolationPolicy(gowarc.ErrWarn), gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn))
	if err != nil {
		return fmt.Errorf("archive %s: %w", file, err)
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("archive %s: %w", file, err)
		}
		p, ok, err := page(rec.WarcRecord)
		rec.Close()
		if err != nil {
			return fmt.Errorf("archive %s at offset %d: %w", file, rec.Offset, err)
		}
		if !ok {
			continue
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

// page rebuilds the page of a response record; ok is false for records of
// other types.
func page(rec gowarc.WarcRecord) (p trawler.Page, ok bool, err error) {
	if rec.Type() != gowarc.Response {
		return p, false, nil
	}
	block, isHTTP := rec.Block().(gowarc.HttpResponseBlock)
	if !isHTTP {
		return p, false, nil
	}
	h := rec.WarcHeader()
	p.FinalURL = h.Get(gowarc.WarcTargetURI)
	p.URL = h.Get(fieldURL)
	if p.URL == "" { // a WARC file of another crawler
		p.URL = p.FinalURL
	}
	p.Depth, _ = strconv.Atoi(h.Get(fieldDepth))
	p.Kind = h.Get(fieldKind)
	if p.FetchedAt, err = rec.Date(); err != nil {
		return p, false, err
	}
	p.Status = block.HttpStatusCode()
	if hh := block.HttpHeader(); hh != nil {
		p.ContentType = hh.Get("Content-Type")
		p.ETag, p.LastModified = hh.Get("ETag"), hh.Get("Last-Modified")
	}
	body, err := block.PayloadBytes()
	if err != nil {
		return p, false, err
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(body); err != nil {
		return p, false, err
	}
	p.Body = buf.Bytes()
	p.FetchedAt = p.FetchedAt.UTC()
	return p, true, nil
}
