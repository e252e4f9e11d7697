package sink_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

func schemaOf(t *testing.T, dsn string) string {
	t.Helper()
	_, q, _ := strings.Cut(dsn, "search_path=")
	schema, _, _ := strings.Cut(q, "&")
	return schema
}

func TestPostgresMigratesOnceUnderConcurrency(t *testing.T) {
	dsn := sinktest.PostgresSchema(t)
	ctx := context.Background()
	const workers = 6
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := sink.Open(ctx, strings.Replace(dsn, "postgres://", "postgresql://", 1), nil)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var versions, distinct int
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&versions, &distinct); err != nil {
		t.Fatal(err)
	}
	if versions != 3 || distinct != 3 {
		t.Errorf("schema_migrations has %d rows (%d versions), want one per migration (3)", versions, distinct)
	}
	rows, err := conn.Query(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", schemaOf(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tables, " "); got != "article_aliases article_versions articles schema_migrations" {
		t.Errorf("tables in the search_path schema: %s", got)
	}

	// A database migrated by a newer trawler is not touched.
	if _, err := conn.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	if _, err := sink.OpenPostgres(ctx, dsn, nil); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open on a newer schema: %v", err)
	}
}

func TestPostgresIndexesAndSearch(t *testing.T) {
	dsn := sinktest.PostgresSchema(t)
	ctx := context.Background()
	s, err := sink.OpenPostgres(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Write(ctx, []trawler.Article{sinktest.Article(1, 0), sinktest.Article(2, 0)}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, want string }{
		{"الأسد", "https://news.example/world/2024/08/story-1.html"},            // Arabic title
		{"الميناء", "https://news.example/world/2024/08/story-1.html"},          // Arabic body
		{"harbour & master", "https://news.example/world/2024/08/story-2.html"}, // English body
	} {
		var url string
		err := s.Pool().QueryRow(ctx, "SELECT url FROM articles WHERE search @@ to_tsquery('simple', $1)", tt.query).Scan(&url)
		if err != nil || url != tt.want {
			t.Errorf("search %q: %q, %v; want %s", tt.query, url, err, tt.want)
		}
	}
	rows, err := s.Pool().Query(ctx, "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'articles'", schemaOf(t, dsn))
	if err != nil {
		t.Fatal(err)
	}
	defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(defs, "\n")
	for _, want := range []string{"(published)", "(site_name, published)", "(language, published)", "gin (search)", "gin (tags)"} {
		if !strings.Contains(all, want) {
			t.Errorf("no index on %s:\n%s", want, all)
		}
	}
	// The planner uses the full-text index (sequential scans off, as the
	// table is tiny).
	tx, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	rows, err = tx.Query(ctx, "EXPLAIN SELECT url FROM articles WHERE search @@ to_tsquery('simple', 'الأسد')")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if plan := strings.Join(lines, "\n"); !strings.Contains(plan, "articles_search_idx") {
		t.Errorf("full-text query does not use the index: %s", plan)
	}
}

func TestPostgresRefusesWhatItCannotStore(t *testing.T) {
	dsn := sinktest.PostgresSchema(t)
	ctx := context.Background()
	s, err := sink.OpenPostgres(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bad := sinktest.Article(1, 0)
	bad.Body = "a NUL \x00 byte, which PostgreSQL text cannot hold"
	if err := s.Write(ctx, []trawler.Article{sinktest.Article(2, 0), bad}); !errors.Is(err, sink.ErrInvalid) {
		t.Errorf("write with a NUL byte: %v, want ErrInvalid", err)
	}
	if err := s.Write(ctx, []trawler.Article{sinktest.Article(2, 0)}); err != nil {
		t.Errorf("the good article alone: %v", err)
	}
}

func TestPostgresUnreachableIsTransient(t *testing.T) {
	_, err := sink.OpenPostgres(context.Background(), "postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", nil)
	if err == nil || errors.Is(err, sink.ErrInvalid) {
		t.Fatalf("open on a closed port: %v", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for spec, want := range map[string]string{
		"postgres://u:pw@db:5432/news?sslmode=disable": "postgres://u:xxxxx@db:5432/news?sslmode=disable",
		"postgresql://u@db/news":                       "postgresql://u@db/news",
		"jsonl:/var/x.jsonl":                           "jsonl:/var/x.jsonl",
	} {
		if got := sink.Redact(spec); got != want {
			t.Errorf("Redact(%q) = %q, want %q", spec, got, want)
		}
	}
}

// A PostgreSQL sink named in its URL or key=value DSN connects: name= never
// reaches the server, which refuses parameters it does not know.
func TestPostgresOpensWithName(t *testing.T) {
	dsn := sinktest.PostgresSchema(t)
	ctx := context.Background()
	if conn, err := pgx.Connect(ctx, dsn+"&name=main"); err == nil {
		conn.Close(ctx)
		t.Log("the server took name= as a setting: this test shows less than it should")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	keywords := fmt.Sprintf("host=%s port=%s user=%s dbname=%s sslmode=disable search_path=%s name=main",
		u.Hostname(), u.Port(), u.User.Username(), strings.TrimPrefix(u.Path, "/"), schemaOf(t, dsn))
	for _, spec := range []string{dsn + "&name=main", strings.Replace(dsn, "?", "?name=main&", 1)} {
		s, err := sink.Open(ctx, spec, nil)
		if err != nil {
			t.Fatalf("open %s: %v", spec, err)
		}
		if err := s.Write(ctx, []trawler.Article{{URL: "http://x/1", PageType: trawler.PageArticle}}); err != nil {
			t.Errorf("write through %s: %v", spec, err)
		}
		s.Close()
	}
	p, err := sink.OpenPostgres(ctx, keywords, nil)
	if err != nil {
		t.Fatalf("open %s: %v", keywords, err)
	}
	p.Close()
}
