package parser

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/net/html"
)

// ErrOverBudget is wrapped, with ErrUnparsable, by the error Parse returns
// for a page whose structure would cost more than the parse budget (too
// many nodes, block elements or links, too much text) or whose parse
// passed its deadline (WithDeadline). No real page comes near the caps:
// such a page is a trap or an archive, refused whole rather than holding a
// parser for minutes. The same bytes fail the same way: do not retry it.
var ErrOverBudget = errors.New("page over the parse budget")

// The parse budget: work caps counted in one walk of the parsed tree,
// before any extraction. The three dev sets' 1,646 real pages reach at
// most 34,450 nodes, 6,454 block elements, 3,860 links and 5 MB of text
// (scripts included); the caps are four to eight times that. Extraction
// time grows with these counts (go-trafilatura's with the square of the
// paragraphs), so the caps bound it: a page at the caps parses in seconds.
const (
	MaxNodes   = 150_000
	MaxBlocks  = 50_000
	MaxAnchors = 30_000
	MaxText    = 32 << 20
	// maxExtractorBlocks is the most block elements handed to
	// go-trafilatura: it concatenates the text of every paragraph once per
	// selector it tries, so 10,000 short paragraphs cost it seconds and
	// 40,000 nearly a minute. A page with more is rendered whole by our
	// own renderer, as one with too much text is (see maxExtractorText).
	maxExtractorBlocks = 10_000
)

// work is what a parsed page holds, counted against the budget.
type work struct {
	nodes, blocks, anchors, text int
}

// measureWork counts doc's nodes, block elements, links and text bytes.
func measureWork(doc *html.Node) work {
	var w work
	walk(doc, func(n *html.Node) bool {
		w.nodes++
		switch n.Type {
		case html.TextNode:
			w.text += len(n.Data)
		case html.ElementNode:
			if isBlock(n.DataAtom) {
				w.blocks++
			}
			if n.Data == "a" {
				w.anchors++
			}
		}
		return true
	})
	return w
}

// check refuses a page over a cap, saying which.
func (w work) check() error {
	for _, c := range [...]struct {
		what       string
		got, limit int
	}{
		{"nodes", w.nodes, MaxNodes},
		{"block elements", w.blocks, MaxBlocks},
		{"links", w.anchors, MaxAnchors},
		{"bytes of text", w.text, MaxText},
	} {
		if c.got > c.limit {
			return fmt.Errorf("%w: %d %s, over the cap of %d", ErrOverBudget, c.got, c.what, c.limit)
		}
	}
	return nil
}

// WithDeadline bounds the time Parse may take: past t, it stops at the
// end of its current pass and fails with ErrOverBudget. The passes are
// Parse's own walks of the tree and go-trafilatura's extraction, which
// cannot be interrupted inside; the work caps bound that one. The parse
// stage gives the deadline of the message it handles.
func WithDeadline(t time.Time) Option {
	return func(o *options) { o.deadline = t }
}

// checkDeadline fails once the deadline has passed; after names the pass
// just finished.
func (o options) checkDeadline(after string) error {
	if !o.deadline.IsZero() && time.Now().After(o.deadline) {
		return fmt.Errorf("%w: deadline passed after %s", ErrOverBudget, after)
	}
	return nil
}
