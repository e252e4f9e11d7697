package sink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trawler/trawler"
)

// Postgres upserts articles into PostgreSQL: the table articles holds the
// current version of each article (one row per key), article_versions every
// distinct version. See migrations/ for the schema, which the sink creates
// and upgrades itself.
//
// A batch is one statement, one round trip and one transaction. Writing an
// article already stored (a redelivery) changes nothing at all: no version
// row, no update of the articles row, not even a no-op one. An article
// replaces the current row only if it is newer: greater fetched_at; for
// another version of the same fetch, the later extraction (extracted_at, a
// reparse), then the greater content hash to break ties; a version row
// keeps the earliest fetch of its content. Neither depends on arrival
// order.
type Postgres struct {
	pool   *pgxpool.Pool
	schema string
}

var _ Sink = (*Postgres)(nil)

// OpenPostgres connects to the database of dsn (a postgres:// URL or a
// key=value string, as libpq takes them) and migrates the schema. The
// tables live in the first schema of the DSN's search_path parameter
// (created if missing), for example
// postgres://trawler@db/news?sslmode=disable&search_path=crawl; without
// it, in the server's default (public). A name parameter (see Name) is
// left out: it is not the server's.
func OpenPostgres(ctx context.Context, dsn string, log *slog.Logger) (*Postgres, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	_, dsn, err := Name(dsn)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres sink: %w", err) // pgconn redacts the password
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	schema := firstSchema(cfg.ConnConfig.RuntimeParams["search_path"])
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres sink: %w", err)
	}
	if err := migrate(ctx, pool, schema, log); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres sink: %w", err)
	}
	return &Postgres{pool: pool, schema: schema}, nil
}

// firstSchema is the first named schema of a search_path value.
func firstSchema(searchPath string) string {
	for _, s := range strings.Split(searchPath, ",") {
		s = strings.TrimSpace(s)
		if s == "" || s == "$user" {
			continue
		}
		if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
			s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
		}
		return s
	}
	return ""
}

// Pool is the sink's connection pool, for tools and tests that query the
// tables.
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }

// upsert stores a batch: $1 the keys, $2 the articles as JSON, $3 and $4
// their published and modified times (NULL when unknown or unparsable; the
// JSON keeps the original text).
const upsert = `
WITH input AS (
	SELECT i.key, i.doc, i.published, i.modified, d.*
	FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[], $4::timestamptz[]) AS i(key, doc, published, modified),
	     jsonb_to_record(i.doc) AS d(url text, canonical_url text, title text, authors text[], site_name text,
	         source text, language text, description text, body text, image text, tags text[], related jsonb,
	         page_type text, depth integer, fetched_at timestamptz, extracted_at timestamptz, content_hash text)
),
versions AS (
	INSERT INTO article_versions (url, content_hash, fetched_at, article)
	SELECT DISTINCT ON (key, content_hash) key, content_hash, fetched_at, doc
	FROM input
	ORDER BY key, content_hash, fetched_at
	ON CONFLICT (url, content_hash) DO UPDATE SET fetched_at = EXCLUDED.fetched_at, article = EXCLUDED.article
	WHERE EXCLUDED.fetched_at < article_versions.fetched_at
)
INSERT INTO articles AS a (url, fetched_url, canonical_url, title, published, modified, authors, site_name,
	source, language, description, body, image, tags, related, page_type, depth, fetched_at, extracted_at, content_hash)
SELECT DISTINCT ON (key) key, url, coalesce(canonical_url, ''), coalesce(title, ''), published, modified,
	coalesce(authors, '{}'), coalesce(site_name, ''), coalesce(source, ''), coalesce(language, ''),
	coalesce(description, ''), coalesce(body, ''), coalesce(image, ''), coalesce(tags, '{}'),
	coalesce(related, '[]'), page_type, coalesce(depth, 0), fetched_at, extracted_at, content_hash
FROM input
ORDER BY key, fetched_at DESC, extracted_at DESC NULLS LAST, content_hash DESC
ON CONFLICT (url) DO UPDATE SET
	fetched_url = EXCLUDED.fetched_url, canonical_url = EXCLUDED.canonical_url, title = EXCLUDED.title,
	published = EXCLUDED.published, modified = EXCLUDED.modified, authors = EXCLUDED.authors,
	site_name = EXCLUDED.site_name, source = EXCLUDED.source, language = EXCLUDED.language,
	description = EXCLUDED.description, body = EXCLUDED.body, image = EXCLUDED.image, tags = EXCLUDED.tags,
	related = EXCLUDED.related, page_type = EXCLUDED.page_type, depth = EXCLUDED.depth,
	fetched_at = EXCLUDED.fetched_at, extracted_at = EXCLUDED.extracted_at, content_hash = EXCLUDED.content_hash,
	updated_at = now()
WHERE EXCLUDED.fetched_at > a.fetched_at
	OR EXCLUDED.fetched_at = a.fetched_at AND EXCLUDED.content_hash <> a.content_hash
	AND (coalesce(EXCLUDED.extracted_at, '-infinity'), EXCLUDED.content_hash) > (coalesce(a.extracted_at, '-infinity'), a.content_hash)`

