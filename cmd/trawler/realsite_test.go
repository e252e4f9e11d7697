package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/eval"
	"github.com/trawler/trawler/internal/realsite"
	"github.com/trawler/trawler/internal/urlnorm"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// realSiteHangGuard bounds the crawl of the real-page site: it takes
// seconds with --host-delay 0, so reaching this means it hung.
const realSiteHangGuard = 60 * time.Second

// realSiteMinF1 is the body F1 the crawl's articles must reach against
// their ground truth (the bar on unseen sites is 0.93).
const realSiteMinF1 = 0.90

// A crawl of a site of real article pages (internal/realsite), linked
// mostly through related blocks in real-world markups, with aliases,
// tracking parameters and robots.txt, writes each article exactly once, to
// JSONL and to PostgreSQL, with its aliases, fetches nothing it must not,
// and extracts bodies that score against the ground truth.
func TestRunCrawlsRealSite(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, err := realsite.Build(realsite.Options{})
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("no ground-truth folder at %s: %v", realsite.DefaultDir(), err)
	}
	if err != nil {
		t.Fatal(err)
	}
	srv := site.Start(t)
	pg := realSitePostgres(t)

	data := t.TempDir()
	out := filepath.Join(data, "articles.jsonl")
	arts := site.Articles()
	// Depth is fixed when a URL is first found, and a concurrent crawl may
	// find an article through a longer path than its shortest: allow any
	// path through the articles.
	args := []string{"run", "--seed", srv.URL + "/", "--data", data, "--exit-when-idle",
		"--allow-private", "--host-delay", "0", "--host-parallelism", "4", "--request-timeout", "5s",
		"--metrics-addr", "", "--sink", "jsonl:" + out}
	if pg != "" {
		args = append(args, "--sink", pg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), realSiteHangGuard)
	defer cancel()
	start := time.Now()
	stderr, err := runCmd(t, ctx, args...)
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("the crawl did not finish within %s (hang guard)\n%s", realSiteHangGuard, lastLines(stderr, 40))
	}
	if err != nil {
		t.Fatalf("run: %v\n%s", err, lastLines(stderr, 40))
	}
	reqs := site.Requests()
	total := 0
	kinds := map[string]int{}
	for _, r := range reqs {
		total += r.Count
		k := string(r.Route.Kind)
		if r.Route.Kind == realsite.KindAlias {
			k += " " + string(r.Route.Alias)
		}
		kinds[k]++
	}
	t.Logf("crawled %d real articles in %s: %d requests of %d addresses %v", len(arts), elapsed.Round(time.Millisecond), total, len(reqs), kinds)

	written, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	byKey := checkRealArticles(t, "jsonl", site, srv.URL, written)
	if pg != "" {
		rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer rcancel()
		c, err := sinktest.ReadPostgres(rctx, pg)
		if err != nil {
			t.Fatalf("read PostgreSQL: %v", err)
		}
		checkRealArticles(t, "postgres", site, srv.URL, c.Current)
	}
	checkRealRequests(t, site)
	checkRealBodies(t, arts, byKey)
}

// realSitePostgres returns the DSN of a new schema on the test PostgreSQL
// server, "" (and a log line) when none answers; TRAWLER_TEST_POSTGRES
// makes it required.
func realSitePostgres(t *testing.T) string {
	t.Helper()
	if _, required, err := sinktest.FindPostgres(); err != nil {
		if required {
			t.Fatal(err)
		}
		t.Logf("PostgreSQL part skipped: %v", err)
		return ""
	}
	return sinktest.PostgresSchema(t)
}

