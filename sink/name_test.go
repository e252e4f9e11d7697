package sink

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

func TestName(t *testing.T) {
	tests := []struct {
		spec, name, rest string
	}{
		{"jsonl:a.jsonl", "", "jsonl:a.jsonl"},
		{"jsonl:a.jsonl?name=main", "main", "jsonl:a.jsonl"},
		{"jsonl:out/?rotate=1h&name=hourly&gzip=1", "hourly", "jsonl:out/?rotate=1h&gzip=1"},
		{"jsonl:a.jsonl?mode=0600", "", "jsonl:a.jsonl?mode=0600"},
		{"postgres://u:s3cret@db/news?sslmode=disable&name=pg-1", "pg-1", "postgres://u:s3cret@db/news?sslmode=disable"},
		{"postgresql://db/news?name=Pg_2&search_path=crawl", "Pg_2", "postgresql://db/news?search_path=crawl"},
		{"postgres://db/news?name=a%2Db", "a-b", "postgres://db/news"},
		{"postgres://db/news?username=x", "", "postgres://db/news?username=x"},
		{"host=db user=u password=s3cret dbname=news name=main", "main", "host=db user=u password=s3cret dbname=news"},
		{"name = main host=db password='a b\\' name=x'", "main", "host=db password='a b\\' name=x'"},
		{"host=db dbname=news", "", "host=db dbname=news"},
	}
	for _, tt := range tests {
		name, rest, err := Name(tt.spec)
		if err != nil || name != tt.name || rest != tt.rest {
			t.Errorf("Name(%q) = %q, %q, %v; want %q, %q", tt.spec, name, rest, err, tt.name, tt.rest)
		}
	}
}

func TestNameRefusesBadNames(t *testing.T) {
	for _, spec := range []string{
		"jsonl:a.jsonl?name=",
		"jsonl:a.jsonl?name=a.b",
		"jsonl:a.jsonl?name=a*",
		"jsonl:a.jsonl?name=a%20b",
		"jsonl:a.jsonl?name=" + strings.Repeat("x", MaxNameLen+1),
		"jsonl:a.jsonl?name=a&name=b",
		"postgres://u:s3cret@db/news?name=é",
		"host=db password=s3cret name='a b'",
	} {
		_, _, err := Name(spec)
		if err == nil {
			t.Errorf("Name(%q) accepted", spec)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Name(%q): error shows the password: %v", spec, err)
		}
	}
}

func TestWithName(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"jsonl:a.jsonl", "jsonl:a.jsonl?name=n"},
		{"jsonl:out/?rotate=1h", "jsonl:out/?rotate=1h&name=n"},
		{"postgres://u:pw@db/news", "postgres://u:pw@db/news?name=n"},
		{"postgres://u:pw@db/news?sslmode=disable", "postgres://u:pw@db/news?sslmode=disable&name=n"},
		{"host=db dbname=news", "host=db dbname=news name=n"},
		{"jsonl:a.jsonl?name=n", "jsonl:a.jsonl?name=n"},
	}
	for _, tt := range tests {
		got, err := WithName(tt.spec, "n")
		if err != nil || got != tt.want {
			t.Errorf("WithName(%q, n) = %q, %v; want %q", tt.spec, got, err, tt.want)
		}
		if name, _, err := Name(got); name != "n" || err != nil {
			t.Errorf("Name(%q) = %q, %v; want n", got, name, err)
		}
	}
	if _, err := WithName("jsonl:a.jsonl?name=other", "n"); err == nil {
		t.Error("WithName replaced another name")
	}
	if _, err := WithName("jsonl:a.jsonl", "a b"); err == nil {
		t.Error("WithName took a bad name")
	}
}

// A JSONL spec with name= opens (the option parser never sees it) and
// writes where the rest of the spec says.
func TestOpenJSONLWithName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.jsonl")
	ctx := context.Background()
	s, err := Open(ctx, "jsonl:"+path+"?name=main&mode=0600", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, []trawler.Article{{URL: "http://x/1", PageType: trawler.PageArticle}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSONL(path)
	if err != nil || len(got) != 1 {
		t.Fatalf("read back %d articles, %v", len(got), err)
	}
	if _, err := Open(ctx, "jsonl:"+path+"?name=a.b", nil); err == nil {
		t.Error("opened with a bad name")
	}
}
