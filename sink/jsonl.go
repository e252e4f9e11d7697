package sink

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/trawler/trawler"
)

// JSONL appends one article per line to a file.
type JSONL struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

var _ Sink = (*JSONL)(nil)

// OpenJSONL opens (creating it and its directory if needed) the file at path
// for appending.
func OpenJSONL(path string) (*JSONL, error) {
	if path == "" {
		return nil, fmt.Errorf("jsonl sink: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("jsonl sink: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("jsonl sink: %w", err)
	}
	if err := dropTornLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("jsonl sink: %s: %w", path, err)
	}
	return &JSONL{f: f, path: path}, nil
}

// dropTornLine truncates a last line left without its newline by a crash in
// the middle of a write. That write was never acked, so its articles will be
// delivered again.
func dropTornLine(f *os.File) error {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	// Scan back in chunks for the last newline.
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	end := st.Size()
	for off := end; off > 0; {
		n := int64(chunk)
		if off < n {
			n = off
		}
		off -= n
		if _, err := f.ReadAt(buf[:n], off); err != nil {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			if keep := off + int64(i) + 1; keep != end {
				return f.Truncate(keep)
			}
			return nil
		}
	}
	return f.Truncate(0)
}

// Path is the file the sink writes.
func (j *JSONL) Path() string { return j.path }

// Write appends the batch and fsyncs it. A batch is written with one write
// call, so a crash leaves at most a torn last line, never interleaved ones.
func (j *JSONL) Write(_ context.Context, batch []trawler.Article) error {
	var buf []byte
	for i := range batch {
		line, err := json.Marshal(&batch[i])
		if err != nil {
			return fmt.Errorf("jsonl sink: encode %s: %w", batch[i].URL, err)
		}
		buf = append(append(buf, line...), '\n')
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(buf); err != nil {
		return fmt.Errorf("jsonl sink: write %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("jsonl sink: sync %s: %w", j.path, err)
	}
	return nil
}

// Close closes the file.
func (j *JSONL) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.f.Close(); err != nil {
		return fmt.Errorf("jsonl sink: close %s: %w", j.path, err)
	}
	return nil
}

// ReadJSONL reads every article of a JSONL file, for tests and tools.
func ReadJSONL(path string) ([]trawler.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []trawler.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var a trawler.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return out, fmt.Errorf("read %s: %w", path, err)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}
