package sink

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/trawler/trawler"
)

// JSONL appends articles as JSON lines, one version per line, to one file or
// to rotated files in a directory. It is a log: a changed article is a new
// line, and a reader takes the newest fetched_at per key. A version already
// written (within the Dedup window) is skipped, so redeliveries do not
// duplicate lines. Each write is fsync'd before Write returns.
type JSONL struct {
	opts JSONLOptions
	log  *slog.Logger
	now  func() time.Time

	mu     sync.Mutex
	lock   *os.File    // holds the flock: the file itself or the directory
	f      *os.File    // the file appended to
	cur    rotatedFile // its path and, when rotating, start time
	size   int64
	seen   *recent
	failed error // a failed write that could not be undone
	zw     *gzip.Writer
	zbuf   bytes.Buffer

	// aliases is the sidecar that records alias records (see
	// jsonl_aliases.go), opened at the first one; isAliases marks the
	// sidecar itself.
	aliases   *JSONL
	isAliases bool
}

var _ Sink = (*JSONL)(nil)

// OpenJSONL opens the sink, creating the file or directory if needed. It
// truncates a torn last line or gzip member left by a crash (that write was
// never acked, so its articles will come again) and rebuilds the dedup index
// from the newest files.
func OpenJSONL(opts JSONLOptions) (*JSONL, error) {
	return openJSONL(opts, time.Now)
}

