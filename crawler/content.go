package crawler

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/discover"
)

// mediaType returns the lower-case media type of a Content-Type value,
// tolerating malformed parameters.
func mediaType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func isHTMLType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isGenericType reports media types that say nothing about the content:
// servers send them for anything, so the body decides.
func isGenericType(mt string) bool {
	switch mt {
	case "", "text/plain", "application/octet-stream", "binary/octet-stream",
		"application/unknown", "unknown/unknown", "application/x-unknown-content-type":
		return true
	}
	return false
}

// acceptableHeader is the check made before the body is read: a declared
// type that is neither HTML, XML (feeds, sitemaps) nor generic is refused
// without downloading.
func acceptableHeader(contentType string) error {
	mt := mediaType(contentType)
	if isHTMLType(mt) || isGenericType(mt) || discover.IsXMLType(mt) {
		return nil
	}
	return fmt.Errorf("content-type %q", contentType)
}

// checkBody decides on the body (at least one byte) and returns the
// Content-Type to report, the declared one or the sniffed one when none was
// declared, and the page's kind (trawler.KindHTML or trawler.KindFeed), which
// no later stage decides again. HTML declared as such passes unless the bytes are recognisably
// binary; XML must be a feed or sitemap (see package discover); anything
// declared generically must sniff as HTML or be a feed or sitemap.
func checkBody(contentType string, body []byte) (ct, kind string, err error) {
	sniffed := http.DetectContentType(body) // looks at 512 bytes at most
	mt := mediaType(contentType)
	switch {
	case isHTMLType(mt):
		if smt := mediaType(sniffed); !strings.HasPrefix(smt, "text/") && smt != "application/octet-stream" {
			return "", "", fmt.Errorf("declared %q but content is %s", contentType, smt)
		}
		return contentType, trawler.KindHTML, nil
	case discover.IsXMLType(mt):
		if !discover.Sniff(body) {
			return "", "", fmt.Errorf("content-type %q, not a feed or sitemap", contentType)
		}
		return contentType, trawler.KindFeed, nil
	case isGenericType(mt) && discover.Sniff(body):
		if contentType == "" {
			return "application/xml", trawler.KindFeed, nil
		}
		return contentType, trawler.KindFeed, nil
	case isGenericType(mt):
		if mediaType(sniffed) != "text/html" {
			return "", "", fmt.Errorf("content-type %q, content is %s", contentType, mediaType(sniffed))
		}
		if contentType == "" {
			return sniffed, trawler.KindHTML, nil
		}
		return contentType, trawler.KindHTML, nil
	}
	return "", "", fmt.Errorf("content-type %q", contentType)
}
