// Package sink persists articles. Delivery from the pipeline is at least
// once; a sink makes what users see exactly once.
//
// Every sink stores versions of articles. A version is identified by the
// article's key (trawler.Article.Key: the canonical URL when known) and its
// content hash. Writing a version a sink already holds changes nothing, so a
// redelivered batch is harmless; a new content hash is a new version. When
// versions of one key arrive out of order, the newest by fetched_at (then by
// extracted_at, for two extractions of one fetch, then by content hash, to
// break ties) is the current one, whatever the arrival order. The contract is checked for every sink by package sinktest.
package sink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/redact"
)

// Sink stores batches of articles durably.
type Sink interface {
	// Write stores the batch durably before it returns nil; the caller acks
	// the batch only then. A non-nil error means none of the batch may be
	// counted as stored: the caller retries it, and the sink must take the
	// retry without storing anything twice. An error wrapping ErrInvalid
	// means an article of the batch can never be stored; the caller then
	// writes the articles one by one to find it.
	Write(ctx context.Context, batch []trawler.Article) error
	// Close flushes and releases the sink.
	Close() error
}

// ErrInvalid marks an article a sink refuses to store; retrying cannot help.
// A batch write that fails with it should be split to find the article.
var ErrInvalid = errors.New("invalid article")

// Open returns the sink described by spec:
//
//	jsonl:PATH                      one JSON-lines file
//	jsonl:DIR/?rotate=100MB&gzip=1  rotated files in DIR (see OpenJSONL)
//	postgres://… or postgresql://…  PostgreSQL (see OpenPostgres)
//
// A name=NAME option or parameter (see Name) names the sink in the
// pipeline; the sink itself ignores it. The logger receives the sink's own
// warnings (evictions, migrations).
func Open(ctx context.Context, spec string, log *slog.Logger) (Sink, error) {
	_, rest, err := Name(spec)
	if err != nil {
		return nil, err
	}
	kind, arg, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, fmt.Errorf("sink %q: want KIND:ARG, e.g. jsonl:articles.jsonl", Redact(spec))
	}
	switch kind {
	case "jsonl":
		opts, err := ParseJSONLSpec(arg)
		if err != nil {
			return nil, err
		}
		opts.Log = log
		return OpenJSONL(opts)
	case "postgres", "postgresql":
		return OpenPostgres(ctx, rest, log)
	default:
		return nil, fmt.Errorf("sink %q: unknown kind %q (supported: jsonl, postgres)", Redact(spec), kind)
	}
}

// Kind is the kind of sink spec describes ("jsonl", "postgres"), a bounded
// label for metrics and consumer names.
func Kind(spec string) string {
	kind, _, _ := strings.Cut(spec, ":")
	if kind == "postgresql" {
		return "postgres"
	}
	return kind
}

// Redact returns spec with its secrets (a password in the URL or in a
// key=value DSN, sslpassword, sslkey) replaced, for logs and summaries.
func Redact(spec string) string { return redact.String(spec) }

// Validate rejects articles no sink should store. Besides articles, sinks
// take alias records (page type trawler.PageAlias): the URLs in Aliases are
// other addresses of the article whose key is the record's CanonicalURL.
// They may arrive before or after that article, and each sink adds them to
// its Aliases once.
func Validate(a *trawler.Article) error {
	switch {
	case a.URL == "":
		return fmt.Errorf("%w: no url", ErrInvalid)
	case a.PageType == trawler.PageAlias:
		if a.CanonicalURL == "" || len(a.Aliases) == 0 {
			return fmt.Errorf("%w: alias record without article key or aliases", ErrInvalid)
		}
	case a.PageType != trawler.PageArticle:
		return fmt.Errorf("%w: page type %q", ErrInvalid, a.PageType)
	}
	return nil
}

// ContentHash is the hash that tells versions apart: hex sha256 of an
// article's body, or of an alias record's addresses, as the parse stage
// computes them. Sinks compute it from the content and never take the
// field's word for it: a hash sent with an article could make one version
// pass for another, or a changed article for one already stored.
func ContentHash(a *trawler.Article) string {
	var sum [sha256.Size]byte
	if a.PageType == trawler.PageAlias {
		sum = sha256.Sum256([]byte("alias\n" + strings.Join(a.Aliases, "\n")))
	} else {
		sum = sha256.Sum256([]byte(a.Body))
	}
	return hex.EncodeToString(sum[:])
}
