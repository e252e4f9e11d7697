package urlnorm

import (
	"errors"
	"net/url"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP://Example.COM/a/b", "http://example.com/a/b"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com:80/x", "http://example.com/x"},
		{"https://example.com:443/x", "https://example.com/x"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"http://example.com/a/b/", "http://example.com/a/b/"},
		{"http://example.com/a#frag", "http://example.com/a"},
		{"http://user:pw@example.com/a", "http://example.com/a"},
		{"http://example.com/?b=2&a=1", "http://example.com/?a=1&b=2"},
		{"http://example.com/?a=2&a=1", "http://example.com/?a=2&a=1"},
		{"http://example.com/p?utm_source=x&id=7&utm_medium=y&fbclid=z&gclid=q", "http://example.com/p?id=7"},
		{"http://example.com/p?utm_source=x", "http://example.com/p"},
		// Percent-escapes compare case-insensitively: one spelling.
		{"http://example.com/%d9%85%D8%b3?q=%d8%a3", "http://example.com/%D9%85%D8%B3?q=%D8%A3"},
		// Session ids are no part of a page's address.
		{"http://example.com/p?PHPSESSID=ab12&id=7", "http://example.com/p?id=7"},
		{"http://example.com/p;jsessionid=0A1B2C?x=1", "http://example.com/p?x=1"},
		{"http://example.com/a;JSESSIONID=0A1B/b", "http://example.com/a/b"},
		{"http://example.com/p?sid=9f8e7d6c5b4a&ASPSESSIONIDQSDT=X", "http://example.com/p"},
		{"http://example.com/story.php?sid=1234", "http://example.com/story.php?sid=1234"},
		{"http://example.com/p?_hsenc=x&icid=y&ocid=z&id=3", "http://example.com/p?id=3"},
		{"http://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1", "http://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1"},
		{"http://example.com/أخبار", "http://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1"},
		{"http://مثال.com/", "http://xn--mgbh0fb.com/"},
		{"http://[::1]:80/", "http://[::1]/"},
		{"http://[::1]:8080/", "http://[::1]:8080/"},
		{"http://127.0.0.1:8080/a?q=a%20b", "http://127.0.0.1:8080/a?q=a%20b"},
		{"  http://example.com/x  ", "http://example.com/x"},
		{"http://example.com./x", "http://example.com/x"},
		{"http://example.com/?x=1 &q=a b", "http://example.com/?q=a%20b&x=1%20"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err != nil {
			t.Errorf("Normalize(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Errorf("Normalize is not idempotent on %q: %q, %v", got, again, err)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	for _, in := range []string{"mailto:a@b.c", "javascript:void(0)", "ftp://example.com/", "/relative", "http:///nohost", "http://..", "http://a..b/", "http://.example.com/"} {
		if _, err := Normalize(in); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Normalize(%q) error = %v, want ErrUnsupported", in, err)
		}
	}
	if _, err := Normalize("http://exa mple.com/%zz"); err == nil {
		t.Error("Normalize accepted an unparsable URL")
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("http://example.com/news/2024/story.html?x=1")
	tests := []struct{ href, want string }{
		{"other.html", "http://example.com/news/2024/other.html"},
		{"../index.html", "http://example.com/news/index.html"},
		{"/a?utm_campaign=z", "http://example.com/a"},
		{"//cdn.example.org/x", "http://cdn.example.org/x"},
		{"#top", "http://example.com/news/2024/story.html?x=1"},
	}
	for _, tt := range tests {
		got, err := Resolve(base, tt.href)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.href, got, err, tt.want)
		}
	}
}

func TestRegisteredDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"www.example.com", "example.com"},
		{"news.bbc.co.uk", "bbc.co.uk"},
		{"Example.COM.", "example.com"},
		{"127.0.0.1", "127.0.0.1"},
		{"127.0.0.1:8080", "127.0.0.1"},
		{"[::1]:80", "::1"},
		{"localhost", "localhost"},
	}
	for _, tt := range tests {
		if got := RegisteredDomain(tt.in); got != tt.want {
			t.Errorf("RegisteredDomain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestInDomain(t *testing.T) {
	tests := []struct {
		host, domain string
		want         bool
	}{
		{"example.com", "example.com", true},
		{"www.example.com", "example.com", true},
		{"a.b.example.com:8080", "example.com", true},
		{"badexample.com", "example.com", false},
		{"example.com.evil.org", "example.com", false},
		{"127.0.0.1:4000", "127.0.0.1", true},
	}
	for _, tt := range tests {
		if got := InDomain(tt.host, tt.domain); got != tt.want {
			t.Errorf("InDomain(%q, %q) = %v, want %v", tt.host, tt.domain, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"http://example.com/a/../b?utm_source=1&b=2#x", "https://[::1]:443/", "http://مثال.com/أ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			return
		}
		again, err := Normalize(n)
		if err != nil {
			t.Fatalf("Normalize(%q) = %q, which does not normalize: %v", s, n, err)
		}
		if again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
	})
}
