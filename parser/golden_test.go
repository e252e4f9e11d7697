package parser

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the parser's output")

// fetchedAt is the fetch time of every fixture page.
var fetchedAt = time.Date(2025, 2, 16, 21, 15, 0, 0, time.UTC)

// fixtures gives each testdata page the URL and Content-Type it is served
// with; pages not listed are served as UTF-8 HTML from example.com.
var fixtures = map[string]struct{ url, contentType string }{
	"seed.html":              {"https://www.saraynews.com/article/812345", "text/html; charset=utf-8"},
	"seed-windows-1256.html": {"https://www.saraynews.com/article/812345", "text/html"},
	"ar-iso-8859-6.html":     {"https://www.example-news.jo/news/2023/03/15/water-agreement", "text/html; charset=iso-8859-6"},
	"en-jsonld-graph.html":   {"https://www.harborview-times.com/local/2024/07/25/city-council-approves-bike-lanes/", "text/html; charset=utf-8"},
	"en-og-only.html":        {"https://blog.fieldnotes.example.org/posts/sourdough-at-altitude", "text/html"},
	"hub-section.html":       {"https://www.harborview-times.com/local/", "text/html; charset=utf-8"},
	"hub-home-ar.html":       {"https://www.saraynews.com/", "text/html; charset=utf-8"},
	// Real pages of the shared extraction set (../shared/bench/extraction),
	// five from each source, under their ids.
	"real-sh_3cb22bfabed8de71.html":  {"https://www.slashgear.com/2020-audi-e-tron-sportback-revealed-as-electric-4-door-coupe-19600369/", "text/html"},
	"real-sh_23aaecd14171f96c.html":  {"http://comoeducarseusfilhos.com.br/blog/uma-palinha-das-brincadeiras-musicais-do-grupo-serelepe/", "text/html"},
	"real-sh_11ea381ad92b5448.html":  {"http://www.autoracing.com.br/classificacao-nascar/", "text/html"},
	"real-sh_fde930b01859de83.html":  {"https://www.businessinsider.com/10-things-in-tech-you-need-to-know-today-november-19-2019-11", "text/html"},
	"real-sh_dfd43bc0d46e7aaa.html":  {"https://my6sense.com/2018/02/15/bi-research-shows-mix-native-ad-units-generate-highest-engagement-metrics-marketers-greatest-revenue-publishers/", "text/html"},
	"real-rd_v8-blog.html":           {"http://fakehost/test/page.html", "text/html"},
	"real-rd_heise.html":             {"http://fakehost/test/page.html", "text/html"},
	"real-rd_google-sre-book-1.html": {"http://fakehost/test/page.html", "text/html"},
	"real-rd_tmz-1.html":             {"http://fakehost/test/page.html", "text/html"},
	"real-rd_wapo-2.html":            {"http://fakehost/test/page.html", "text/html"},
	"real-wcxb_0490.html":            {"https://blog.ravven.dev/blog/why-rust-for-embedded-systems", "text/html"},
	"real-wcxb_2740.html":            {"https://appaddict.app/post/digital-photo-frame-app-brings-make-old-hardware-useful-again", "text/html"},
	"real-wcxb_0184.html":            {"https://www.yeti.co/blog/affordable-app-development-for-small-businesses", "text/html"},
	"real-wcxb_4326.html":            {"https://theautollama.com/how-to-replace-brake-pads-from-an-ase-certified-mechanic/", "text/html"},
	"real-wcxb_0064.html":            {"https://www.fda.gov/drugs/postmarket-drug-safety-information-patients-and-providers/fdas-concerns-unapproved-glp-1-drugs-used-weight-loss", "text/html"},
}

// loadPage reads a testdata page as the crawler would hand it over.
func loadPage(t testing.TB, name string) trawler.Page {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, ok := fixtures[name]
	if !ok {
		f.url, f.contentType = "https://example.com/"+strings.TrimSuffix(name, ".html"), "text/html"
	}
	return trawler.Page{
		URL: f.url, FinalURL: f.url, Status: 200, ContentType: f.contentType,
		FetchedAt: fetchedAt, Depth: 1, Body: body,
	}
}

// goldenResult is what a golden file holds.
type goldenResult struct {
	Article trawler.Article `json:"article"`
	Links   []trawler.Link  `json:"links"`
}

func testPages(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no testdata pages: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

func TestGolden(t *testing.T) {
	for _, name := range testPages(t) {
		t.Run(name, func(t *testing.T) {
			art, links, err := Parse(loadPage(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(goldenResult{art, links}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", strings.TrimSuffix(name, ".html")+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./parser -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
