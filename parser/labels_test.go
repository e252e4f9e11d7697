package parser

import (
	"slices"
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

func TestIsDateline(t *testing.T) {
	authors := []string{"Jane Doe", "سامر خليل"}
	tests := []struct {
		line string
		want bool
	}{
		// Labels whose date the extractor removed, in several languages.
		{"Published:", true},
		{"Updated:", true},
		{"Last updated on", true},
		{"PUBLISHED", true},
		{"Posted On", true},
		{"By", true},
		{"Written by", true},
		{"Published: | Updated:", true},
		{"Publié le", true},
		{"Veröffentlicht am:", true},
		{"Actualizado el", true},
		{"تاريخ النشر:", true},
		{"آخر تحديث:", true},
		{"كتب:", true},
		{"بقلم", true},
		// Labels with their date, clock or reading time.
		{"Published: 25 July 2024", true},
		{"Updated: Sep 19", true},
		{"Jun 9", true},
		{"Updated at 1:23 p.m.", true},
		{"Updated 2 hours ago", true},
		{"December 15, 2025 // 8 min read", true},
		{"8 min read", true},
		{"Estimated reading time:", true},
		{"Tempo de leitura: 1 minuto", true},
		{"Thursday, 25th July 2024 10:43 GMT", true},
		{"تاريخ النشر: ١٥ آذار ٢٠٢٣ الساعة 10:43", true},
		{"نشر في: الخميس 25 تموز 2024", true},
		// The page's authors after a label.
		{"By Jane Doe", true},
		{"5:45 AM PST 11/19/2019 by Jane Doe", true},
		{"كتب: سامر خليل", true},
		// Not datelines: text, names alone, numbers alone, other labels.
		{"By John Smith", false},
		{"Jane Doe", false},
		{"By the numbers", false},
		{"102", false},
		{"2019 American Music Awards", false},
		{"Source: Northern Wire", false},
		{"المصدر: الحرة", false},
		{"Table of Contents", false},
		{"The vote was published on Monday, 25 July 2024, after a long debate in the chamber.", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isDateline(tt.line, authors); got != tt.want {
			t.Errorf("isDateline(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// TestDropDateLines: the head of a body loses its dateline labels, the
// text keeps its dates.
func TestDropDateLines(t *testing.T) {
	text := "The harbour reopened on Thursday after repairs to the breakwater, officials said."
	tests := []struct {
		name  string
		paras []string
		want  []string
	}{
		{"label left by the date", []string{"Published:", text}, []string{text}},
		{"Arabic labels", []string{"كتب:", "تاريخ النشر:", "آخر تحديث:", text}, []string{text}},
		{"reading time and date", []string{"Jun 9", "5 min read", text}, []string{text}},
		{"a date in the text stays", []string{"Published on 25 July 2024, the report found that ferries ran late on most days of the spring.", text},
			[]string{"Published on 25 July 2024, the report found that ferries ran late on most days of the spring.", text}},
		{"only at the head", []string{text, text, text, text, "Updated:"}, []string{text, text, text, text, "Updated:"}},
	}
	for _, tt := range tests {
		if got := dropDateLines(tt.paras); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDropBylines(t *testing.T) {
	text := "The harbour reopened on Thursday after repairs to the breakwater, officials said."
	got := dropBylines([]string{"By Jane Doe and Ann Lee", "Staff Reports", text}, []string{"Jane Doe", "Ann Lee"})
	if want := []string{"Staff Reports", text}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := dropBylines([]string{"By Jane Doe", text}, nil); len(got) != 2 {
		t.Errorf("without known authors, a byline is kept: %q", got)
	}
}

// TestTrimTailDatelines: a closing "Last updated" line goes with the other
// template lines.
func TestTrimTailDatelines(t *testing.T) {
	text := "The harbour reopened on Thursday after repairs to the breakwater, officials said."
	for _, last := range []string{"Last updated: November 13, 2025", "Written by Jane Doe", "آخر تحديث: 13 نوفمبر 2025"} {
		if got := trimTail([]string{text, text, last}, nil, []string{"Jane Doe"}); len(got) != 2 {
			t.Errorf("%q: kept %q", last, got)
		}
	}
}

// TestParseDropsDatelineLabels: the labels of a dateline, whose <time> the
// extractor deletes, do not open the body (they did on every page of the
// fixture site: "Published:", "تاريخ النشر:").
func TestParseDropsDatelineLabels(t *testing.T) {
	paras := func(first string) string {
		var b strings.Builder
		for i := range 4 {
			b.WriteString("<p>" + first + strings.Repeat(" and the story goes on at length", 6) + " " + string(rune('a'+i)) + ".</p>\n")
		}
		return b.String()
	}
	tests := []struct {
		name, lang, byline, dateline, first string
	}{
		{"English", "en", `<p class="byline">By <span class="author"></span></p>`,
			`<p class="dateline">Published: <time datetime="2024-07-25T09:30:00Z">25 July 2024</time> · Updated: <time datetime="2024-07-26T09:30:00Z">26 July 2024</time></p>`,
			"Residents began returning on Thursday"},
		{"Arabic", "ar", `<p class="byline">كتب: <span class="author"></span></p>`,
			`<p class="dateline">تاريخ النشر: <time datetime="2024-07-25T09:30:00Z">25 تموز 2024</time></p><p>آخر تحديث: <time datetime="2024-07-26T09:30:00Z">26 تموز 2024</time></p>`,
			"ذكرت الخدمة الصحفية أن الرئيس اجتمع مع نظيره"},
		{"French", "fr", `<p class="byline">Par</p>`,
			`<p class="dateline">Publié le <time datetime="2024-07-25T09:30:00Z">25 juillet 2024</time></p>`,
			"Les habitants sont revenus jeudi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html lang="` + tt.lang + `"><head><title>Story</title><meta property="og:type" content="article"></head><body><article><h1>Story</h1>` +
				tt.byline + tt.dateline + paras(tt.first) + `</article></body></html>`
			art, _, err := Parse(trawler.Page{URL: "https://news.example.com/2024/07/25/story", Body: []byte(page)})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(art.Body, tt.first) {
				t.Errorf("body opens with %q", truncateUTF8(art.Body, 80))
			}
			if !strings.HasPrefix(art.Published, "2024-07-25") {
				t.Errorf("published = %q", art.Published)
			}
		})
	}
}
