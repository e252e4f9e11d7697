package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/discover"
	"github.com/trawler/trawler/parser"
)

// cmdExtract parses saved HTML files and prints one Article JSON per line,
// hubs included. It needs no NATS.
//
// It behaves like a Unix filter: an input that gives no article (unreadable,
// empty, binary, not HTML, a feed or sitemap, over --max-body-size) is
// reported on stderr with its name and prints nothing on stdout; the other
// inputs are still extracted, and the command fails (exit status 1) at the
// end.
func cmdExtract(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("extract", args, getenv, stderr, func(cfg *config) error {
		if len(cfg.args) == 0 {
			return errors.New("extract: give at least one FILE, or - for stdin")
		}
		return nil
	})
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	in := cfg.extract
	in.stdin = stdin
	failed := 0
	for _, name := range cfg.args {
		art, err := in.extract(name)
		if err != nil {
			// One bad input must not stop the others, nor leave an empty
			// record for them.
			fmt.Fprintf(stderr, "trawler: extract %s: %v\n", displayName(name), err)
			failed++
			continue
		}
		if err := enc.Encode(art); err != nil {
			return fmt.Errorf("extract: write: %w", err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("extract: %d of %d inputs gave no article", failed, len(cfg.args))
	}
	return nil
}

// displayName is how an input is named in messages.
func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

// extractInput holds what extract applies to every input.
type extractInput struct {
	pageURL, contentType string
	maxBytes             int64
	stdin                io.Reader
}

// extract reads and parses one input ("-" is stdin).
func (in extractInput) extract(name string) (trawler.Article, error) {
	body, err := in.read(name)
	if err != nil {
		return trawler.Article{}, err
	}
	pageURL := in.pageURL
	if pageURL == "" && name != "-" {
		abs, _ := filepath.Abs(name)
		pageURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	}
	if err := checkDocument(body, in.contentType, pageURL); err != nil {
		return trawler.Article{}, err
	}
	art, _, err := parser.Parse(trawler.Page{
		URL:         pageURL,
		FinalURL:    pageURL,
		Status:      200,
		ContentType: in.contentType,
		FetchedAt:   time.Now().UTC(),
		Body:        body,
	}, parser.WithMaxPageBytes(in.maxBytes))
	if err != nil {
		return trawler.Article{}, err
	}
	return art, nil
}

// read returns the bytes of an input, refusing one over the size limit
// without reading all of it.
func (in extractInput) read(name string) ([]byte, error) {
	var r io.Reader = in.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, pathError(err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > in.maxBytes {
			return nil, tooLarge(st.Size(), in.maxBytes)
		}
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, in.maxBytes+1))
	if err != nil {
		return nil, pathError(err)
	}
	if int64(len(body)) > in.maxBytes {
		return nil, tooLarge(-1, in.maxBytes)
	}
	return body, nil
}

// pathError drops the file name from err, which the message gives first.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func tooLarge(size, limit int64) error {
	if size < 0 {
		return fmt.Errorf("%w: over the limit of %d bytes (--max-body-size); nothing extracted", parser.ErrTooLarge, limit)
	}
	return fmt.Errorf("%w: %d bytes, over the limit of %d (--max-body-size); nothing extracted", parser.ErrTooLarge, size, limit)
}

// maxSniff is how much of an input is searched for an HTML element.
const maxSniff = 64 << 10

// checkDocument refuses what extract cannot take for a page: nothing, binary
// data, a feed or sitemap (which lists articles rather than being one), and
// text without a single HTML element.
func checkDocument(body []byte, contentType, pageURL string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("empty input")
	}
	// A known binary format (image, PDF, archive…), or control bytes with a
	// NUL among them; a stray control byte in a legacy page is left to the
	// parser, which weighs them.
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	binary := mt != "application/octet-stream" || bytes.IndexByte(body[:min(len(body), maxSniff)], 0) >= 0
	if mt != "text/plain" && mt != "text/html" && mt != "text/xml" && binary {
		return fmt.Errorf("binary data (%s), not HTML", mt)
	}
	if discover.Sniff(body) {
		what := "a feed or sitemap"
		if doc, err := discover.Parse(pageURL, body); err == nil {
			what = fmt.Sprintf("%s of %d entries", feedKind(doc.Kind), len(doc.Entries))
			if len(doc.Entries) == 1 {
				what = feedKind(doc.Kind) + " of 1 entry"
			}
		}
		return fmt.Errorf("%s, not an article page: crawl it with trawler run --seed URL, or trawler seed URL", what)
	}
	if !hasHTMLElement(body) {
		return errors.New("no HTML element in it: not an HTML page")
	}
	return nil
}

// feedKind names a kind of feed for a message.
func feedKind(k discover.Kind) string {
	switch k {
	case discover.KindRSS:
		return "an RSS feed"
	case discover.KindAtom:
		return "an Atom feed"
	case discover.KindSitemap:
		return "a sitemap"
	case discover.KindSitemapIndex:
		return "a sitemap index"
	}
	return "a feed"
}

// hasHTMLElement reports whether the start of body holds a tag of an HTML
// element; UTF-16 text, which the tokenizer cannot read, is given the
// benefit of the doubt.
func hasHTMLElement(body []byte) bool {
	if bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE}) {
		return true
	}
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), maxSniff)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) != 0 {
				return true
			}
		}
	}
}
