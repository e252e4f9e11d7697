package parser

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, page, head, want string
	}{
		{"declared", "http://news.example.com/a?p=2", `<link rel="canonical" href="/a">`, "http://news.example.com/a"},
		{"other host of the same site", "http://m.example.com/a", `<link rel="canonical" href="https://www.example.com/a">`, "https://www.example.com/a"},
		{"og:url when no link", "http://example.com/amp/a", `<meta property="og:url" content="http://example.com/a">`, "http://example.com/a"},
		// A site cannot claim another site's article as its own copy, or
		// overwrite it: the canonical is the article's identity.
		{"another site", "http://copycat.test/a", `<link rel="canonical" href="http://example.com/a">`, ""},
		{"another port is another site", "http://127.0.0.1:8081/a", `<link rel="canonical" href="http://127.0.0.1:8080/a">`, ""},
		{"cross-site link, same-site og:url", "http://copycat.test/a", `<link rel="canonical" href="http://example.com/a"><meta property="og:url" content="http://copycat.test/a">`, "http://copycat.test/a"},
		{"home page from an article", "http://example.com/a/b", `<link rel="canonical" href="/">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, "<html><head>"+tt.head+"</head><body></body></html>")
			page := mustURL(t, tt.page)
			if got := canonicalURL(collectMeta(doc), page, page); got != tt.want {
				t.Errorf("canonicalURL = %q, want %q", got, tt.want)
			}
		})
	}
}
