// Package trawler holds the wire contract shared by every stage: the
// messages that travel between crawler, parser and sink, and the names of the
// JetStream streams, subjects and buckets that carry them.
//
// It depends on the standard library only, so that any tool can speak the
// protocol without importing the workers.
package trawler

import (
	"fmt"
	"strings"
	"time"
)

// Version is the trawler release; it is part of the default user agent.
const Version = "0.1.0"

// DefaultNamespace prefixes every subject, stream and bucket. Several
// pipelines can share one NATS server by choosing different namespaces.
const DefaultNamespace = "trawler"

// Page types an Article can have. The parser gives every page one of
// PageArticle, PageHub and PageOther; only articles are written.
const (
	// PageArticle is one story, post or report: it is written.
	PageArticle = "article"
	// PageHub lists other pages (home, section, tag, listing, collection
	// pages): its links are followed and it is revisited, nothing is
	// written.
	PageHub = "hub"
	// PageOther is a page that is neither (product, forum thread, service,
	// documentation, login, search pages): its links are followed as a
	// hub's, but it is neither written nor revisited.
	PageOther = "other"
	// PageAlias marks an alias record on the articles stream rather than an
	// article: its URL is another address of the article whose key is its
	// CanonicalURL (a pagination, print or AMP copy, a URL whose canonical
	// is the article's). Sinks add the URL to that article's Aliases.
	PageAlias = "alias"
)

// CrawlRequest asks a crawler to fetch one URL. It is the payload of the
// frontier stream, encoded as JSON.
type CrawlRequest struct {
	URL      string `json:"url"`                // normalized absolute URL
	Depth    int    `json:"depth"`              // seeds are depth 0
	Referrer string `json:"referrer,omitempty"` // page the link was found on
	// TemplateRun counts the links in a row, ending with this one, that led
	// from a URL to another of the same template (the same host and the
	// same path and query but for their numbers): the chain a crawler trap
	// of generated ids grows (see frontier.Rules.Chain).
	TemplateRun int `json:"template_run,omitempty"`
	// Revisit, when set, marks a scheduled re-fetch of a feed or hub that
	// bypasses URL dedup; it names the visit (unique per URL), so that a
	// redelivered revisit is deduplicated and the next one is not.
	Revisit string `json:"revisit,omitempty"`
	// ETag and LastModified are the validators of the previous visit, sent
	// as If-None-Match and If-Modified-Since on a revisit.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Attempt, when set, marks a seed requested again after a failed
	// attempt (or forced); it names the attempt (unique per URL), so that a
	// duplicated publish of it is dropped and the next one is not.
	Attempt string `json:"attempt,omitempty"`
}

// Page is a fetched page as it travels on the pages stream: the bytes as the
// server sent them (undecoded; charset decoding belongs to the parser) and what
// is needed to interpret them.
type Page struct {
	URL         string    // URL requested (normalized)
	FinalURL    string    // URL after redirects
	Status      int       // HTTP status of the final response
	ContentType string    // Content-Type header of the final response
	FetchedAt   time.Time // when the response was received
	Depth       int       // crawl depth of URL
	TemplateRun int       // the CrawlRequest's TemplateRun
	Body        []byte    // raw response body
	// ETag and LastModified are the response's validators, kept for the
	// next revisit's conditional request; empty when absent.
	ETag         string
	LastModified string
	Revisit      string // the CrawlRequest's Revisit, when it was one
	Attempt      string // the CrawlRequest's Attempt, when it was one
	// Kind is KindHTML or KindFeed, decided once by the crawler from the
	// Content-Type and the bytes; empty on a page published by a crawler
	// that predates it, whose kind the parse stage then sniffs.
	Kind string
}

// Kinds of fetched pages (Page.Kind).
const (
	KindHTML = "html"
	KindFeed = "feed" // an RSS or Atom feed, a sitemap or a sitemap index
)

// Link is a hyperlink found on a page.
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
}

