-- One row per article: the current version (newest fetched_at) of each key.
CREATE TABLE articles (
    url           text PRIMARY KEY,      -- the article key: canonical URL when known, else fetched_url
    fetched_url   text NOT NULL,         -- the URL fetched, after redirects
    canonical_url text NOT NULL,         -- '' when the page declares none
    title         text NOT NULL,
    published     timestamptz,           -- NULL when unknown
    modified      timestamptz,
    authors       text[] NOT NULL,
    site_name     text NOT NULL,
    source        text NOT NULL,         -- original publisher credited by the page
    language      text NOT NULL,         -- BCP 47
    description   text NOT NULL,
    body          text NOT NULL,         -- plain text, paragraphs separated by a blank line
    image         text NOT NULL,
    tags          text[] NOT NULL,
    related       jsonb NOT NULL,        -- [{"url": …, "title": …}]
    page_type     text NOT NULL,
    depth         integer NOT NULL,
    fetched_at    timestamptz NOT NULL,
    content_hash  text NOT NULL,         -- hex sha256 of body
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),  -- when a newer version replaced the row
    -- Full-text search in the 'simple' configuration (no stemming, works for
    -- Arabic and every other language); the title weighs more than the body,
    -- and only the first 256 Ki characters of a body are indexed, which keeps
    -- every tsvector far below PostgreSQL's 1 MB limit.
    search        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, left(body, 262144)), 'B')
    ) STORED
);

CREATE INDEX articles_published_idx ON articles (published);
CREATE INDEX articles_site_name_idx ON articles (site_name, published);
CREATE INDEX articles_language_idx ON articles (language, published);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_tags_idx ON articles USING gin (tags);

-- Every distinct version of every article, the current one included, as the
-- article JSON the pipeline carried (the README's article schema).
CREATE TABLE article_versions (
    url          text NOT NULL,          -- articles.url
    content_hash text NOT NULL,
    fetched_at   timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    article      jsonb NOT NULL,
    PRIMARY KEY (url, content_hash)
);

CREATE INDEX article_versions_url_fetched_idx ON article_versions (url, fetched_at);
