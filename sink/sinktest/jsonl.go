package sinktest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/trawler/trawler/sink"
)

// JSONL returns a target for a JSONL sink in a temporary directory of the
// test, opened with opts (Path is set here: a file, or a directory when
// opts rotate).
func JSONL(t *testing.T, opts sink.JSONLOptions) Target {
	dir := t.TempDir()
	opts.Path = filepath.Join(dir, "articles.jsonl")
	if opts.RotateSize > 0 || opts.RotateAge > 0 {
		opts.Path = filepath.Join(dir, "articles")
	}
	return Target{
		Open: func(context.Context) (sink.Sink, error) { return sink.OpenJSONL(opts) },
		Read: func(context.Context) (Contents, error) {
			var c Contents
			if _, err := os.Stat(opts.Path); os.IsNotExist(err) {
				return c, nil
			}
			arts, err := sink.ReadJSONL(opts.Path)
			if err != nil {
				return c, err
			}
			c.Versions, c.Current = arts, Latest(arts)
			c.State, err = digestFiles(dir)
			return c, err
		},
	}
}

// digestFiles hashes the names and contents of every file under dir.
func digestFiles(dir string) (string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		io.WriteString(h, p+"\x00")
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
