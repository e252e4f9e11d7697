-- Other addresses of articles (pagination, print and AMP copies, URLs whose
-- canonical is the article's): one row per address, whichever of the alias
-- and the article arrived first. The first article to claim an address
-- keeps it.
CREATE TABLE article_aliases (
    alias      text PRIMARY KEY,
    url        text NOT NULL,          -- articles.url: the article's key
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX article_aliases_url_idx ON article_aliases (url);

-- The same addresses on the article's row, sorted, for readers.
ALTER TABLE articles ADD COLUMN aliases text[] NOT NULL DEFAULT '{}';
