package sink

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultFileMode is JSONLOptions.Mode when unset.
const DefaultFileMode os.FileMode = 0o640

// DefaultDedup is how many versions a JSONL sink remembers to skip
// redeliveries: about 55 MB of memory when full (see JSONLOptions.Dedup).
const DefaultDedup = 1_000_000

// JSONLOptions configures a JSONL sink.
type JSONLOptions struct {
	// Path is the file to append to or, when rotating, the directory that
	// holds the files articles-YYYYMMDD-HHMMSS.jsonl[.gz] (UTC start time;
	// "-2", "-3"… is appended when two files start in the same second).
	Path string
	// RotateSize starts a new file before a write once the current file
	// holds this many bytes (on disk, so compressed with Gzip); 0 never.
	RotateSize int64
	// RotateAge starts a new file before a write once the current file is
	// this old; 0 never.
	RotateAge time.Duration
	// Gzip writes each batch as one gzip member: every file is a valid gzip
	// stream after every write, and a crash leaves at most a torn last
	// member, which the next open truncates.
	Gzip bool
	// Dedup is how many versions (key and content hash) the sink remembers,
	// newest first, to skip what it already wrote: default DefaultDedup,
	// rebuilt from the files at open. Redeliveries are always recent (a
	// batch written but not acked), so the window only needs to be large
	// for a replay of the articles stream into an existing sink. A version
	// older than the window is written again if it comes back; the sink
	// logs a warning the first time it forgets one.
	Dedup int
	// Mode is the permission of the files the sink creates (directories
	// get the same, searchable): default DefaultFileMode. Articles are
	// readable by the owner and its group only.
	Mode os.FileMode
	// Log receives warnings; nil discards them.
	Log *slog.Logger
}

func (o JSONLOptions) rotating() bool { return o.RotateSize > 0 || o.RotateAge > 0 }

// ParseJSONLSpec parses the argument of a jsonl: sink spec, "PATH" or
// "PATH?OPTIONS" with the options
//
//	rotate=SIZE|DURATION  rotate by size (100MB, 1GiB…) or age (1h, 24h); repeat or
//	                      comma-separate to give both. PATH is then a directory.
//	gzip=1                compress (see JSONLOptions.Gzip)
//	dedup=N               versions remembered to skip redeliveries
//	mode=0640             permission of the files created (octal)
func ParseJSONLSpec(arg string) (JSONLOptions, error) {
	path, query, _ := strings.Cut(arg, "?")
	o := JSONLOptions{Path: path, Dedup: DefaultDedup}
	if path == "" {
		return o, fmt.Errorf("jsonl sink: empty path")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return o, fmt.Errorf("jsonl sink %q: options: %w", arg, err)
	}
	for key, values := range q {
		for _, v := range values {
			if err := o.set(key, v); err != nil {
				return o, fmt.Errorf("jsonl sink %q: %s=%s: %w", arg, key, v, err)
			}
		}
	}
	if !o.rotating() && strings.HasSuffix(path, "/") {
		return o, fmt.Errorf("jsonl sink %q: a directory needs rotate=SIZE or rotate=DURATION", arg)
	}
	return o, nil
}

func (o *JSONLOptions) set(key, v string) error {
	switch key {
	case "rotate":
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if d, err := time.ParseDuration(part); err == nil {
				if d <= 0 {
					return fmt.Errorf("want a positive duration")
				}
				o.RotateAge = d
				continue
			}
			n, err := ParseSize(part)
			if err != nil {
				return fmt.Errorf("want a size (100MB) or a duration (1h)")
			}
			o.RotateSize = n
		}
	case "gzip":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		o.Gzip = b
	case "dedup":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("want a positive count")
		}
		o.Dedup = n
	case "mode":
		m, err := strconv.ParseUint(v, 8, 32)
		if err != nil || m > 0o777 || m&0o600 != 0o600 {
			return fmt.Errorf("want an octal permission the owner can read and write, 0600 to 0777")
		}
		o.Mode = os.FileMode(m)
	default:
		return fmt.Errorf("unknown option (want rotate, gzip, dedup or mode)")
	}
	return nil
}

// ParseSize parses a byte count with an optional unit: B, KB, MB, GB, TB
// (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), case-insensitive.
func ParseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"b", 1},
	}
	num, mult := strings.ToLower(strings.TrimSpace(s)), int64(1)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number of bytes with an optional unit", s)
	}
	return n * mult, nil
}
