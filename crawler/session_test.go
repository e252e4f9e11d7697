package crawler

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseHeader(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want HostHeader
		ok   bool
	}{
		{"X-Api-Key: abc", HostHeader{Name: "X-Api-Key", Value: "abc"}, true},
		{"accept-language:ar, en;q=0.5", HostHeader{Name: "Accept-Language", Value: "ar, en;q=0.5"}, true},
		{"News.Example.com=Authorization: Bearer t0k", HostHeader{Host: "news.example.com", Name: "Authorization", Value: "Bearer t0k"}, true},
		{"X-Empty:", HostHeader{Name: "X-Empty"}, true},
		{"Cookie: a=b", HostHeader{}, false},            // --cookie-file
		{"User-Agent: x", HostHeader{}, false},          // --user-agent, matched by robots.txt
		{"example.com=Host: evil", HostHeader{}, false}, // the connection's
		{"no colon", HostHeader{}, false},
		{"Two Words: x", HostHeader{}, false},
		{"=X-A: y", HostHeader{}, false},
		{"a/b=X-A: y", HostHeader{}, false},
		{"X-A: a\r\nX-B: b", HostHeader{}, false},
	} {
		got, err := ParseHeader(tt.in)
		if (err == nil) != tt.ok || tt.ok && got != tt.want {
			t.Errorf("ParseHeader(%q) = %+v, %v; want %+v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestLoadCookies(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	future, past := "1893456000", "1577836800" // 2030, 2020
	file := strings.Join([]string{
		"# Netscape HTTP Cookie File",
		"",
		".example.com\tTRUE\t/\tFALSE\t" + future + "\tsite\tall",
		"news.example.com\tFALSE\t/\tTRUE\t" + future + "\tsecure\tonly-https",
		"#HttpOnly_news.example.com\tFALSE\t/premium\tFALSE\t0\tsession\tabc",
		"example.com\tFALSE\t/\tFALSE\t" + past + "\told\tgone",
	}, "\r\n")
	jar, n, err := LoadCookies(strings.NewReader(file), now)
	if err != nil || n != 3 {
		t.Fatalf("LoadCookies = %d cookies, %v; want 3", n, err)
	}
	names := func(raw string) string {
		u, _ := url.Parse(raw)
		var s []string
		for _, c := range jar.Cookies(u) {
			s = append(s, c.Name+"="+c.Value)
		}
		slices.Sort(s)
		return strings.Join(s, " ")
	}
	for raw, want := range map[string]string{
		"http://example.com/":                "site=all",
		"http://www.example.com/a":           "site=all",
		"http://news.example.com/":           "site=all",
		"https://news.example.com/":          "secure=only-https site=all",
		"http://news.example.com/premium/x":  "session=abc site=all",
		"http://other.example.org/":          "",
		"http://sub.news.example.com/":       "site=all",
		"https://sub.news.example.com/":      "site=all", // host-only: not the subdomain
		"http://news.example.com/premiumish": "site=all",
	} {
		if got := names(raw); got != want {
			t.Errorf("cookies for %s = %q, want %q", raw, got, want)
		}
	}

	for _, bad := range []string{
		"example.com\tTRUE\t/\tFALSE\tnever\ta\tb", // expiry
		"example.com TRUE / FALSE 0 a b",           // spaces, not tabs
		"\tTRUE\t/\tFALSE\t0\ta\tb",                // no domain
	} {
		if _, _, err := LoadCookies(strings.NewReader(bad), now); err == nil {
			t.Errorf("LoadCookies(%q) accepted", bad)
		}
	}
}

// Headers go to their host only, the most specific winning, and cookies
// from the file go with the requests they match, a cookie the site sets
// in the chain winning over the file's.
func TestFetchHeadersAndCookies(t *testing.T) {
	t.Parallel()
	var got []http.Header
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "from-site", Path: "/"})
			http.Redirect(w, r, "/page", http.StatusFound)
			return
		}
		got = append(got, r.Header.Clone())
		page("text/html", htmlPage)(w, r)
	}))
	jar, _, err := LoadCookies(strings.NewReader("127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tfrom-file\n127.0.0.1\tFALSE\t/\tFALSE\t0\tlang\tar\n"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Cookies = jar
	for _, s := range []string{"127.0.0.1=X-Token: specific", "X-Token: general", "X-Lang: ar", "other.example=X-Secret: never"} {
		h, err := ParseHeader(s)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Headers = append(cfg.Headers, h)
	}
	f := newTestFetcher(t, cfg)
	for _, p := range []string{"/page", "/set"} {
		if _, err := fetch(t, f, srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d page requests, want 2", len(got))
	}
	for i, h := range got {
		if h.Get("X-Token") != "specific" || h.Get("X-Lang") != "ar" || h.Get("X-Secret") != "" {
			t.Errorf("request %d headers = %v", i, h)
		}
	}
	if c := got[0].Get("Cookie"); c != "session=from-file; lang=ar" && c != "lang=ar; session=from-file" {
		t.Errorf("first request's cookies = %q, want the file's", c)
	}
	if c := got[1].Get("Cookie"); !strings.Contains(c, "session=from-site") || strings.Contains(c, "from-file") || !strings.Contains(c, "lang=ar") {
		t.Errorf("after the site set one, cookies = %q, want the site's session and the file's lang", c)
	}
}
