package frontier

import (
	"net/url"
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
