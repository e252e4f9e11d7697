package sink

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trawler/trawler"
)

// Rotated files are named articles-YYYYMMDD-HHMMSS[-N].jsonl[.gz] after their
// UTC start time.
const (
	filePrefix = "articles-"
	fileTime   = "20060102-150405"
)

// rotatedFile is one file of a rotating sink.
type rotatedFile struct {
	path  string
	start time.Time
	n     int // same-second counter, 1 for the first
	gzip  bool
}

// fileName is the name of the n-th file started in the second of t.
func fileName(t time.Time, n int, gz bool) string {
	name := filePrefix + t.UTC().Format(fileTime)
	if n > 1 {
		name += "-" + strconv.Itoa(n)
	}
	name += ".jsonl"
	if gz {
		name += ".gz"
	}
	return name
}

func parseFileName(name string) (rotatedFile, bool) {
	f := rotatedFile{n: 1}
	rest, ok := strings.CutPrefix(name, filePrefix)
	if !ok {
		return f, false
	}
	rest, f.gzip = strings.CutSuffix(rest, ".gz")
	if rest, ok = strings.CutSuffix(rest, ".jsonl"); !ok {
		return f, false
	}
	stamp, counter, hasCounter := rest, "", false
	if len(rest) > len(fileTime) {
		stamp, counter, hasCounter = rest[:len(fileTime)], rest[len(fileTime):], true
	}
	t, err := time.ParseInLocation(fileTime, stamp, time.UTC)
	if err != nil {
		return f, false
	}
	f.start = t
	if hasCounter {
		c, ok := strings.CutPrefix(counter, "-")
		n, err := strconv.Atoi(c)
		if !ok || err != nil || n < 2 {
			return f, false
		}
		f.n = n
	}
	return f, true
}

// listRotated returns the rotated files in dir, oldest first.
func listRotated(dir string) ([]rotatedFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []rotatedFile
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if f, ok := parseFileName(e.Name()); ok {
			f.path = filepath.Join(dir, e.Name())
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].start.Equal(out[j].start) {
			return out[i].start.Before(out[j].start)
		}
		return out[i].n < out[j].n
	})
	return out, nil
}

// scanLines calls fn for every complete line of the file at path (gzip when
// gz) and returns the size of its intact prefix: everything up to the last
// newline of a plain file, or the last complete member of a gzip file. What
// follows was torn by a crash in the middle of a write that was never acked.
func scanLines(path string, gz bool, fn func(line []byte)) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cr := &countingReader{r: bufio.NewReaderSize(f, 256<<10)}
	if !gz {
		for {
			line, err := cr.r.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				long := append([]byte(nil), line...)
				for errors.Is(err, bufio.ErrBufferFull) {
					line, err = cr.r.ReadSlice('\n')
					long = append(long, line...)
				}
				line = long
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return cr.n, nil // a last line without newline is torn
				}
				return cr.n, err
			}
			cr.n += int64(len(line))
			fn(line[:len(line)-1])
		}
	}
	// Gzip: flate reads through ReadByte, so cr.n is the exact end of each
	// member.
	cr.counting = true
	z, err := gzip.NewReader(cr)
	if err != nil {
		return 0, nil // torn or empty first member
	}
	var good int64
	for {
		z.Multistream(false)
		data, err := io.ReadAll(z)
		if err != nil {
			return good, nil
		}
		good = cr.n
		for line := range bytes.Lines(data) {
			if len(line) > 0 && line[len(line)-1] == '\n' {
				fn(line[:len(line)-1])
			}
		}
		if err := z.Reset(cr); err != nil {
			return good, nil // io.EOF at a clean end, or a torn header
		}
	}
}

// countingReader counts the bytes consumed from r when counting is set (the
// plain-file scanner counts lines itself).
type countingReader struct {
	r        *bufio.Reader
	n        int64
	counting bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.counting {
		c.n += int64(n)
	}
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil && c.counting {
		c.n++
	}
	return b, err
}

// versionOf decodes the identity of a stored line.
func versionOf(line []byte) (fingerprint, error) {
	var a trawler.Article
	var id struct {
		URL          string `json:"url"`
		CanonicalURL string `json:"canonical_url"`
		ContentHash  string `json:"content_hash"`
	}
	if err := json.Unmarshal(line, &id); err != nil {
		return fingerprint{}, err
	}
	a.URL, a.CanonicalURL = id.URL, id.CanonicalURL
	hash := id.ContentHash // written by this sink, computed (see ContentHash)
	if hash == "" {        // a line of an older release: needs the body
		if err := json.Unmarshal(line, &a); err != nil {
			return fingerprint{}, err
		}
		hash = ContentHash(&a)
	}
	return fingerprintOf(a.Key(), hash), nil
}

// isGzip reports whether the file at path starts with the gzip magic bytes.
func isGzip(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var magic [2]byte
	n, err := io.ReadFull(f, magic[:])
	if n < 2 {
		return false, nil
	}
	return magic == [2]byte{0x1f, 0x8b}, err
}

// syncDir makes a file creation in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// openOwn opens a file of the sink's own: never through a symbolic link
// (noFollow, where the system has it, and a check before), and only a
// regular file. A link named like the sink's file could otherwise make it
// append to, or cut the torn tail off, any file the process may write.
func openOwn(path string, flag int, mode os.FileMode) (*os.File, error) {
	symlink := func() error {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: the jsonl sink writes only to files of its own, never through a link", path)
		}
		return nil
	}
	if noFollow == 0 {
		if err := symlink(); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, flag|noFollow, mode)
	if err != nil {
		if lerr := symlink(); lerr != nil {
			return nil, lerr
		}
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%s is not a regular file", path)
		}
		return nil, err
	}
	return f, nil
}

// dirMode is the permission of a directory holding files of mode: the same,
// searchable where readable.
func dirMode(mode os.FileMode) os.FileMode {
	return mode | (mode&0o444)>>2
}
