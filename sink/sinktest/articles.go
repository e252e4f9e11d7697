package sinktest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/trawler/trawler"
)

// base is the fetch time of version 0 of every test article.
var base = time.Date(2024, 8, 1, 9, 30, 0, 123456789, time.UTC)

// Article returns version v of test article n: every field set, Arabic for
// odd n, a body (and so a content hash) of its own per version, fetched v
// hours after version 0. Its key is its canonical URL; the URL fetched
// carries a tracking parameter.
func Article(n, v int) trawler.Article {
	key := fmt.Sprintf("https://news.example/world/2024/08/story-%d.html", n)
	a := trawler.Article{
		URL:          key + "?utm_source=feed",
		CanonicalURL: key,
		Title:        fmt.Sprintf("Harbour story %d", n),
		Published:    "2024-08-01T10:00:00+03:00",
		Modified:     fmt.Sprintf("2024-08-01T%02d:15:00Z", 10+v%10),
		Authors:      []string{"Jane Doe", "Omar Haddad"},
		SiteName:     "The Nordhaven Herald",
		Source:       "Harbour Wire",
		Language:     "en",
		Description:  "Ferries, fares and the breakwater.",
		Body:         fmt.Sprintf("Story %d, version %d.\n\nThe harbour master said the work was finished on time.", n, v),
		Image:        "https://news.example/img/harbour.jpg",
		Tags:         []string{"harbour", "ferries"},
		Related:      []trawler.Link{{URL: "https://news.example/world/2024/08/other.html", Title: "Other story"}},
		PageType:     trawler.PageArticle,
		FetchedAt:    base.Add(time.Duration(v) * time.Hour),
		Depth:        2,
	}
	if n%2 == 1 {
		a.Title = fmt.Sprintf("بوتين يجتمع مع الأسد في موسكو %d", n)
		a.SiteName = "صحيفة الميناء"
		a.Source = "الحرة"
		a.Language = "ar"
		a.Authors = []string{"عمر حداد"}
		a.Body = fmt.Sprintf("الخبر %d، النسخة %d.\n\nقال مدير الميناء إن الأعمال انتهت في موعدها.", n, v)
		a.Tags = []string{"سوريا", "روسيا"}
	}
	a.ContentHash = hash(a.Body)
	return a
}

// Minimal returns an article with only what the parser always sets: no
// canonical URL (its key is its URL), no dates, nil lists.
func Minimal(n int) trawler.Article {
	body := fmt.Sprintf("A short item %d.", n)
	return trawler.Article{
		URL:         fmt.Sprintf("http://127.0.0.1:8080/brief/%d.html", n),
		Title:       fmt.Sprintf("Brief %d", n),
		Body:        body,
		PageType:    trawler.PageArticle,
		FetchedAt:   base,
		ContentHash: hash(body),
	}
}

// Alias returns the alias record saying that urls are other addresses of
// the article whose key is key, as the parse stage publishes it.
func Alias(key string, urls ...string) trawler.Article {
	return trawler.Article{
		URL:          urls[0],
		CanonicalURL: key,
		Aliases:      urls,
		PageType:     trawler.PageAlias,
		FetchedAt:    base,
		ContentHash:  hash("alias\n" + strings.Join(urls, "\n")),
	}
}

// newer reports whether a is a newer version than b of one article.
func newer(a, b trawler.Article) bool {
	switch {
	case !a.FetchedAt.Equal(b.FetchedAt):
		return a.FetchedAt.After(b.FetchedAt)
	case !a.ExtractedAt.Equal(b.ExtractedAt):
		return a.ExtractedAt.After(b.ExtractedAt)
	}
	return a.ContentHash > b.ContentHash
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Latest returns the current version of each key among versions: the
// greatest fetched_at, then the latest extraction (extracted_at), then the
// greatest content hash, as every sink decides. Readers of a log-like sink
// (JSONL) use it.
func Latest(versions []trawler.Article) []trawler.Article {
	cur := map[string]trawler.Article{}
	for _, a := range versions {
		c, ok := cur[a.Key()]
		if !ok || newer(a, c) {
			cur[a.Key()] = a
		}
	}
	out := make([]trawler.Article, 0, len(cur))
	for _, a := range cur {
		out = append(out, a)
	}
	sortArticles(out)
	return out
}

func sortArticles(arts []trawler.Article) {
	sort.Slice(arts, func(i, j int) bool {
		if arts[i].Key() != arts[j].Key() {
			return arts[i].Key() < arts[j].Key()
		}
		return arts[i].ContentHash < arts[j].ContentHash
	})
}

// diff describes how got differs from want, field by field, or returns ""
// when a sink stored want faithfully: times are compared as instants to the
// microsecond (PostgreSQL's precision), nil and empty lists are equal.
func diff(got, want trawler.Article) string {
	var d []string
	check := func(field string, g, w any) {
		if fmt.Sprint(g) != fmt.Sprint(w) {
			d = append(d, fmt.Sprintf("%s = %q, want %q", field, fmt.Sprint(g), fmt.Sprint(w)))
		}
	}
	check("url", got.URL, want.URL)
	check("canonical_url", got.CanonicalURL, want.CanonicalURL)
	check("title", got.Title, want.Title)
	check("published", instant(got.Published), instant(want.Published))
	check("modified", instant(got.Modified), instant(want.Modified))
	check("authors", got.Authors, want.Authors)
	check("site_name", got.SiteName, want.SiteName)
	check("source", got.Source, want.Source)
	check("language", got.Language, want.Language)
	check("description", got.Description, want.Description)
	check("body", got.Body, want.Body)
	check("image", got.Image, want.Image)
	check("tags", got.Tags, want.Tags)
	check("related", got.Related, want.Related)
	check("page_type", got.PageType, want.PageType)
	check("depth", got.Depth, want.Depth)
	check("content_hash", got.ContentHash, want.ContentHash)
	if dt := got.FetchedAt.Sub(want.FetchedAt); dt < -time.Microsecond || dt > time.Microsecond {
		d = append(d, fmt.Sprintf("fetched_at = %v, want %v", got.FetchedAt, want.FetchedAt))
	}
	if dt := got.ExtractedAt.Sub(want.ExtractedAt); dt < -time.Microsecond || dt > time.Microsecond {
		d = append(d, fmt.Sprintf("extracted_at = %v, want %v", got.ExtractedAt, want.ExtractedAt))
	}
	return strings.Join(d, "; ")
}

func instant(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// identity is what makes a version: its key and content hash.
func identity(a trawler.Article) string { return a.Key() + " " + a.ContentHash }
