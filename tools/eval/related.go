package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/eval"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/internal/urlnorm"
	"github.com/trawler/trawler/parser"
)

// relatedLabel is one hand-labelled page of parser/testdata/related: the
// dev-set page id and the URLs of its related-articles blocks.
type relatedLabel struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Related []string `json:"related"`
}

// linkCounts accumulates related-link detection over pages, micro-averaged
// over links.
type linkCounts struct{ pages, tp, fp, fn int }

func (c *linkCounts) add(want, got []string) {
	c.pages++
	w := map[string]bool{}
	for _, u := range want {
		w[u] = true
	}
	seen := map[string]bool{}
	for _, u := range got {
		if seen[u] {
			continue
		}
		seen[u] = true
		if w[u] {
			c.tp++
		} else {
			c.fp++
		}
	}
	for u := range w {
		if !seen[u] {
			c.fn++
		}
	}
}

func (c *linkCounts) String() string {
	p, r := 1.0, 1.0
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	return fmt.Sprintf("precision %.3f, recall %.3f (%d pages, %d expected links, %d found)", p, r, c.pages, c.tp+c.fn, c.tp+c.fp)
}

// reportRelated prints related-link precision and recall on the fixture
// site's articles and on the hand-labelled pages in dir, which are pages
// of the extraction set ds (nil when it was not run).
func reportRelated(w io.Writer, dir string, ds *eval.Dataset) error {
	fixture, err := relatedOnFixture()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "related links, fixture site: %s\n", fixture)
	labels, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(labels) == 0 || ds == nil {
		return nil
	}
	byID := map[string]eval.Case{}
	for _, c := range ds.Cases {
		byID[c.ID] = c
	}
	var real linkCounts
	for _, path := range labels {
		raw, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("related labels: %w", err)
		}
		var l relatedLabel
		if err := json.Unmarshal(raw, &l); err != nil {
			return fmt.Errorf("related labels %s: %w", path, err)
		}
		c, ok := byID[l.ID]
		if !ok {
			continue // not in this run (-n)
		}
		body, err := ds.HTML(c)
		if err != nil {
			return err
		}
		art, _, _ := parser.Parse(trawler.Page{URL: c.PageURL(), FinalURL: c.PageURL(), ContentType: "text/html", FetchedAt: time.Now(), Body: body})
		real.add(normalizeAll(l.Related), normalizeAll(linkURLs(art.Related)))
	}
	if real.pages > 0 {
		fmt.Fprintf(w, "related links, hand-labelled dev-set pages: %s\n", &real)
	}
	return nil
}

// relatedOnFixture parses every article of the fixture news site, served
// in process, and compares its related links with the site's own list.
func relatedOnFixture() (*linkCounts, error) {
	site := sitetest.New()
	const origin = "http://fixture.test"
	var c linkCounts
	for _, e := range site.Articles() {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest("GET", origin+e.Path, nil))
		art, _, err := parser.Parse(trawler.Page{
			URL: origin + e.Path, FinalURL: origin + e.Path, Status: rec.Code,
			ContentType: rec.Header().Get("Content-Type"), FetchedAt: time.Now(), Body: rec.Body.Bytes(),
		})
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", e.Path, err)
		}
		var want []string
		for _, p := range e.Related {
			want = append(want, origin+p)
		}
		c.add(normalizeAll(want), normalizeAll(linkURLs(art.Related)))
	}
	return &c, nil
}

func linkURLs(ls []trawler.Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.URL
	}
	return out
}

func normalizeAll(us []string) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		if n, err := urlnorm.Normalize(strings.TrimSpace(u)); err == nil {
			u = n
		}
		out = append(out, u)
	}
	return out
}