// realKey is the normalized URL an article of the site is written under:
// its main URL (the syndicated copies' foreign canonical is ignored).
func realKey(t *testing.T, origin, path string) string {
	t.Helper()
	k, err := urlnorm.Normalize(origin + path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// describe says what the site serves at rawURL, for failure messages.
func describe(site *realsite.Site, origin, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || !strings.HasPrefix(rawURL, origin+"/") {
		return "off site"
	}
	rt := site.Route(u.RequestURI())
	switch rt.Kind {
	case realsite.KindAlias:
		a := site.Articles()[rt.Article]
		return fmt.Sprintf("%s alias of %s (%s)", rt.Alias, a.Path, a.ID)
	case realsite.KindArticle:
		return "article " + site.Articles()[rt.Article].ID
	}
	return string(rt.Kind)
}

// checkRealArticles checks what one sink stored: every article of the site
// exactly once under its main URL, nothing else, and as aliases every
// other address it was fetched by. It returns the articles by index.
func checkRealArticles(t *testing.T, sinkName string, site *realsite.Site, origin string, written []trawler.Article) map[int]trawler.Article {
	t.Helper()
	arts := site.Articles()
	want := map[string]int{}
	for i, a := range arts {
		want[realKey(t, origin, a.Path)] = i
	}
	got := map[string][]trawler.Article{}
	for _, a := range written {
		got[a.Key()] = append(got[a.Key()], a)
	}
	byIndex := map[int]trawler.Article{}
	var unexpected []string
	for key, as := range got {
		i, ok := want[key]
		if !ok {
			unexpected = append(unexpected, fmt.Sprintf("%s (%s, page_type %q)", key, describe(site, origin, as[0].URL), as[0].PageType))
			continue
		}
		if len(as) > 1 {
			t.Errorf("%s: %s (%s) written %d times", sinkName, arts[i].Path, arts[i].ID, len(as))
		}
		if as[0].PageType != trawler.PageArticle {
			t.Errorf("%s: %s written with page_type %q", sinkName, arts[i].Path, as[0].PageType)
		}
		byIndex[i] = as[0]
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Errorf("%s: written as an article but is none: %s", sinkName, u)
	}
	var missing []string
	for i, a := range arts {
		if _, ok := byIndex[i]; !ok {
			var in []string
			for _, l := range site.LinksTo(i) {
				in = append(in, fmt.Sprintf("from %s in %s %q as %q", l.From, l.Markup, l.Heading, l.Title))
			}
			missing = append(missing, fmt.Sprintf("%s (%s, %s, depth %d, fetched %d times), linked %s",
				a.Path, a.ID, a.Scheme, a.Depth, site.Hits(a.Path), strings.Join(in, "; ")))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d of %d articles missing:\n  %s", sinkName, len(missing), len(arts), strings.Join(missing, "\n  "))
	}

	// Aliases: the other addresses each article was fetched by, normalized.
	fetched := map[int]map[string]bool{}
	for _, r := range site.Requests() {
		if r.Route.Article < 0 {
			continue
		}
		if fetched[r.Route.Article] == nil {
			fetched[r.Route.Article] = map[string]bool{}
		}
		fetched[r.Route.Article][realKey(t, origin, r.URI)] = true
	}
	aliased := 0
	for i, a := range byIndex {
		key := realKey(t, origin, arts[i].Path)
		var wantAliases []string
		for u := range fetched[i] {
			if u != key {
				wantAliases = append(wantAliases, u)
			}
		}
		aliased += len(wantAliases)
		slices.Sort(wantAliases)
		gotAliases := slices.Compact(slices.Sorted(slices.Values(a.Aliases)))
		if !slices.Equal(gotAliases, wantAliases) {
			t.Errorf("%s: aliases of %s (%s) = %q, want %q (the other addresses it was fetched by)", sinkName, arts[i].Path, arts[i].ID, gotAliases, wantAliases)
		}
	}
	if aliased == 0 {
		t.Errorf("%s: no alias address of a written article was fetched: the alias checks checked nothing", sinkName)
	} else {
		t.Logf("%s: %d articles written, %d alias addresses checked", sinkName, len(byIndex), aliased)
	}
	return byIndex
}

// checkRealRequests checks the site's request log: nothing robots.txt
// disallows, no address with tracking parameters or a session id.
func checkRealRequests(t *testing.T, site *realsite.Site) {
	t.Helper()
	robots := 0
	for _, r := range site.Requests() {
		p, _, _ := strings.Cut(r.URI, "?")
		switch {
		case r.URI == "/robots.txt":
			robots += r.Count
		case realsite.IsDisallowed(p) || r.Route.Kind == realsite.KindHidden:
			t.Errorf("requested %s, which robots.txt disallows", r.URI)
		case r.Route.Tracking:
			t.Errorf("requested %s, with tracking parameters or a session id", r.URI)
		}
	}
	if robots == 0 {
		t.Error("robots.txt never requested")
	}
	for _, p := range site.Disallowed() {
		if n := site.Hits(p); n > 0 {
			t.Errorf("disallowed %s requested %d times", p, n)
		}
	}
}

// checkRealBodies scores each written article's body against its ground
// truth with the benchmark's metric, reports the F1 and requires
// realSiteMinF1.
func checkRealBodies(t *testing.T, arts []realsite.Article, byIndex map[int]trawler.Article) {
	t.Helper()
	if len(byIndex) == 0 {
		t.Error("no article written: no body to score")
		return
	}
	type page struct {
		id string
		f1 float64
	}
	var ms []eval.Match
	var pages []page
	mean := 0.0
	for i, a := range byIndex {
		m := eval.ScoreBody(arts[i].Body, a.Body)
		ms = append(ms, m)
		_, _, f1 := eval.PRF([]eval.Match{m})
		pages = append(pages, page{arts[i].ID, f1})
		mean += f1
	}
	mean /= float64(len(pages))
	p, r, f1 := eval.PRF(ms)
	slices.SortFunc(pages, func(a, b page) int {
		return cmp.Or(cmp.Compare(a.f1, b.f1), strings.Compare(a.id, b.id))
	})
	var worst []string
	for _, pg := range pages[:min(5, len(pages))] {
		worst = append(worst, fmt.Sprintf("%s %.3f", pg.id, pg.f1))
	}
	t.Logf("body F1 %.3f (precision %.3f, recall %.3f; mean of per-page F1 %.3f) over %d written articles; worst: %s",
		f1, p, r, mean, len(pages), strings.Join(worst, ", "))
	if f1 < realSiteMinF1 {
		t.Errorf("body F1 %.3f, want at least %.2f", f1, realSiteMinF1)
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
