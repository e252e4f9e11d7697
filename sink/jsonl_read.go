package sink

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/trawler/trawler"
)

// ReadJSONL reads every article a JSONL sink wrote at path, for tests and
// tools: the file, gzip'd or not, or, for a directory, its rotated files
// oldest first. A line torn by a crash is left out; any other line that is
// not an article is an error.
func ReadJSONL(path string) ([]trawler.Article, error) {
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
