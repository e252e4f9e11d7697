package faults

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/deadletter"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

// outcome is what a case ends with, as reported in docs/reliability.md.
type outcome struct {
	expected           int
	jsonlLines         int // lines in the JSONL files
	jsonlMissing       int // expected articles with no line
	jsonlExtra         int // lines beyond one per expected article
	pgRows, pgVersions int // rows of articles and article_versions (-1: no PostgreSQL)
	pgMissing, pgExtra int
	deadLetters        map[string]int // by stage
	fetches, refetched int            // requests to the site; pages requested more than once
	publishedArticles  uint64         // articles stream sequence: parser publishes, duplicates dropped
	publishedPages     uint64
}

func (o outcome) String() string {
	pg := "PostgreSQL not checked"
	if o.pgRows >= 0 {
		pg = fmt.Sprintf("PostgreSQL %d rows, %d versions (%d missing, %d extra)", o.pgRows, o.pgVersions, o.pgMissing, o.pgExtra)
	}
	return fmt.Sprintf("expected %d articles; JSONL %d lines (%d missing, %d extra); %s; dead letters %v; "+
		"site requests %d (%d pages requested more than once); pages stream %d, articles stream %d",
		o.expected, o.jsonlLines, o.jsonlMissing, o.jsonlExtra, pg, o.deadLetters,
		o.fetches, o.refetched, o.publishedPages, o.publishedArticles)
}

// paths maps each article to the URL path of its key and counts them.
func paths(t *testing.T, arts []trawler.Article) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, a := range arts {
		u, err := url.Parse(a.Key())
		if err != nil {
			t.Errorf("article with a bad key %q", a.Key())
			continue
		}
		out[u.Path]++
	}
	return out
}

// compare counts the expected articles missing from got and the articles
// beyond one per expected path, reporting each.
func compare(t *testing.T, what string, want []string, got map[string]int) (missing, extra int) {
	t.Helper()
	wanted := map[string]bool{}
	for _, p := range want {
		wanted[p] = true
		switch n := got[p]; {
		case n == 0:
			missing++
			t.Errorf("%s: missing %s", what, p)
		case n > 1:
			extra += n - 1
			t.Errorf("%s: %s stored %d times", what, p, n)
		}
	}
	for p, n := range got {
		if !wanted[p] {
			extra += n
			t.Errorf("%s: unexpected article %s", what, p)
		}
	}
	return missing, extra
}

// check compares both sinks with the site's expected articles (each once)
// and gathers the case's figures.
func (e *env) check(name string) outcome {
	e.t.Helper()
	var want []string
	for _, a := range e.site.Articles() {
		want = append(want, a.Path)
	}
	o := outcome{expected: len(want), pgRows: -1, deadLetters: map[string]int{}}
	arts, err := sink.ReadJSONL(e.jsonlDir)
	if err != nil {
		e.t.Errorf("read JSONL: %v", err)
	}
	o.jsonlLines = len(arts)
	o.jsonlMissing, o.jsonlExtra = compare(e.t, "JSONL", want, paths(e.t, arts))
	if e.pgDSN != "" {
		c, err := sinktest.ReadPostgres(context.Background(), e.pgDSN)
		if err != nil {
			e.t.Fatalf("read PostgreSQL: %v", err)
		}
		o.pgRows, o.pgVersions = len(c.Current), len(c.Versions)
		o.pgMissing, o.pgExtra = compare(e.t, "PostgreSQL articles", want, paths(e.t, c.Current))
		vm, ve := compare(e.t, "PostgreSQL article_versions", want, paths(e.t, c.Versions))
		o.pgMissing, o.pgExtra = o.pgMissing+vm, o.pgExtra+ve
	}
	err = deadletter.Each(context.Background(), e.js, e.names, "", func(l deadletter.Letter) error {
		o.deadLetters[l.Stage]++
		return nil
	})
	if err != nil {
		e.t.Errorf("dead letters: %v", err)
	}
	for p, n := range e.site.HitCounts() {
		o.fetches += n
		if n > 1 && p != "/robots.txt" {
			o.refetched++
		}
	}
	o.publishedPages = e.lastSeq(e.names.PagesStream())
	o.publishedArticles = e.lastSeq(e.names.ArticlesStream())
	e.t.Logf("%s: %s; %v in all", name, o, time.Since(e.start).Round(time.Second))
	return o
}
