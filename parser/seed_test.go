package parser

import (
	"os"
	"strings"
	"testing"
)

// seedText returns the reference page's text, split into its parts.
func seedText(t *testing.T) (story, readAlso, similar []string, rest string) {
	t.Helper()
	raw, err := os.ReadFile("../../shared/seed/reference-page.txt")
	if err != nil {
		raw, err = os.ReadFile("/work/shared/seed/reference-page.txt")
	}
	if err != nil {
		t.Skipf("reference page not available: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = normalizeSpace(strings.TrimPrefix(strings.TrimSpace(l), "•")); l != "" {
			lines = append(lines, l)
		}
	}
	at := func(prefix string, from int) int {
		for i := from; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], prefix) {
				return i
			}
		}
		t.Fatalf("reference page has no line %q", prefix)
		return 0
	}
	pub := at("تاريخ النشر", 0)
	src := at("المصدر: الحرة", pub)
	story = lines[pub+2 : src] // after the repeated headline
	ra := at("إقرأ أيضاً", src)
	follow := at("تابع قناتنا", ra)
	readAlso = lines[ra+2 : follow] // the story under its headline
	sim := at("مقالات مشابهة", follow)
	similar = lines[sim+1:]
	rest = strings.Join(lines[follow:sim], "\n")
	return story, readAlso, similar, rest
}

// TestSeedPage checks the reference page end to end, in UTF-8 and in
// windows-1256: the story, and none of what surrounds it, in the body;
// the labelled date rather than the display time; the credited source;
// exactly the ten "similar articles" as related links.
func TestSeedPage(t *testing.T) {
	story, readAlso, similar, rest := seedText(t)
	if len(similar) != 10 {
		t.Fatalf("reference page lists %d similar articles, want 10", len(similar))
	}
	for _, name := range []string{"seed.html", "seed-windows-1256.html"} {
		t.Run(name, func(t *testing.T) {
			art, links, err := Parse(loadPage(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if want := "بوتين يجتمع مع الأسد في موسكو"; art.Title != want {
				t.Errorf("title = %q, want %q", art.Title, want)
			}
			if !strings.HasPrefix(art.Published, "2024-07-25") {
				t.Errorf("published = %q, want 2024-07-25 (not the 2025-02-16 display time)", art.Published)
			}
			if art.Source != "الحرة" {
				t.Errorf("source = %q, want الحرة", art.Source)
			}
			if art.Language != "ar" || art.PageType != "article" {
				t.Errorf("language, page type = %q, %q, want ar, article", art.Language, art.PageType)
			}
			paras := strings.Split(art.Body, "\n\n")
			if paras[0] != story[0] {
				t.Errorf("body starts with %q, want the story's first paragraph %q", paras[0], story[0])
			}
			for _, p := range story {
				if !strings.Contains(art.Body, p) {
					t.Errorf("body lacks story paragraph %q", p)
				}
			}
			var unwanted []string
			unwanted = append(unwanted, readAlso...)
			unwanted = append(unwanted, strings.Split(rest, "\n")...)
			unwanted = append(unwanted, similar...)
			for _, u := range unwanted {
				if len([]rune(u)) >= 12 && strings.Contains(art.Body, truncateUTF8(u, 120)) {
					t.Errorf("body holds boilerplate %q", truncateUTF8(u, 80))
				}
			}
			for _, s := range []string{"2025-02-16", "تعليق", "المشاهدات", "حقوق النشر", "إقرأ أيضاً"} {
				if strings.Contains(art.Body, s) {
					t.Errorf("body holds %q", s)
				}
			}
			if len(art.Related) != len(similar) {
				t.Fatalf("related has %d links, want %d: %v", len(art.Related), len(similar), art.Related)
			}
			for i, l := range art.Related {
				if l.Title != similar[i] {
					t.Errorf("related[%d].title = %q, want %q", i, l.Title, similar[i])
				}
				if !strings.HasPrefix(l.URL, "https://www.saraynews.com/article/") {
					t.Errorf("related[%d].url = %q", i, l.URL)
				}
			}
			// Related come first among the links, ticker headlines follow.
			if len(links) <= len(similar) || links[0] != art.Related[0] {
				t.Errorf("links = %v, want the related links first, then the ticker", links)
			}
		})
	}
}
