package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Case is one page of the extraction set and its ground truth; empty
// fields are unknown.
type Case struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	HTMLFile  string `json:"html_file"`
	Title     string `json:"title"`
	Published string `json:"published"` // YYYY-MM-DD
	Author    string `json:"author"`
	Body      string `json:"body"`
	Source    string `json:"source"` // scrapinghub, readability or wcxb
	Lang      string `json:"lang"`
}

// fakeURL is the address readability's test pages are scored under
// upstream; they were captured without one.
const fakeURL = "http://fakehost/test/page.html"

// PageURL returns the URL the page is parsed as.
func (c Case) PageURL() string {
	if c.URL == "" {
		return fakeURL
	}
	return c.URL
}

// Dataset is an extraction set on disk: dir/ground-truth.json and the
// gzipped pages it names.
type Dataset struct {
	Dir   string
	Cases []Case
}

// Load reads the ground truth of the set in dir.
func Load(dir string) (*Dataset, error) {
	b, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("load extraction set: %w", err)
	}
	var cases []Case
	if err := json.Unmarshal(b, &cases); err != nil {
		return nil, fmt.Errorf("load extraction set: ground-truth.json: %w", err)
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
