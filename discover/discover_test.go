package discover

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	date := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.UTC()
	}
	for _, tc := range []struct {
		file string
		kind Kind
		want []Entry
	}{
		{"rss.xml", KindRSS, []Entry{
			{URL: "https://herald.example/2024/ferry.html", Title: "Ferry timetable changes", Published: date("2024-09-10T08:30:00+02:00")},
			{URL: "https://herald.example/2024/relative.html", Title: "Relative link"},
			{URL: "https://herald.example/2024/guid.html", Title: "Only a guid"},
		}},
		{"atom.xml", KindAtom, []Entry{
			{URL: "https://herald.example/2024/breakwater.html", Title: "Breakwater repaired", Published: date("2024-09-11T06:00:00Z")},
			{URL: "https://herald.example/feeds/2024/norel.html", Title: "No rel", Published: date("2024-09-10T06:00:00+03:00")},
		}},
		{"news-sitemap.xml", KindSitemap, []Entry{
			{URL: "https://herald.example/2024/tunnel.html", Title: "Tunnel contract signed", Published: date("2024-09-12T10:00:00+02:00")},
			{URL: "https://herald.example/about.html", Published: date("2023-01-02T00:00:00Z")},
		}},
		{"sitemap-index.xml", KindSitemapIndex, []Entry{
			{URL: "https://herald.example/sitemap-news.xml", Published: date("2024-09-12T00:00:00Z")},
			{URL: "https://herald.example/sitemap-2024.xml"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := read(t, tc.file)
			if !Sniff(body) {
				t.Error("Sniff = false")
			}
			doc, err := Parse("https://herald.example/feeds/x.xml", body)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Kind != tc.kind {
				t.Errorf("kind %s, want %s", doc.Kind, tc.kind)
			}
			if !slices.EqualFunc(doc.Entries, tc.want, func(a, b Entry) bool {
				return a.URL == b.URL && a.Title == b.Title && a.Published.Equal(b.Published)
			}) {
				t.Errorf("entries:\n got %+v\nwant %+v", doc.Entries, tc.want)
			}
		})
	}
}

func TestParseRefusesOtherDocuments(t *testing.T) {
	for _, body := range []string{
		"<!DOCTYPE html><html><body>hi</body></html>",
		`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`,
		"plain text",
		"",
	} {
		if Sniff([]byte(body)) {
			t.Errorf("Sniff(%q) = true", body)
		}
		if _, err := Parse("https://x.example/", []byte(body)); err == nil {
			t.Errorf("Parse(%q) accepted", body)
		}
	}
}

func TestParseLegacyCharset(t *testing.T) {
	body := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Caf\xe9</title><link>http://x.example/cafe</link></item></channel></rss>")
	doc, err := Parse("http://x.example/rss", body)
	if err != nil || len(doc.Entries) != 1 || doc.Entries[0].Title != "Café" {
		t.Fatalf("Parse = %+v, %v", doc, err)
	}
}

func TestRobotsSitemaps(t *testing.T) {
	got := RobotsSitemaps([]byte("User-agent: *\nDisallow: /private/\nSitemap: https://herald.example/sitemap.xml\n" +
		"sitemap:https://herald.example/news.xml # news\nSitemap: /relative.xml\nSITEMAP: https://herald.example/sitemap.xml\n"))
	want := []string{"https://herald.example/sitemap.xml", "https://herald.example/news.xml"}
	if !slices.Equal(got, want) {
		t.Errorf("RobotsSitemaps = %v, want %v", got, want)
	}
}

func TestFeedLinks(t *testing.T) {
	page := `<!DOCTYPE html><html><head><base href="https://herald.example/en/">
<link rel="alternate" type="application/rss+xml" title="News" href="rss.xml">
<link rel="Alternate" type="application/atom+xml" href="https://herald.example/atom.xml">
<link rel="alternate" hreflang="ar" href="https://herald.example/ar/">
<link rel="stylesheet" href="s.css"></head>
<body><link rel="alternate" type="application/rss+xml" href="/in-body.xml"></body></html>`
	got := FeedLinks("https://herald.example/", []byte(page))
	want := []string{"https://herald.example/en/rss.xml", "https://herald.example/atom.xml"}
	if !slices.Equal(got, want) {
		t.Errorf("FeedLinks = %v, want %v", got, want)
	}
}
