package sitetest

import (
	"fmt"
	"net/http"
	"strings"
)

// robotsTxt disallows DisallowedPath for every crawler (and everything for one
// named bot, so that a parser must pick the right group).
const robotsTxt = `# robots.txt for The Harbour Herald
User-agent: BadBot
Disallow: /

User-agent: *
Disallow: ` + disallowedPrefix + `
`

// pdfBytes is the body of PDFPath: a tiny one-page PDF.
const pdfBytes = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n" +
	"%%EOF\n"

const (
	oversizeHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The complete archive, 1990–2024 | The Harbour Herald</title>
<meta property="og:type" content="article">
<meta property="og:title" content="The complete archive, 1990–2024">
<meta property="og:site_name" content="The Harbour Herald">
<meta property="article:published_time" content="2024-12-31T12:00:00Z">
</head>
<body>
<article>
<h1>The complete archive, 1990–2024</h1>
<div class="story-body">
`
	oversizeTail = "</div>\n</article>\n</body>\n</html>\n"
	// oversizeChunk is how many bytes are written between flushes.
	oversizeChunk = 32 << 10
)

// serveOversize streams exactly s.OversizeBytes of article-shaped HTML,
// flushing every oversizeChunk bytes, without a Content-Length. It stops when
// the client goes away.
func (s *Site) serveOversize(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	rc := http.NewResponseController(w)
	left := max(s.OversizeBytes, 0)
	buf := make([]byte, 0, oversizeChunk)
	// emit appends up to left bytes of p and writes out full chunks. It
	// reports false once the client is gone.
	emit := func(p string) bool {
		p = p[:min(len(p), left)]
		left -= len(p)
		buf = append(buf, p...)
		if len(buf) < oversizeChunk && left > 0 {
			return true
		}
		if _, err := w.Write(buf); err != nil {
			return false
		}
		buf = buf[:0]
		return rc.Flush() == nil
	}
	if !emit(oversizeHead) {
		return
	}
	for i := 1; left > len(oversizeTail); i++ {
		entry := fmt.Sprintf("<p>Archive entry %07d: harbour notices, shipping movements, fish prices and weather reports for the day, as printed.</p>\n", i)
		if n := left - len(oversizeTail); len(entry) > n {
			entry = strings.Repeat(" ", n) // pad to the exact size
		}
		if !emit(entry) {
			return
		}
	}
	emit(oversizeTail)
}