// Article is what the parser makes of a page, and what sinks store. Its JSON
// field names are a stable public contract (see README).
type Article struct {
	URL          string   `json:"url"`
	CanonicalURL string   `json:"canonical_url"`
	Title        string   `json:"title"`
	Published    string   `json:"published"` // RFC 3339; empty when unknown
	Modified     string   `json:"modified"`  // RFC 3339; empty when unknown
	Authors      []string `json:"authors"`
	SiteName     string   `json:"site_name"`
	Source       string   `json:"source"` // original publisher credited by the page
	Language     string   `json:"language"`
	Description  string   `json:"description"`
	Body         string   `json:"body"` // plain text, paragraphs separated by a blank line
	Image        string   `json:"image"`
	Tags         []string `json:"tags"`
	Related      []Link   `json:"related"`
	// Aliases are the other URLs the same article was fetched by (its
	// non-canonical address, pagination and print copies, an AMP copy),
	// normalized, each once; the article itself is stored once.
	Aliases   []string  `json:"aliases"`
	PageType  string    `json:"page_type"` // PageArticle, PageHub, PageOther or PageAlias
	FetchedAt time.Time `json:"fetched_at"`
	// ExtractedAt is when the parse stage made this version: of two
	// versions of one fetch (an archive parsed again by a newer parser,
	// trawler reparse), the later extraction is the current one.
	ExtractedAt time.Time `json:"extracted_at,omitzero"`
	Depth       int       `json:"depth"`
	ContentHash string    `json:"content_hash"` // hex sha256 of Body
}

// Key returns the URL that identifies the article: the canonical URL when
// known, else the fetched one. The parser reports a canonical URL only on
// the page's own registered domain, so no site can claim another's article.
func (a *Article) Key() string {
	if a.CanonicalURL != "" {
		return a.CanonicalURL
	}
	return a.URL
}

// Names derives every JetStream name of one pipeline from its namespace.
type Names struct{ NS string }

// Validate reports a namespace that cannot name subjects and streams: it
// must be dot-separated tokens of letters, digits, '-' and '_'.
func (n Names) Validate() error {
	if n.NS == "" {
		return fmt.Errorf("empty namespace")
	}
	for _, tok := range strings.Split(n.NS, ".") {
		if tok == "" || strings.IndexFunc(tok, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) >= 0 {
			return fmt.Errorf("namespace %q: want dot-separated tokens of letters, digits, '-' and '_'", n.NS)
		}
	}
	return nil
}

func (n Names) upper() string { return strings.ToUpper(strings.ReplaceAll(n.NS, ".", "_")) }

// FrontierStream is the work queue of crawl requests.
func (n Names) FrontierStream() string { return n.upper() + "_FRONTIER" }

// FrontierSubject is the prefix of the frontier's subjects; crawl requests
// travel on FrontierPartitionSubject.
func (n Names) FrontierSubject() string { return n.NS + ".frontier" }

// FrontierPartitionSubject carries the CrawlRequests of frontier partition
// p. A URL's partition is a hash of its registered domain modulo the number
// of partitions, which is fixed when the frontier stream is created and kept
// in its metadata.
func (n Names) FrontierPartitionSubject(p int) string {
	return fmt.Sprintf("%s.frontier.%d", n.NS, p)
}

// FrontierSubjects matches every partition subject.
func (n Names) FrontierSubjects() string { return n.NS + ".frontier.*" }

// LeaseBucket is the KV bucket of crawler membership heartbeats and frontier
// partition leases: each partition is consumed by one live crawler at a time.
func (n Names) LeaseBucket() string { return n.upper() + "_LEASES" }

// PagesStream is the work queue of fetched pages.
func (n Names) PagesStream() string { return n.upper() + "_PAGES" }

// PagesSubject carries Pages.
func (n Names) PagesSubject() string { return n.NS + ".pages" }

// ArticlesStream keeps articles for every sink to consume in full.
func (n Names) ArticlesStream() string { return n.upper() + "_ARTICLES" }

// ArticlesSubject carries Articles as JSON.
func (n Names) ArticlesSubject() string { return n.NS + ".articles" }

// DeadLetterStream keeps messages that failed permanently.
func (n Names) DeadLetterStream() string { return n.upper() + "_DLQ" }

// DeadLetterSubject is where a stage's failed messages go.
func (n Names) DeadLetterSubject(stage string) string { return n.NS + ".dlq." + stage }

// SeenBucket is the KV bucket that records the first sight of each URL.
func (n Names) SeenBucket() string { return n.upper() + "_SEEN" }

// ScheduleBucket is the KV bucket of feeds and hubs due for a revisit.
func (n Names) ScheduleBucket() string { return n.upper() + "_SCHEDULE" }

// ScopeBucket is the KV bucket holding the crawl's allowed domains.
func (n Names) ScopeBucket() string { return n.upper() + "_SCOPE" }

// Stage names, used in dead letters, metrics and consumer names.
const (
	StageCrawl = "crawl"
	StageParse = "parse"
	StageSink  = "sink"
)