func openJSONL(opts JSONLOptions, now func() time.Time) (*JSONL, error) {
	if opts.Path == "" {
		return nil, errors.New("jsonl sink: empty path")
	}
	if opts.Dedup <= 0 {
		opts.Dedup = DefaultDedup
	}
	if opts.Mode == 0 {
		opts.Mode = DefaultFileMode
	}
	j := &JSONL{opts: opts, log: opts.Log, now: now, seen: newRecent(opts.Dedup)}
	if j.log == nil {
		j.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var err error
	if opts.rotating() {
		err = j.openDir()
	} else {
		err = j.openFile()
	}
	if err != nil {
		j.closeFiles()
		return nil, fmt.Errorf("jsonl sink: %w", err)
	}
	return j, nil
}

func (j *JSONL) openFile() error {
	path := j.opts.Path
	if err := os.MkdirAll(filepath.Dir(path), dirMode(j.opts.Mode)); err != nil {
		return err
	}
	f, err := openOwn(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, j.opts.Mode)
	if err != nil {
		return err
	}
	j.f, j.cur = f, rotatedFile{path: path, gzip: j.opts.Gzip}
	if err := lockFile(f); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > 0 {
		gz, err := isGzip(path)
		if err != nil {
			return err
		}
		if gz != j.opts.Gzip {
			return fmt.Errorf("%s: gzip=%t does not match the file's content", path, j.opts.Gzip)
		}
	}
	fps, good, err := j.scan(j.cur)
	if err != nil {
		return err
	}
	j.size = good
	if good < st.Size() {
		// What follows the last newline: a whole line whose newline a
		// crash cut off is completed; a torn line is cut off. Nothing
		// else is ever cut (the file is the sink's own: see openOwn).
		tail := make([]byte, st.Size()-good)
		if _, err := f.ReadAt(tail, good); err != nil {
			return err
		}
		if fp, err := versionOf(tail); err == nil && !j.opts.Gzip {
			if err := j.append([]byte("\n")); err != nil {
				return err
			}
			j.size = st.Size() + 1
			fps = append(fps, fp)
		} else if err := j.truncate(good); err != nil {
			return err
		}
	}
	j.remember(fps)
	return nil
}

func (j *JSONL) openDir() error {
	dir := j.opts.Path
	if err := os.MkdirAll(dir, dirMode(j.opts.Mode)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	j.lock = d
	if err := lockFile(d); err != nil {
		return err
	}
	files, err := listRotated(dir)
	if err != nil {
		return err
	}
	// Newest first, until the dedup window is full; replayed oldest first.
	var chunks [][]fingerprint
	total := 0
	var newestSize int64
	for i := len(files) - 1; i >= 0 && total < j.opts.Dedup; i-- {
		fps, good, err := j.scan(files[i])
		if err != nil {
			return err
		}
		if i == len(files)-1 {
			newestSize = good
			if err := truncateFile(files[i].path, good); err != nil {
				return err
			}
		}
		chunks = append(chunks, fps)
		total += len(fps)
	}
	for i := len(chunks) - 1; i >= 0; i-- {
		j.remember(chunks[i])
	}
	if n := len(files); n > 0 && files[n-1].gzip == j.opts.Gzip && !j.due(files[n-1].start, newestSize) {
		f, err := openOwn(files[n-1].path, os.O_RDWR|os.O_APPEND, j.opts.Mode)
		if err != nil {
			return err
		}
		j.f, j.cur, j.size = f, files[n-1], newestSize
	}
	return nil // the next file is created by the first write that needs it
}

// scan reads the versions of a file and the size of its intact prefix.
func (j *JSONL) scan(file rotatedFile) ([]fingerprint, int64, error) {
	var fps []fingerprint
	bad := 0
	good, err := scanLines(file.path, file.gzip, func(line []byte) {
		fp, err := versionOf(line)
		if err != nil {
			bad++
			return
		}
		fps = append(fps, fp)
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", file.path, err)
	}
	if bad > 0 {
		j.log.Warn("jsonl sink: lines that are not articles", "file", file.path, "lines", bad)
	}
	return fps, good, nil
}

func (j *JSONL) remember(fps []fingerprint) {
	for _, fp := range fps {
		if j.seen.add(fp) && j.seen.evicted == 1 {
			j.log.Warn("jsonl sink: dedup window full, forgetting the oldest versions; one that comes back again is written again (raise dedup= to remember more)",
				"path", j.opts.Path, "dedup", j.opts.Dedup)
		}
	}
}

// due reports whether a file started at start and holding size bytes must
// be rotated before the next write.
func (j *JSONL) due(start time.Time, size int64) bool {
	if !j.opts.rotating() {
		return false
	}
	return j.opts.RotateSize > 0 && size >= j.opts.RotateSize ||
		j.opts.RotateAge > 0 && j.now().Sub(start) >= j.opts.RotateAge
}

// create starts a new rotated file named after the current time.
func (j *JSONL) create() error {
	now := j.now().UTC().Truncate(time.Second)
	for n := 1; ; n++ {
		file := rotatedFile{path: filepath.Join(j.opts.Path, fileName(now, n, j.opts.Gzip)), start: now, n: n, gzip: j.opts.Gzip}
		f, err := openOwn(file.path, os.O_CREATE|os.O_EXCL|os.O_RDWR|os.O_APPEND, j.opts.Mode)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if j.f != nil {
			j.f.Close()
		}
		j.f, j.cur, j.size = f, file, 0
		return syncDir(j.opts.Path)
	}
}

// Path is the file the sink appends to now; empty for a rotating sink
// that has not written since it was opened on a full (or no) file.
func (j *JSONL) Path() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cur.path
}

// Write appends the versions of the batch the sink has not written yet, in
// one write call, and fsyncs them. A crash leaves at most a torn last line
// or gzip member, never interleaved ones; a failed write is truncated away.
//
// Alias records go to the sidecar file of aliases, after the articles: a
// failure there fails the batch, and its retry skips the articles written.
func (j *JSONL) Write(ctx context.Context, batch []trawler.Article) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.failed != nil {
		return j.failed
	}
	var aliases []trawler.Article
	if !j.isAliases {
		batch, aliases = splitAliases(batch)
	}
	if err := j.writeLines(batch); err != nil {
		return err
	}
	if len(aliases) == 0 {
		return nil
	}
	return j.writeAliases(ctx, aliases)
}

// writeLines appends the versions of batch not written yet.
func (j *JSONL) writeLines(batch []trawler.Article) error {
	var buf []byte
	fps := make([]fingerprint, 0, len(batch))
	for i := range batch {
		fp := fingerprintOf(batch[i].Key(), ContentHash(&batch[i]))
		if j.seen.has(fp) || containsFP(fps, fp) {
			continue
		}
		line, err := encodeLine(&batch[i])
		if err != nil {
			return fmt.Errorf("jsonl sink: encode %s: %w: %w", batch[i].URL, ErrInvalid, err)
		}
		buf = append(append(buf, line...), '\n')
		fps = append(fps, fp)
	}
	if len(fps) == 0 {
		return nil
	}
	if j.f == nil || j.due(j.cur.start, j.size) {
		if err := j.create(); err != nil {
			return fmt.Errorf("jsonl sink: rotate: %w", err)
		}
	}
	data, err := j.encode(buf)
	if err != nil {
		return err
	}
	if err := j.append(data); err != nil {
		return err
	}
	j.remember(fps)
	return nil
}

func containsFP(fps []fingerprint, fp fingerprint) bool {
	for _, x := range fps {
		if x == fp {
			return true
		}
	}
	return false
}

// encode returns buf, or buf as one complete gzip member.
func (j *JSONL) encode(buf []byte) ([]byte, error) {
	if !j.opts.Gzip {
		return buf, nil
	}
	j.zbuf.Reset()
	if j.zw == nil {
		j.zw = gzip.NewWriter(&j.zbuf)
	} else {
		j.zw.Reset(&j.zbuf)
	}
	if _, err := j.zw.Write(buf); err != nil {
		return nil, fmt.Errorf("jsonl sink: gzip: %w", err)
	}
	if err := j.zw.Close(); err != nil {
		return nil, fmt.Errorf("jsonl sink: gzip: %w", err)
	}
	return j.zbuf.Bytes(), nil
}

// append writes and fsyncs data, or leaves the file as it was.
func (j *JSONL) append(data []byte) error {
	_, err := j.f.Write(data)
	if err == nil {
		err = j.f.Sync()
	}
	if err == nil {
		j.size += int64(len(data))
		return nil
	}
	err = fmt.Errorf("jsonl sink: write %s: %w", j.cur.path, err)
	if uerr := j.truncate(j.size); uerr != nil {
		j.failed = fmt.Errorf("%w; could not undo it, so the sink refuses further writes until reopened: %w", err, uerr)
		return j.failed
	}
	return err
}

func (j *JSONL) truncate(size int64) error {
	if err := j.f.Truncate(size); err != nil {
		return err
	}
	return j.f.Sync()
}

func truncateFile(path string, size int64) error {
	st, err := os.Lstat(path)
	if err != nil || st.Size() == size {
		return err
	}
	f, err := openOwn(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// Close closes the file; every write was already fsync'd.
func (j *JSONL) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.seen.evicted > 0 {
		j.log.Info("jsonl sink: versions forgotten by the dedup window", "path", j.opts.Path, "forgotten", j.seen.evicted)
	}
	if err := j.closeFiles(); err != nil {
		return fmt.Errorf("jsonl sink: close %s: %w", j.cur.path, err)
	}
	return nil
}

func (j *JSONL) closeFiles() error {
	var errs []error
	if j.aliases != nil {
		errs = append(errs, j.aliases.Close())
		j.aliases = nil
	}
	for _, f := range []*os.File{j.f, j.lock} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	j.f, j.lock = nil, nil
	return errors.Join(errs...)
}
