package sitetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// renderer turns catalog entries into HTML.
type renderer struct {
	article  *template.Template
	hub      *template.Template
	notFound *template.Template
}

func newRenderer() *renderer {
	return &renderer{
		article:  template.Must(template.New("article").Parse(articleHTML)),
		hub:      template.Must(template.New("hub").Parse(hubHTML)),
		notFound: template.Must(template.New("404").Parse(notFoundHTML)),
	}
}

// hosts holds what a page needs to know about the request to write absolute
// links.
type hosts struct {
	origin  string // "http://127.0.0.1:port", the scheme and host asked for
	offsite string // "http://localhost:port", the same server under another name
}

func hostsOf(r *http.Request) hosts {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	offsite := "localhost"
	if _, port, err := net.SplitHostPort(host); err == nil {
		offsite = net.JoinHostPort("localhost", port)
	}
	return hosts{origin: scheme + "://" + host, offsite: scheme + "://" + offsite}
}

func (h hosts) href(l hubLink) string {
	switch {
	case l.href == "":
		return l.path
	case strings.HasPrefix(l.href, originMarker):
		return h.origin + strings.TrimPrefix(l.href, originMarker)
	case strings.HasPrefix(l.href, offsiteMarker):
		return h.offsite + strings.TrimPrefix(l.href, offsiteMarker)
	}
	return l.href
}

type linkView struct{ Href, Title, Teaser string }

type readAlsoView struct {
	Href, Title string
	Paras       []string
}

type articleView struct {
	L                                  labels
	Lang, Path, Title, Summary, Author string
	Source, Published, DisplayDate     string
	Stamp, Canonical                   string
	JSONLD                             template.JS
	Paras                              []string
	ReadAlso                           readAlsoView
	Views                              int
	Ticker, Similar                    []linkView
}

type blockView struct {
	Class, Heading string
	Links          []linkView
}

type hubView struct {
	L                                   labels
	Lang, Title, Description, Canonical string
	Nav                                 []linkView
	Blocks                              []blockView
}

// newsArticle is the JSON-LD some article pages carry.
type newsArticle struct {
	Context       string `json:"@context"`
	Type          string `json:"@type"`
	Headline      string `json:"headline"`
	Description   string `json:"description"`
	DatePublished string `json:"datePublished"`
	InLanguage    string `json:"inLanguage"`
	Author        thing  `json:"author"`
	Publisher     thing  `json:"publisher"`
	MainEntity    string `json:"mainEntityOfPage"`
}

type thing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// readAlsoParas is how many paragraphs of the teased story the "read also"
// block reprints.
const readAlsoParas = 2

func (c *catalog) articleView(a *article, h hosts) (articleView, error) {
	l := labelsFor(a.lang)
	t, err := time.Parse(time.RFC3339, a.published)
	if err != nil {
		return articleView{}, fmt.Errorf("article %s: %w", a.path, err)
	}
	ra := c.byPath[a.readAlso]
	v := articleView{
		L: l, Lang: a.lang, Path: a.path, Title: a.title, Summary: a.summary,
		Author: a.author, Source: a.source, Published: a.published,
		DisplayDate: displayDate(a.lang, t), Canonical: h.origin + a.path,
		Paras:    a.paras,
		ReadAlso: readAlsoView{Href: ra.path, Title: ra.title, Paras: ra.paras[:readAlsoParas]},
		Views:    views(a.path),
	}
	if a.lang == "ar" {
		v.Stamp = aggregatorStamp
	}
	for _, other := range c.ticker(a.lang, a.path) {
		v.Ticker = append(v.Ticker, linkView{Href: other.path, Title: other.title})
	}
	for _, p := range a.similar {
		v.Similar = append(v.Similar, linkView{Href: p, Title: c.byPath[p].title})
	}
	if a.jsonLD {
		ld, err := json.Marshal(newsArticle{
			Context: "https://schema.org", Type: "NewsArticle",
			Headline: a.title, Description: a.summary, DatePublished: a.published,
			InLanguage: a.lang, MainEntity: v.Canonical,
			Author:    thing{Type: "Person", Name: a.author},
			Publisher: thing{Type: "Organization", Name: l.SiteName},
		})
		if err != nil {
			return articleView{}, fmt.Errorf("article %s: json-ld: %w", a.path, err)
		}
		v.JSONLD = template.JS(ld) // json.Marshal escapes <, > and &
	}
	return v, nil
}

func (c *catalog) hubView(hb *hub, h hosts) hubView {
	v := hubView{
		L: labelsFor(hb.lang), Lang: hb.lang, Title: hb.title,
		Description: hb.description, Canonical: h.origin + hb.path,
	}
	for _, l := range navLinks(hb.lang) {
		v.Nav = append(v.Nav, linkView{Href: l.path, Title: l.title})
	}
	for _, b := range hb.blocks {
		bv := blockView{Class: b.class, Heading: b.heading}
		for _, l := range b.links {
			lv := linkView{Href: h.href(l), Title: l.title}
			if a, ok := c.byPath[l.path]; ok {
				if lv.Title == "" {
					lv.Title = a.title
				}
				if b.teasers {
					lv.Teaser = a.summary
				}
			}
			bv.Links = append(bv.Links, lv)
		}
		v.Blocks = append(v.Blocks, bv)
	}
	return v
}

// execute renders a template and encodes the result in the charset of lang.
func execute(t *template.Template, lang string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", t.Name(), err)
	}
	return encode(lang, buf.Bytes())
}

// encode converts UTF-8 HTML to the charset pages in lang are served in:
// windows-1256 for Arabic, UTF-8 otherwise.
func encode(lang string, utf8 []byte) ([]byte, error) {
	if lang != "ar" {
		return utf8, nil
	}
	b, err := charmap.Windows1256.NewEncoder().Bytes(utf8)
	if err != nil {
		return nil, fmt.Errorf("encode windows-1256: %w", err)
	}
	return b, nil
}

// contentType is the Content-Type of an HTML page in lang.
func contentType(lang string) string {
	return "text/html; charset=" + labelsFor(lang).Charset
}

// displayDate is the human-readable date printed under the byline. Arabic
// pages mimic the reference page: "25th, July 2024 GMT".
func displayDate(lang string, t time.Time) string {
	t = t.UTC()
	if lang != "ar" {
		return t.Format("2 January 2006, 15:04 GMT")
	}
	suffix := "th"
	switch d := t.Day(); {
	case d == 1 || d == 21 || d == 31:
		suffix = "st"
	case d == 2 || d == 22:
		suffix = "nd"
	case d == 3 || d == 23:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s, %s %d GMT", t.Day(), suffix, t.Month(), t.Year())
}

// views is the deterministic view count printed on a page.
func views(path string) int {
	h := fnv.New32a()
	h.Write([]byte(path))
	return 1000 + int(h.Sum32()%9000)
}
