package discover

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Kind is what a document is.
type Kind string

// Document kinds.
const (
	KindRSS          Kind = "rss"
	KindAtom         Kind = "atom"
	KindSitemap      Kind = "sitemap"
	KindSitemapIndex Kind = "sitemap_index"
)

// MaxEntries bounds the entries read from one document: the sitemap
// protocol's own limit. The rest are ignored.
const MaxEntries = 50000

// Entry is one URL a document lists.
type Entry struct {
	URL       string
	Title     string    // feeds and news sitemaps; may be empty
	Published time.Time // pubDate, published, news:publication_date or lastmod; zero when unknown
}

// Document is a parsed feed or sitemap.
type Document struct {
	Kind Kind
	// Entries are articles (feeds, sitemaps) or child sitemaps (sitemap
	// indexes), as absolute URLs resolved against the document's URL.
	Entries []Entry
}

// ErrNotFeed means the bytes are not an RSS, Atom, sitemap or sitemap index
// document.
var ErrNotFeed = errors.New("not a feed or sitemap")

// xmlTypes are the media types feeds and sitemaps are served with.
var xmlTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true,
	"application/xml": true, "text/xml": true, "application/x-rss+xml": true,
}

// IsXMLType reports whether a media type (lower case, no parameters) may
// carry a feed or a sitemap.
func IsXMLType(mediaType string) bool { return xmlTypes[mediaType] }

// Sniff reports whether body looks like a feed or sitemap: its first element
// is rss, rdf:RDF, feed, urlset or sitemapindex.
func Sniff(body []byte) bool {
	_, err := rootKind(xml.NewDecoder(bytes.NewReader(body)))
	return err == nil
}

// Parse reads a feed or sitemap fetched from base. Entries without a usable
// http(s) URL are skipped; duplicates are kept once.
func Parse(base string, body []byte) (*Document, error) {
	b, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base url: %w", err)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	kind, err := rootKind(d)
	if err != nil {
		return nil, err
	}
	doc := &Document{Kind: kind}
	seen := map[string]bool{}
	add := func(e entryXML) {
		if len(doc.Entries) >= MaxEntries {
			return
		}
		u := resolve(b, e.link())
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		doc.Entries = append(doc.Entries, Entry{URL: u, Title: strings.TrimSpace(e.title()), Published: e.published()})
	}
	item := map[Kind]string{KindRSS: "item", KindAtom: "entry", KindSitemap: "url", KindSitemapIndex: "sitemap"}[kind]
	for len(doc.Entries) < MaxEntries {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(doc.Entries) > 0 {
				break // a truncated document still yields what came before
			}
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != item {
			continue
		}
		var e entryXML
		if err := d.DecodeElement(&e, &se); err != nil {
			continue
		}
		add(e)
	}
	return doc, nil
}

// rootKind reads up to the first element and names the document kind.
func rootKind(d *xml.Decoder) (Kind, error) {
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := d.Token()
		if err != nil {
			return "", ErrNotFeed
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "rss", "RDF":
			return KindRSS, nil
		case "feed":
			return KindAtom, nil
		case "urlset":
			return KindSitemap, nil
		case "sitemapindex":
			return KindSitemapIndex, nil
		}
		return "", ErrNotFeed
	}
}

// entryXML is an RSS item, Atom entry, sitemap url or sitemap index entry:
// the fields are matched by local name, whatever the namespace.
type entryXML struct {
	Link []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Text string `xml:",chardata"`
	} `xml:"link"`
	GUID []struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Text        string `xml:",chardata"`
	} `xml:"guid"`
	Loc       string `xml:"loc"`
	Title     string `xml:"title"`
	PubDate   string `xml:"pubDate"`
	Date      string `xml:"date"` // dc:date (RSS 1.0)
	Published string `xml:"published"`
	Updated   string `xml:"updated"`
	LastMod   string `xml:"lastmod"`
	News      struct {
		PublicationDate string `xml:"publication_date"`
		Title           string `xml:"title"`
	} `xml:"news"`
}

func (e entryXML) link() string {
	if e.Loc != "" {
		return strings.TrimSpace(e.Loc)
	}
	for _, l := range e.Link { // Atom: the alternate link (rel absent means alternate)
		if l.Href != "" && (l.Rel == "" || l.Rel == "alternate") {
			return strings.TrimSpace(l.Href)
		}
	}
	for _, l := range e.Link { // RSS: <link>text</link>
		if t := strings.TrimSpace(l.Text); t != "" {
			return t
		}
	}
	for _, g := range e.GUID {
		if t := strings.TrimSpace(g.Text); !strings.EqualFold(g.IsPermaLink, "false") && strings.HasPrefix(t, "http") {
			return t
		}
	}
	return ""
}

func (e entryXML) title() string {
	if e.News.Title != "" {
		return e.News.Title
	}
	return e.Title
}

func (e entryXML) published() time.Time {
	for _, v := range []string{e.News.PublicationDate, e.PubDate, e.Published, e.Date, e.Updated, e.LastMod} {
		if t, ok := parseDate(v); ok {
			return t
		}
	}
	return time.Time{}
}

var dateLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700", time.RFC822Z, time.RFC822,
}

func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// resolve makes ref absolute against base; only http(s) URLs are kept.
func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}
