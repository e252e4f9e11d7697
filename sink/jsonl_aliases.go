package sink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trawler/trawler"
)

// A JSONL file is append-only, and an article's aliases are mostly found
// after its line was written (the pagination and print copies it links
// to). So a line carries the aliases known when it was written, and alias
// records go to a sidecar beside the articles, one line each: the file
// articles.aliases.jsonl beside articles.jsonl, or the directory aliases/
// inside a rotating sink's directory (rotated like it). Articles stay one
// line each; ReadJSONL folds the sidecar back into them.

// AliasesPath is where the JSONL sink writing at path (a file, or a
// directory when rotating) records aliases.
func AliasesPath(path string, rotating bool) string {
	if rotating {
		return filepath.Join(path, "aliases")
	}
	dir, name := filepath.Split(path)
	if i := strings.LastIndex(name, ".jsonl"); i > 0 {
		return filepath.Join(dir, name[:i]+".aliases"+name[i:])
	}
	return path + ".aliases.jsonl"
}

// splitAliases separates the alias records of batch from its articles.
func splitAliases(batch []trawler.Article) (arts, aliases []trawler.Article) {
	for i := range batch {
		if batch[i].PageType == trawler.PageAlias {
			if aliases == nil {
				arts = append(make([]trawler.Article, 0, len(batch)), batch[:i]...)
			}
			aliases = append(aliases, batch[i])
		} else if aliases != nil {
			arts = append(arts, batch[i])
		}
	}
	if aliases == nil {
		return batch, nil
	}
	return arts, aliases
}

// aliasLine is an alias record as the sidecar stores it: only its fields.
type aliasLine struct {
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url"` // the article's key
	Aliases      []string  `json:"aliases"`
	PageType     string    `json:"page_type"`
	FetchedAt    time.Time `json:"fetched_at"`
	ContentHash  string    `json:"content_hash"`
}

func encodeLine(a *trawler.Article) ([]byte, error) {
	if a.PageType == trawler.PageAlias {
		return json.Marshal(aliasLine{a.URL, a.CanonicalURL, a.Aliases, a.PageType, a.FetchedAt, ContentHash(a)})
	}
	b := *a
	b.ContentHash = ContentHash(a) // computed, never taken on trust
	return json.Marshal(&b)
}

// writeAliases appends alias records to the sidecar, opening it at first use.
func (j *JSONL) writeAliases(ctx context.Context, recs []trawler.Article) error {
	if j.aliases == nil {
		opts := j.opts
		opts.Path = AliasesPath(j.opts.Path, j.opts.rotating())
		a, err := openJSONL(opts, j.now)
		if err != nil {
			return fmt.Errorf("jsonl sink: aliases: %w", err)
		}
		a.isAliases = true
		j.aliases = a
	}
	return j.aliases.Write(ctx, recs)
}

// readAliases reads the sidecar of the sink at path: the aliases of each
// article key, in the order recorded. A missing sidecar is no aliases.
func readAliases(path string, rotating bool) (map[string][]string, error) {
	recs, err := readLines(AliasesPath(path, rotating))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range recs {
		out[r.Key()] = appendNew(out[r.Key()], r.Aliases...)
	}
	return out, nil
}

// appendNew appends the values of add not in list yet.
func appendNew(list []string, add ...string) []string {
	for _, v := range add {
		found := false
		for _, x := range list {
			if x == v {
				found = true
				break
			}
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}
