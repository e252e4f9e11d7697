package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

const extractPage = `<!doctype html><html lang="en"><head><title>Harbour reopens | Example News</title>
<meta property="og:site_name" content="Example News"><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-07-25T10:00:00Z"></head><body>
<article><h1>Harbour reopens</h1>
<p class="dateline">Published: <time datetime="2024-07-25T10:00:00Z">25 July 2024</time></p>
<p>The harbour reopened on Thursday after repairs to the breakwater that took most of the spring, officials said, and ferries resumed their normal timetable.</p>
<p>Fishing crews, who had moored at the neighbouring port since March, began returning on Friday morning and unloaded the first catch at the old quay.</p>
<p>The works cost less than the council had budgeted, according to the harbour master, who thanked residents for their patience during the closure.</p>
<p>A second phase, to deepen the channel for larger vessels, is planned for next year and will be put to a public consultation in the autumn.</p>
<p>Local businesses said the closure had cut their trade by a third, and several cafés on the waterfront had shortened their opening hours.</p>
<p><a href="/harbour/ferries">Ferry timetables</a></p>
</article></body></html>`

// TestExtract drives trawler extract through run, one row per kind of
// input: every input that gives no article is named on stderr and prints
// nothing on stdout, the others are still extracted, and the command then
// exits 1.
func TestExtract(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	page := file("page.html", extractPage)
	empty := file("empty.html", " \n")
	png := file("image.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
	elf := file("page", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00")
	text := file("notes.txt", "Harbour reopens on Thursday.\nFerries resume their timetable. a < b\n")
	jsonFile := file("data.json", `{"title": "Harbour reopens", "body": "The harbour reopened"}`)
	rss := file("rss.xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>https://news.example.com/</link>
<item><title>Harbour reopens</title><link>https://news.example.com/harbour</link></item>
<item><title>Ferries</title><link>https://news.example.com/ferries</link></item></channel></rss>`)
	atomFeed := file("atom.xml", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><title>Harbour reopens</title><link href="https://news.example.com/harbour"/><id>1</id></entry></feed>`)
	sitemap := file("sitemap.xml", `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example.com/harbour</loc></url></urlset>`)
	missing := filepath.Join(dir, "missing.html")
	fileURL := "file://" + filepath.ToSlash(page)

	tests := []struct {
		name    string
		args    []string
		stdin   string
		urls    []string // the url of each record printed, in order
		fail    bool     // exit status 1
		stderrs []string // in the error output
	}{
		{"article", []string{page}, "", []string{fileURL}, false, nil},
		{"stdin has no address", []string{"-"}, extractPage, []string{""}, false, nil},
		{"stdin with --url", []string{"--url", "https://news.example.com/harbour", "-"}, extractPage,
			[]string{"https://news.example.com/harbour"}, false, nil},
		{"missing file", []string{missing}, "", nil, true, []string{"extract " + missing + ": open: no such file"}},
		{"directory", []string{dir}, "", nil, true, []string{"extract " + dir + ": read: is a directory"}},
		{"empty file", []string{empty}, "", nil, true, []string{"extract " + empty + ": empty input"}},
		{"empty stdin", []string{"-"}, "", nil, true, []string{"extract stdin: empty input"}},
		{"binary", []string{png}, "", nil, true, []string{"extract " + png + ": binary data (image/png), not HTML"}},
		{"executable", []string{elf}, "", nil, true, []string{"extract " + elf + ": binary data (application/octet-stream), not HTML"}},
		{"plain text", []string{text}, "", nil, true, []string{"extract " + text + ": no HTML element in it"}},
		{"json", []string{jsonFile}, "", nil, true, []string{"extract " + jsonFile + ": no HTML element in it"}},
		{"rss", []string{rss}, "", nil, true, []string{"extract " + rss + ": an RSS feed of 2 entries, not an article page: crawl it with trawler run --seed URL"}},
		{"atom", []string{atomFeed}, "", nil, true, []string{"extract " + atomFeed + ": an Atom feed of 1 entry, not an article page"}},
		{"sitemap", []string{sitemap}, "", nil, true, []string{"extract " + sitemap + ": a sitemap of 1 entry, not an article page"}},
		{"too large", []string{"--max-body-size", "1000", page}, "", nil, true,
			[]string{"extract " + page + ": page too large: " + strconv.Itoa(len(extractPage)) + " bytes, over the limit of 1000 (--max-body-size); nothing extracted"}},
		{"too large on stdin", []string{"--max-body-size", "1000", "-"}, extractPage, nil, true,
			[]string{"extract stdin: page too large: over the limit of 1000 bytes"}},
		{"bad inputs do not stop the others", []string{empty, page, missing, page}, "", []string{fileURL, fileURL}, true,
			[]string{"extract " + empty + ": empty input", "extract " + missing + ": open", "2 of 4 inputs gave no article"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"extract"}, tt.args...), env(), strings.NewReader(tt.stdin), &stdout, &stderr)
			if err != nil {
				stderr.WriteString("trawler: " + err.Error()) // as main prints it
			}
			if tt.fail != (err != nil) || (err != nil && exitCode(err) != 1) {
				t.Errorf("err = %v (exit %d), want failure %v with exit 1", err, exitCode(err), tt.fail)
			}
			for _, want := range tt.stderrs {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if !tt.fail && stderr.Len() > 0 {
				t.Errorf("stderr on success: %s", stderr.String())
			}
			var urls []string
			for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				if line == "" {
					continue
				}
				var art trawler.Article
				if err := json.Unmarshal([]byte(line), &art); err != nil {
					t.Fatalf("stdout line %q: %v", line, err)
				}
				if art.Title != "Harbour reopens" || art.PageType != trawler.PageArticle || !strings.HasPrefix(art.Published, "2024-07-25") ||
					!strings.HasPrefix(art.Body, "The harbour reopened") {
					t.Errorf("extract gave %+v", art)
				}
				urls = append(urls, art.URL)
			}
			if strings.Join(urls, " ") != strings.Join(tt.urls, " ") || len(urls) != len(tt.urls) {
				t.Errorf("records for %q, want %q", urls, tt.urls)
			}
		})
	}
}
