package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/parser"
)

// cmdExtract parses saved HTML files and prints one Article JSON per line,
// hubs included. It needs no NATS.
func cmdExtract(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet("extract", stderr, &o, 0)
	fs.StringVar(&o.url, "url", "", "the page's address, for resolving links and scope (default: the file's path as a file: URL)")
	contentType := fs.String("content-type", "", "Content-Type the page was served with (gives its charset)")
	if err := parseArgs(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("extract: give at least one FILE, or - for stdin")}
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var errs []error
	for _, name := range fs.Args() {
		art, err := extractFile(name, o.url, *contentType, stdin)
		if err != nil {
			// One bad file must not stop the others; its line still
			// appears, so output lines match input files.
			fmt.Fprintf(stderr, "trawler: extract %s: %v\n", name, err)
			errs = append(errs, err)
		}
		if err := enc.Encode(art); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d files failed", len(errs), fs.NArg())
	}
	return nil
}

func extractFile(name, pageURL, contentType string, stdin io.Reader) (trawler.Article, error) {
	var (
		body []byte
		err  error
	)
	if name == "-" {
		body, err = io.ReadAll(stdin)
	} else {
		body, err = os.ReadFile(name)
	}
	if pageURL == "" {
		abs, _ := filepath.Abs(name)
		pageURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	}
	if err != nil {
		return trawler.Article{URL: pageURL}, err
	}
	art, _, err := parser.Parse(trawler.Page{
		URL:         pageURL,
		FinalURL:    pageURL,
		Status:      200,
		ContentType: contentType,
		FetchedAt:   time.Now().UTC(),
		Body:        body,
	})
	if art.URL == "" {
		art.URL = pageURL
	}
	return art, err
}
