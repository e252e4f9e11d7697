package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Case is one page of a set and its ground truth; empty fields are
// unknown. The three sets (extraction, dates, pagetypes) share the format.
type Case struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	HTMLFile  string `json:"html_file"`
	Title     string `json:"title"`
	Published string `json:"published"` // YYYY-MM-DD
	Author    string `json:"author"`
	Body      string `json:"body"`
	Source    string `json:"source"` // scrapinghub, wcxb, bbaw-htmldate…
	Lang      string `json:"lang"`
	// PageType is WCXB's kind of a page that is not an article (listing,
	// collection, forum, product, service, documentation); empty on the
	// article sets.
	PageType string `json:"page_type"`
	// With and Without are snippets a correct body must and must not
	// contain (WCXB and trafilatura annotations).
	With    []string `json:"with"`
	Without []string `json:"without"`
	// DateSource names the annotation Published comes from (htmldate or
	// trafilatura), on the dates set.
	DateSource string `json:"date_source"`
}

// fakeURL is the address readability's test pages are scored under
// upstream; they were captured without one.
const fakeURL = "http://fakehost/test/page.html"

// PageURL returns the URL the page is parsed as. Some trafilatura pages
// carry a file key instead of an address ("hard::site.html"); they are
// parsed as pages without a URL too.
func (c Case) PageURL() string {
	if !strings.HasPrefix(c.URL, "http://") && !strings.HasPrefix(c.URL, "https://") {
		return fakeURL
	}
	return c.URL
}

// Dataset is a set on disk: dir/ground-truth.json and the gzipped pages
// it names.
type Dataset struct {
	Dir   string
	Cases []Case
}

// Load reads the ground truth of the set in dir.
func Load(dir string) (*Dataset, error) {
	b, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("load set: %w", err)
	}
	var cases []Case
	if err := json.Unmarshal(b, &cases); err != nil {
		return nil, fmt.Errorf("load set %s: ground-truth.json: %w", dir, err)
	}
	return &Dataset{Dir: dir, Cases: cases}, nil
}

// HTML returns the page bytes of c, un-gzipped.
func (d *Dataset) HTML(c Case) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(d.Dir, c.HTMLFile))
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", c.ID, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", c.ID, err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", c.ID, err)
	}
	return out, nil
}

// HasPageTypes reports a set of non-article pages, whose tables are
// grouped by page type rather than by source.
func (d *Dataset) HasPageTypes() bool {
	for _, c := range d.Cases {
		if c.PageType != "" {
			return true
		}
	}
	return false
}
