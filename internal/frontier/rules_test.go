package frontier

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRules(t *testing.T) {
	r, err := CompileRules([]string{`/(news|world)/`}, []string{`/world/sport/`, `\.pdf$`})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	r.Now = func() time.Time { return now }
	for link, want := range map[string]string{
		"https://h.example/news/2026/11/ferry.html":                 "",
		"https://h.example/world/2024/07/quotas.html":               "",
		"https://h.example/world/sport/cup.html":                    RuleExcluded,
		"https://h.example/news/report.pdf":                         RuleExcluded,
		"https://h.example/about.html":                              RuleNotIncluded,
		"https://h.example/news/a.html?PHPSESSID=abc":               TrapSession,
		"https://h.example/news/a.html;jsessionid=abc":              TrapSession,
		"https://h.example/news/list?a=1&b=2&c=3&d=4&e=5&f=6&g=7":   TrapQuery,
		"https://h.example/news/a/b/a/b/a/b/":                       TrapPath,
		"https://h.example/news/calendar/2026/12/":                  TrapCalendar,
		"https://h.example/news/events?month=11":                    TrapCalendar,
		"https://h.example/news/archive?date=2026-11-01":            TrapCalendar,
		"https://h.example/news/2031/01/01/future.html":             TrapCalendar,
		"https://h.example/news/2027/01/next-year-preview.html":     "",
		"https://h.example/news/events-in-2026-reviewed.html":       "",
		"https://h.example/news/12345/story-20261128.html":          "",
		"https://h.example/news/story.html?id=123456789&page=2&p=3": "",
	} {
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Check(link, u); got != want {
			t.Errorf("%s: %q, want %q", link, got, want)
		}
	}
	if _, err := CompileRules([]string{"("}, nil); err == nil {
		t.Error("a bad pattern compiles")
	}
}

func TestTemplate(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"http://h.example/trap/12-13", "http://h.example/trap/7-8", true},
		{"http://h.example/article/98765", "http://h.example/article/4", true},
		{"http://h.example/article?id=98765", "http://h.example/article?id=4", true},
		{"http://h.example/news/2024/05/12/12345-some-slug.html", "http://h.example/news/2024/05/13/12346-other-slug.html", false},
		{"http://h.example/article/1", "http://other.example/article/1", false},
		{"http://h.example/", "http://h.example/article/1", false},
	} {
		if got := Template(mustURL(t, tt.a)) == Template(mustURL(t, tt.b)); got != tt.same {
			t.Errorf("Template(%s) == Template(%s): %v, want %v (%q, %q)", tt.a, tt.b, got, tt.same,
				Template(mustURL(t, tt.a)), Template(mustURL(t, tt.b)))
		}
	}
}

// crawlGraph follows links breadth first from root as the parse stage does:
// each URL gets the depth and template run of the first page that links it,
// and Rules.Chain decides. It returns the URLs followed.
func crawlGraph(t *testing.T, r Rules, root string, links func(string) []string, maxDepth int) map[string]bool {
	t.Helper()
	type item struct {
		url        string
		depth, run int
	}
	seen := map[string]bool{root: true}
	queue := []item{{root, 0, 0}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if it.depth == maxDepth {
			continue
		}
		from := mustURL(t, it.url)
		for _, l := range links(it.url) {
			run, reason := r.Chain(from, it.run, mustURL(t, l))
			if reason != "" || seen[l] {
				continue
			}
			seen[l] = true
			queue = append(queue, item{l, it.depth + 1, run})
		}
	}
	return seen
}

// The trap of generated ids (two new /trap/N-M links a page, without end)
// is followed 3 links deep, while a news site's id-in-path articles, all
// linked from hubs or from an article a hub links, are all followed,
// however many.
func TestChainCatchesIDTrapsNotNewsSites(t *testing.T) {
	const host = "http://h.example"
	const articles = 500
	links := func(u string) []string {
		path := strings.TrimPrefix(u, host)
		var out []string
		switch {
		case path == "/":
			out = append(out, host+"/trap/1-1", host+"/news/", host+"/section/2")
		case path == "/news/" || strings.HasPrefix(path, "/section/"):
			// Hubs: every article, under two id-in-path schemes.
			for i := range articles {
				out = append(out, fmt.Sprintf("%s/news/2024/05/12/%d-story-%c.html", host, 10000+i, 'a'+i%26),
					fmt.Sprintf("%s/article/%d", host, 90000+i))
			}
		case strings.HasPrefix(path, "/article/"):
			// Related articles, and one reached only from here, three
			// more deep.
			var n int
			fmt.Sscanf(path, "/article/%d", &n)
			out = append(out, fmt.Sprintf("%s/article/%d", host, n+1), fmt.Sprintf("%s/article/%d", host, n+1000))
		case strings.HasPrefix(path, "/trap/"):
			var n, m int
			fmt.Sscanf(path, "/trap/%d-%d", &n, &m)
			out = append(out, fmt.Sprintf("%s/trap/%d-%d", host, n+1, 2*m), fmt.Sprintf("%s/trap/%d-%d", host, n+1, 2*m+1))
		}
		return out
	}
	got := crawlGraph(t, Rules{}, host+"/", links, 16)
	trap := 0
	for u := range got {
		if strings.Contains(u, "/trap/") {
			trap++
		}
	}
	// The way in, then 2, 4 and 8 pages a run of 1, 2 and 3 away.
	if want := 1 + 2 + 4 + 8; trap != want {
		t.Errorf("%d trap URLs followed, want %d", trap, want)
	}
	for i := range articles {
		for _, u := range []string{fmt.Sprintf("%s/news/2024/05/12/%d-story-%c.html", host, 10000+i, 'a'+i%26), fmt.Sprintf("%s/article/%d", host, 90000+i)} {
			if !got[u] {
				t.Errorf("article %s not followed", u)
			}
		}
		// Linked only from an article a hub links: a run of 1.
		if u := fmt.Sprintf("%s/article/%d", host, 91000+i); !got[u] {
			t.Errorf("related article %s not followed", u)
		}
	}
}