// addAliases records the aliases $2 of the article keys $1 (first claim
// wins) and refreshes the aliases column of the articles $3 whose set
// changed: rows written without aliases yet, or whose aliases came first.
const addAliases = `
WITH added AS (
	INSERT INTO article_aliases (alias, url)
	SELECT DISTINCT ON (alias) alias, key FROM unnest($1::text[], $2::text[]) AS i(key, alias)
	ORDER BY alias
	ON CONFLICT (alias) DO NOTHING
	RETURNING alias, url
),
current AS (
	SELECT url, alias FROM article_aliases WHERE url = ANY($3::text[])
	UNION SELECT url, alias FROM added
)
UPDATE articles AS a SET aliases = c.aliases
FROM (SELECT url, array_agg(alias ORDER BY alias) AS aliases FROM current GROUP BY url) AS c
WHERE a.url = c.url AND a.aliases IS DISTINCT FROM c.aliases`

// Write stores the batch in one transaction, committed when Write returns
// nil: the articles in one statement, then the aliases of the batch (its
// articles' and its alias records'). Rows are sent in key order so that
// concurrent writers lock them in the same order.
func (p *Postgres) Write(ctx context.Context, batch []trawler.Article) error {
	batch, aliases := splitAliases(batch)
	var keys, names []string
	for _, list := range [][]trawler.Article{batch, aliases} {
		for i := range list {
			for _, al := range list[i].Aliases {
				keys, names = append(keys, list[i].Key()), append(names, al)
			}
		}
	}
	if len(keys) == 0 {
		return classify(p.upsert(ctx, p.pool, batch))
	}
	touched := make([]string, 0, len(batch)+len(aliases))
	for _, list := range [][]trawler.Article{batch, aliases} {
		for i := range list {
			touched = append(touched, list[i].Key())
		}
	}
	sort.Strings(touched)
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if err := p.upsert(ctx, tx, batch); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, addAliases, keys, names, touched)
		return err
	})
	return classify(err)
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// upsert writes the articles of batch in one statement.
func (p *Postgres) upsert(ctx context.Context, db execer, batch []trawler.Article) error {
	if len(batch) == 0 {
		return nil
	}
	order := make([]int, len(batch))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return batch[order[x]].Key() < batch[order[y]].Key() })
	keys := make([]string, len(batch))
	docs := make([]string, len(batch))
	published := make([]pgtype.Timestamptz, len(batch))
	modified := make([]pgtype.Timestamptz, len(batch))
	for j, i := range order {
		a := batch[i]
		a.ContentHash = ContentHash(&a)
		doc, err := json.Marshal(&a)
		if err != nil {
			return fmt.Errorf("encode %s: %w: %w", a.URL, ErrInvalid, err)
		}
		keys[j], docs[j] = a.Key(), string(doc)
		published[j], modified[j] = timestamp(a.Published), timestamp(a.Modified)
	}
	_, err := db.Exec(ctx, upsert, keys, docs, published, modified)
	return err
}

func timestamp(s string) pgtype.Timestamptz {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

// classify marks the errors an article causes (bad data, a value over a
// limit) as ErrInvalid; everything else (connection, timeout, deadlock,
// server shutting down) is transient.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && len(pgErr.Code) == 5 {
		switch pgErr.Code[:2] {
		case "22", // data exception: a NUL character, a date out of range
			"23", // integrity constraint violation
			"54": // program limit exceeded: a key too long for its index
			return fmt.Errorf("postgres sink: %w: %w", ErrInvalid, err)
		}
	}
	return fmt.Errorf("postgres sink: %w", err)
}

// Close closes the connections; every batch was committed by Write.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}
