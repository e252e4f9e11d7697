package parser

import "testing"

// TestBlogPostLifted checks that a Blog holding a single blogPost gives
// that post as the article, while a Blog listing several posts gives none.
func TestBlogPostLifted(t *testing.T) {
	for _, tc := range []struct {
		name, ld, want string
	}{
		{"single post in an array", `{"@type":"Blog","blogPost":[{"@type":"BlogPosting","headline":"H","datePublished":"2025-12-19T20:20:42Z"}]}`, "2025-12-19T20:20:42Z"},
		{"single post object", `{"@type":"Blog","blogPost":{"@type":"BlogPosting","headline":"H","datePublished":"2024-01-02"}}`, "2024-01-02"},
		{"blog index", `{"@type":"Blog","blogPost":[{"@type":"BlogPosting","headline":"A","datePublished":"2024-01-02"},{"@type":"BlogPosting","headline":"B","datePublished":"2024-01-01"}]}`, ""},
	} {
		d := parseJSONLD([]string{tc.ld})
		got := ""
		if d.Article != nil {
			got = d.Article.DatePublished
		}
		if got != tc.want {
			t.Errorf("%s: datePublished %q, want %q", tc.name, got, tc.want)
		}
	}
}
