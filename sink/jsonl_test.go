package sink

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/trawler/trawler"
)

func TestJSONLAppendsAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "articles.jsonl")
	ctx := context.Background()
	s, err := Open(ctx, "jsonl:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	batch := []trawler.Article{
		{URL: "http://x/1", Title: "بوتين يجتمع مع الأسد", PageType: trawler.PageArticle, Authors: []string{}},
		{URL: "http://x/2", Title: "two <b>&</b>", PageType: trawler.PageArticle},
	}
	if err := s.Write(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, "jsonl:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	third := trawler.Article{URL: "http://x/3", PageType: trawler.PageArticle}
	if err := s.Write(ctx, []trawler.Article{batch[0], third}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got, err := ReadJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Title != batch[0].Title || got[1].Title != batch[1].Title || got[2].URL != "http://x/3" {
		t.Errorf("read back %+v, want the first batch and only the new article of the second", got)
	}
}

func TestJSONLDropsTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	full := `{"url":"http://x/1","page_type":"article"}` + "\n"
	if err := os.WriteFile(path, []byte(full+`{"url":"http://x/2","ti`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenJSONL(JSONLOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(context.Background(), []trawler.Article{{URL: "http://x/2", PageType: trawler.PageArticle}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	got, err := ReadJSONL(path)
	if err != nil {
		t.Fatalf("file is not valid JSONL after recovery: %v", err)
	}
	if len(got) != 2 || got[0].URL != "http://x/1" || got[1].URL != "http://x/2" {
		t.Errorf("read back %+v", got)
	}
}

func TestOpenAndValidate(t *testing.T) {
	for _, spec := range []string{"", "jsonl", "jsonl:", "kafka:topic", "jsonl:dir/", "jsonl:x?rotate=0",
		"jsonl:x?rotate=fast", "jsonl:x?gzip=maybe", "jsonl:x?dedup=0", "jsonl:x?color=red"} {
		if _, err := Open(context.Background(), spec, nil); err == nil {
			t.Errorf("Open(%q) succeeded", spec)
		}
	}
	if err := Validate(&trawler.Article{URL: "u", PageType: trawler.PageHub}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a hub must be invalid for sinks: %v", err)
	}
	if err := Validate(&trawler.Article{PageType: trawler.PageArticle}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an article without url must be invalid: %v", err)
	}
	if err := Validate(&trawler.Article{URL: "u", PageType: trawler.PageArticle}); err != nil {
		t.Errorf("valid article refused: %v", err)
	}
}
