package pipeline

import (
	"fmt"
	"io"
)

// writeSection writes a section page listing links, which the parser
// takes for a hub.
func writeSection(w io.Writer, links []string) {
	fmt.Fprint(w, `<html lang="en"><head><title>Section</title></head><body><h1>Latest news</h1><ul>`)
	for _, l := range links {
		fmt.Fprintf(w, `<li><a href="%s">The full story of %s, with pictures</a></li>`, l, l)
	}
	fmt.Fprint(w, `</ul></body></html>`)
}

// writeStory writes an article page named name, published at published
// (RFC 3339; "" for none), with a related block of links if any.
func writeStory(w io.Writer, name, published string, related ...string) {
	meta := ""
	if published != "" {
		meta = `<meta property="article:published_time" content="` + published + `">`
	}
	fmt.Fprintf(w, `<html lang="en"><head><title>Story %[1]s</title><meta property="og:type" content="article">%[2]s</head><body><article><h1>Story %[1]s</h1>`, name, meta)
	for i := range 3 {
		fmt.Fprintf(w, `<p>Paragraph %d of the story %s, long enough to be prose: the harbour, its ferries and the people who use them every day, and the repairs to the breakwater.</p>`, i, name)
	}
	fmt.Fprint(w, `</article>`)
	if len(related) > 0 {
		fmt.Fprint(w, `<aside class="related"><h2>Related articles</h2><ul>`)
		for _, l := range related {
			fmt.Fprintf(w, `<li><a href="%s">The follow-up story, with everything that happened next</a></li>`, l)
		}
		fmt.Fprint(w, `</ul></aside>`)
	}
	fmt.Fprint(w, `</body></html>`)
}
