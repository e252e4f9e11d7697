package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/eval"
	"github.com/trawler/trawler/parser"
)

// system is one extractor under test.
type system func(c eval.Case, body []byte, now time.Time) eval.Output

// parseWithTrawler runs the parser as trawler extract does.
func parseWithTrawler(c eval.Case, body []byte, now time.Time) eval.Output {
	art, _, err := parser.Parse(trawler.Page{
		URL: c.PageURL(), FinalURL: c.PageURL(), Status: 200,
		ContentType: "text/html", FetchedAt: now, Body: body,
	})
	if err != nil {
		return eval.Output{}
	}
	return eval.Output{Title: art.Title, Published: art.Published, Authors: art.Authors, Body: art.Body, PageType: art.PageType}
}

// noArticle is go-trafilatura's page type when it extracts no body: it
// has no notion of a hub, only of a page with main text or without.
const noArticle = "none"

// extractWithTrafilatura is go-trafilatura as a user calls it: Extract
// from the bytes, with its readability and DOM Distiller fallback.
func extractWithTrafilatura(c eval.Case, body []byte, _ time.Time) eval.Output {
	u, _ := url.Parse(c.PageURL())
	res, err := trafilatura.Extract(bytes.NewReader(body), trafilatura.Options{OriginalURL: u, EnableFallback: true})
	if err != nil || res == nil {
		return eval.Output{PageType: noArticle}
	}
	// Metadata.PageType is the page's own og:type or JSON-LD @type, not a
	// judgement of go-trafilatura's: whether it finds a body is the
	// closest it comes to telling an article from other pages.
	o := eval.Output{Title: res.Metadata.Title, Body: res.ContentText, PageType: trawler.PageArticle}
	if strings.TrimSpace(res.ContentText) == "" {
		o.PageType = noArticle
	}
	if !res.Metadata.Date.IsZero() {
		o.Published = res.Metadata.Date.Format(time.DateOnly)
	}
	if res.Metadata.Author != "" {
		o.Authors = []string{res.Metadata.Author}
	}
	return o
}

// dumpLine is one page of the -dump file.
type dumpLine struct {
	Set, ID, Source, URL string
	F1, Precision        float64
	RefF1                float64 // go-trafilatura's, when compared
	Recall               float64
	Title, TruthTitle    string
	Published, TruthDay  string
	TruthDateSource      string `json:",omitempty"`
	Authors              []string
	TruthAuthor          string
	PageType, TruthType  string
	Snippets             *eval.Snippets `json:",omitempty"`
	MS                   float64
	Body                 string
}

// measure runs the systems over one set, page by page and alternating
// which goes first, so that machine noise falls on both alike.
func measure(set string, ds *eval.Dataset, c config, dump *bufio.Writer) (ours, theirs *eval.Report, err error) {
	now := time.Now().UTC()
	ours = eval.NewReport("trawler")
	if c.compare {
		theirs = eval.NewReport("go-trafilatura+fallback")
		theirs.NoHubs = true
	}
	if ds.HasPageTypes() {
		ours.GroupBy = eval.ByPageType
		if theirs != nil {
			theirs.GroupBy = eval.ByPageType
		}
	}
	for i, cs := range ds.Cases {
		body, err := ds.HTML(cs)
		if err != nil {
			return nil, nil, err
		}
		var o eval.Output
		runOurs := func() { o = timed(parseWithTrawler, cs, body, now, c.repeat) }
		var ref eval.Output
		runTheirs := func() {
			if theirs != nil {
				ref = timed(extractWithTrafilatura, cs, body, now, c.repeat)
				theirs.Add(cs, ref, now)
			}
		}
		if i%2 == 0 {
			runOurs()
			runTheirs()
		} else {
			runTheirs()
			runOurs()
		}
		ours.Add(cs, o, now)
		if dump != nil {
			m := eval.ScoreBody(cs.Body, o.Body)
			p, r, f1 := eval.PRF([]eval.Match{m})
			_, _, refF1 := eval.PRF([]eval.Match{eval.ScoreBody(cs.Body, ref.Body)})
			var sn *eval.Snippets
			if len(cs.With)+len(cs.Without) > 0 {
				n := eval.CountSnippets(cs.With, cs.Without, o.Body)
				sn = &n
			}
			line, _ := json.Marshal(dumpLine{
				Set: set, ID: cs.ID, Source: cs.Source, URL: cs.URL, F1: f1, Precision: p, Recall: r, RefF1: refF1,
				Title: o.Title, TruthTitle: cs.Title, Published: o.Published, TruthDay: cs.Published, TruthDateSource: cs.DateSource,
				Authors: o.Authors, TruthAuthor: cs.Author, PageType: o.PageType, TruthType: cmp.Or(cs.PageType, "article"),
				Snippets: sn, MS: float64(o.Elapsed.Microseconds()) / 1000, Body: o.Body,
			})
			dump.Write(append(line, '\n')) //nolint:errcheck // checked at Flush
		}
	}
	return ours, theirs, nil
}

// timed runs s on the page repeat times and keeps the first output and the
// fastest time: on a shared machine the minimum is the cost of the work,
// the rest is other processes' noise.
func timed(s system, c eval.Case, body []byte, now time.Time, repeat int) eval.Output {
	var o eval.Output
	for i := range max(1, repeat) {
		start := time.Now()
		out := s(c, body, now)
		d := time.Since(start)
		if i == 0 {
			o, o.Elapsed = out, d
		}
		o.Elapsed = min(o.Elapsed, d)
	}
	return o
}
