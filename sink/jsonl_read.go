package sink

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/trawler/trawler"
)

// ReadJSONL reads every article a JSONL sink wrote at path, for tests and
// tools: the file, gzip'd or not, or, for a directory, its rotated files
// oldest first, one article per line, with the aliases recorded after the
// line was written (see AliasesPath) folded into its Aliases. A line torn
// by a crash is left out; any other line that is not an article is an
// error.
func ReadJSONL(path string) ([]trawler.Article, error) {
	arts, err := readLines(path)
	if err != nil {
		return arts, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return arts, err
	}
	aliases, err := readAliases(path, st.IsDir())
	if err != nil {
		return arts, fmt.Errorf("read aliases of %s: %w", path, err)
	}
	for i := range arts {
		if more := aliases[arts[i].Key()]; len(more) > 0 {
			arts[i].Aliases = appendNew(arts[i].Aliases, more...)
		}
	}
	return arts, nil
}

// readLines decodes every line of the file or rotated directory at path.
func readLines(path string) ([]trawler.Article, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []rotatedFile{{path: path}}
	if st.IsDir() {
		if files, err = listRotated(path); err != nil {
			return nil, err
		}
	}
	var out []trawler.Article
	for _, f := range files {
		if f.gzip, err = isGzip(f.path); err != nil {
			return out, err
		}
		var lineErr error
		_, err := scanLines(f.path, f.gzip, func(line []byte) {
			var a trawler.Article
			if err := json.Unmarshal(line, &a); err != nil {
				if lineErr == nil {
					lineErr = fmt.Errorf("read %s: %w", f.path, err)
				}
				return
			}
			out = append(out, a)
		})
		if err != nil {
			return out, fmt.Errorf("read %s: %w", f.path, err)
		}
		if lineErr != nil {
			return out, lineErr
		}
	}
	return out, nil
}
