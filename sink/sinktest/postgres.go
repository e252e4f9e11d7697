package sinktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
)

// PostgresEnv names the variable that requires the PostgreSQL tests: set it
// to a server's URL and they fail, not skip, when it does not answer.
const PostgresEnv = "TRAWLER_TEST_POSTGRES"

// localPostgres are tried in order when PostgresEnv is unset: the server
// this machine kind and CI run, with trust authentication.
func localPostgres() []string {
	return []string{
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
	}
}

// PostgresURL returns the URL of the test server: PostgresEnv when set (the
// test fails if it does not answer), else the first local one that answers;
// without either the test is skipped.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u, required, err := FindPostgres()
	switch {
	case err != nil && required:
		tb.Fatal(err)
	case err != nil:
		tb.Skip(err)
	}
	return u
}

// FindPostgres returns the URL of the test server as PostgresURL chooses
// it, for callers that can go on without one. required reports whether
// PostgresEnv asked for it.
func FindPostgres() (url string, required bool, err error) {
	if u := os.Getenv(PostgresEnv); u != "" {
		if err := ping(u); err != nil {
			return "", true, fmt.Errorf("%s is set but PostgreSQL does not answer: %w", PostgresEnv, err)
		}
		return u, true, nil
	}
	for _, u := range localPostgres() {
		if ping(u) == nil {
			return u, false, nil
		}
	}
	return "", false, fmt.Errorf("no PostgreSQL answers at 127.0.0.1:5432 (database test, user postgres or root); set %s=postgres://… to require one", PostgresEnv)
}

func ping(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// PostgresSchema returns the URL of the test server with a search_path of a
// new, random schema, so parallel tests and packages never meet. The sink
// creates the schema; it is dropped when the test ends.
func PostgresSchema(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "trawler_test_" + hex.EncodeToString(b[:])
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: want a postgres:// URL: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return u.String()
}

// Postgres returns a target for a PostgreSQL sink in a schema of the test's
// own.
func Postgres(t *testing.T) Target {
	dsn := PostgresSchema(t)
	return Target{
		Shared: true,
		Open:   func(ctx context.Context) (sink.Sink, error) { return sink.OpenPostgres(ctx, dsn, nil) },
		Read:   func(ctx context.Context) (Contents, error) { return ReadPostgres(ctx, dsn) },
	}
}

// ReadPostgres reads what a PostgreSQL sink stored in the schema of dsn.
func ReadPostgres(ctx context.Context, dsn string) (Contents, error) {
	var c Contents
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return c, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT fetched_url, canonical_url, title, published, modified, authors,
		site_name, source, language, description, body, image, tags, related, page_type, depth, fetched_at,
		extracted_at, content_hash, aliases FROM articles`)
	if err != nil {
		return c, err
	}
	c.Current, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (trawler.Article, error) {
		var a trawler.Article
		var published, modified, extracted *time.Time
		var related []byte
		err := row.Scan(&a.URL, &a.CanonicalURL, &a.Title, &published, &modified, &a.Authors, &a.SiteName,
			&a.Source, &a.Language, &a.Description, &a.Body, &a.Image, &a.Tags, &related, &a.PageType, &a.Depth,
			&a.FetchedAt, &extracted, &a.ContentHash, &a.Aliases)
		if err != nil {
			return a, err
		}
		if extracted != nil {
			a.ExtractedAt = *extracted
		}
		a.Published, a.Modified = rfc3339(published), rfc3339(modified)
		return a, json.Unmarshal(related, &a.Related)
	})
	if err != nil {
		return c, fmt.Errorf("read articles: %w", err)
	}
	rows, err = conn.Query(ctx, "SELECT article FROM article_versions")
	if err != nil {
		return c, err
	}
	c.Versions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (trawler.Article, error) {
		var a trawler.Article
		var doc []byte
		if err := row.Scan(&doc); err != nil {
			return a, err
		}
		return a, json.Unmarshal(doc, &a)
	})
	if err != nil {
		return c, fmt.Errorf("read article_versions: %w", err)
	}
	// xmin changes with every row version: a no-op UPDATE would show.
	err = conn.QueryRow(ctx, `SELECT
		(SELECT coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM (SELECT xmin::text AS x, * FROM articles) t) ||
		(SELECT coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM (SELECT xmin::text AS x, * FROM article_versions) t) ||
		(SELECT coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM (SELECT xmin::text AS x, * FROM article_aliases) t)`).Scan(&c.State)
	if err != nil {
		return c, fmt.Errorf("digest: %w", err)
	}
	return c, nil
}

func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
