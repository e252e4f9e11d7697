package parser

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// TestParseRobust feeds Parse what the web also serves. Each page must
// give an error or an article, quickly, and never panic.
func TestParseRobust(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	garbage := make([]byte, 64<<10)
	rnd.Read(garbage)
	tests := []struct {
		name        string
		body        string
		contentType string
		wantErr     bool
	}{
		{"empty", "", "", true},
		{"white space", " \n\t ", "text/html", true},
		{"binary garbage", string(garbage), "", true},
		{"image", "\x89PNG\r\n\x1a\n", "image/png", true},
		{"nul bytes", strings.Repeat("\x00", 4096), "text/html", true},
		{"deep nesting", strings.Repeat("<div>", 100000) + "text", "", true},
		{"deep inline nesting", strings.Repeat("<a><i>", 20000) + "text", "", true},
		{"unclosed everything", "<html><body><p>one<p>two<table><tr><td>three<div>four", "", false},
		{"invalid utf-8", "<p>caf\xe9 \xff\xfe broken \xc3</p>", "text/html; charset=utf-8", false},
		{"only a title", "<title>Just a title</title>", "", false},
		{"bad json-ld", `<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><p>x</p>`, "", false},
		{"hostile json-ld", `<script type="application/ld+json">` + strings.Repeat("[", 20000) + `</script><p>x</p>`, "", false},
		{"many links", strings.Repeat(`<a href="/article/123456">headline of some story</a>`, 20000), "", false},
		{"huge text", "<p>" + strings.Repeat("word ", 3<<20/5) + "</p>", "", false}, // more than the extractor takes
		{"broken base", `<base href="javascript:alert(1)"><a href="/x-y-z-w">a</a>`, "", false},
		{"odd charset", `<meta charset="utf-7"><p>+AGEAYgBj-</p>`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			art, _, err := Parse(trawler.Page{URL: "https://example.com/p", Body: []byte(tt.body), ContentType: tt.contentType})
			// A guard against hangs and blow-ups, not a speed check (that is
			// BenchmarkParse): many links takes 0.7 s alone, 11 s under
			// -race with every package's tests running on 2 cores.
			if d := time.Since(start); d > time.Minute {
				t.Errorf("took %v", d)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrUnparsable) {
					t.Errorf("error %v does not wrap ErrUnparsable", err)
				}
				return
			}
			if art.Authors == nil || art.Tags == nil || art.Related == nil || len(art.ContentHash) != 64 {
				t.Errorf("article has nil lists or no hash: %+v", art)
			}
		})
	}
}

func TestParseCopiesPageFields(t *testing.T) {
	p := loadPage(t, "en-og-only.html")
	p.URL, p.FinalURL = "https://blog.fieldnotes.example.org/p/1", ""
	art, _, err := Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	if art.URL != p.URL || !art.FetchedAt.Equal(p.FetchedAt) || art.Depth != p.Depth {
		t.Errorf("url, fetched_at, depth = %s, %v, %d", art.URL, art.FetchedAt, art.Depth)
	}
}

// TestParseConcurrent runs Parse on every page at once, for the race
// detector: Parse shares no state between calls.
func TestParseConcurrent(t *testing.T) {
	names := testPages(t)
	errs := make(chan error, 2*len(names))
	for range 2 {
		for _, n := range names {
			p := loadPage(t, n)
			go func() {
				_, _, err := Parse(p)
				errs <- err
			}()
		}
	}
	for range 2 * len(names) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
