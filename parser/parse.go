// Package parser turns fetched pages into articles and the links worth
// following.
//
// Parse is pure: bytes in, an Article and links out, no I/O and no shared
// state, so workers may call it concurrently. The work is split as follows:
//
//   - charset.go decodes the bytes (BOM, valid UTF-8, header, <meta>,
//     detection) and golang.org/x/net/html parses them once;
//   - meta.go and jsonld.go read the page's own metadata (OpenGraph,
//     article:*, Dublin Core, microdata, JSON-LD with @graph and @id
//     references); title.go, pubdate.go, fields.go and language.go turn it
//     into fields, structured data first;
//   - blocks.go and layout.go find what is not the article (comments,
//     tickers, "read also", related lists, share bars, footers) by tag,
//     role, class and heading text in many languages; related.go reads the
//     related links from those blocks and prune.go cuts them all out;
//   - extract.go hands the pruned tree to go-trafilatura, which finds the
//     main text (its fallback only when the first pass is short), renders
//     it as paragraphs and drops a second copy of the story; tail.go trims
//     template lines and teaser lists from the end; labels.go drops the
//     datelines (labels, bylines, reading times) at either end;
//   - options.go holds the one page size limit: a larger page is refused
//     whole (ErrTooLarge), never parsed in part;
//   - stream.go moves the late segments of a streamed React page into
//     their placeholders, as the page's scripts do;
//   - byline.go reads the visible byline when metadata names no author;
//     hijri.go keeps Hijri dates from being read as Gregorian;
//   - source.go reads the credited original publisher ("المصدر: الحرة"),
//     which stays in the body as published; hub.go tells articles from
//     listing pages.
package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/urlnorm"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrUnparsable is wrapped by every error Parse returns. The same bytes will
// never parse, so a worker should not retry the page.
var ErrUnparsable = errors.New("unparsable page")

// Parse turns a fetched page into an Article and the links worth following.
// Pure: no I/O, no globals, safe for concurrent use.
//
// For an article page the links are its Related links followed by the other
// links on the page that look like articles and the links in its text; for
// a hub (home, section or tag listing) they are all the page's links and
// the Article carries only the page-level fields. Links are absolute,
// normalized and deduplicated, titled with their anchor text; scope and
// depth are the caller's to filter.
//
// A page is parsed whole or not at all: one larger than the limit
// (DefaultMaxPageBytes, or WithMaxPageBytes) fails with ErrTooLarge.
func Parse(p trawler.Page, opts ...Option) (art trawler.Article, links []trawler.Link, err error) {
	pageURL := p.FinalURL
	if pageURL == "" {
		pageURL = p.URL
	}
	defer func() {
		if r := recover(); r != nil {
			art, links = trawler.Article{}, nil
			err = fmt.Errorf("parse %s: %w: panic: %v", pageURL, ErrUnparsable, r)
		}
	}()
	art, links, err = parse(p, pageURL, newOptions(opts))
	if err != nil {
		return trawler.Article{}, nil, fmt.Errorf("parse %s: %w: %w", pageURL, ErrUnparsable, err)
	}
	return art, links, nil
}

func parse(p trawler.Page, pageURL string, o options) (trawler.Article, []trawler.Link, error) {
	if err := checkContentType(p.ContentType); err != nil {
		return trawler.Article{}, nil, err
	}
	if err := o.checkSize(p.Body); err != nil {
		return trawler.Article{}, nil, err
	}
	text, _ := decodeHTML(p.Body, p.ContentType)
	if strings.TrimSpace(text) == "" {
		return trawler.Article{}, nil, errors.New("empty body")
	}
	if isBinary(text) {
		return trawler.Article{}, nil, errors.New("body is not text")
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return trawler.Article{}, nil, err // already says "html: …"
	}
	if strings.Contains(text, `hidden id="S:`) { // React's streamed segments, rare: skip the walk
		placeStreamedSegments(doc)
	}
	w := measureWork(doc)
	if err := w.check(); err != nil {
		return trawler.Article{}, nil, err
	}
	if err := o.checkDeadline("reading the page"); err != nil {
		return trawler.Article{}, nil, err
	}

	if n, err := urlnorm.Normalize(pageURL); err == nil {
		pageURL = n
	}
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		u = nil
	}
	m := collectMeta(doc)
	base := baseURL(u, m.base)
	siteNames := siteNameCandidates(m, u)

	lay := newLayout(doc)
	art := trawler.Article{
		URL:          pageURL,
		CanonicalURL: canonicalURL(m, base, u),
		Title:        chooseTitle(m, siteNames, lay.shownTexts(doc), u),
		Authors:      []string{},
		SiteName:     siteName(m, u),
		Description:  description(m),
		Image:        image(m, base),
		Tags:         []string{},
		Related:      []trawler.Link{},
		Aliases:      []string{},
		FetchedAt:    p.FetchedAt,
		Depth:        p.Depth,
	}

	blocks := findBlocks(doc, lay)
	anchors := collectAnchors(doc, base)
	self := []string{pageURL, art.CanonicalURL}
	related := relatedLinks(blocks, anchors, u, self...)
	if err := o.checkDeadline("the page's regions and links"); err != nil {
		return trawler.Article{}, nil, err
	}
	shown := shownDates{
		times:    articleTimes(doc, blocks),
		blocks:   datedBlocks(blocks),
		footers:  footerBlocks(blocks),
		headline: headlineShownDate(doc, blocks, art.Title, p.FetchedAt),
		page:     text,
	}
	var sig pageSignals
	meter := newTreeMeter(lay, p.FetchedAt)
	pre := meter.measure(doc, true)
	sig.otherKinds(m, pre)
	prune(blocks)
	post := meter.measure(doc, false)
	art.Published, art.Modified = pageDates(m, doc, shown, u, p.FetchedAt)
	if err := o.checkDeadline("the dates"); err != nil {
		return trawler.Article{}, nil, err
	}

	headlines := headlineSet(anchors)
	paras := dropDateLines(dropTitle(dropRepeats(extractParagraphs(doc, u, w.blocks > maxExtractorBlocks)), art.Title))
	if err := o.checkDeadline("the extraction"); err != nil {
		return trawler.Article{}, nil, err
	}
	sig.prose(paras, headlines)
	sig.linkedHeadings, sig.cards, sig.bodyHeadings = post.linkedHeadings, post.cards, post.headings
	sig.cardParas, sig.paras = post.cardParas, post.paras
	metaAuthors := authors(m)
	pageAuthors := metaAuthors // read before the tail trim, which cuts their bios
	if len(pageAuthors) == 0 {
		pageAuthors = cleanAuthors(bylineAuthors(doc))
	} else if creditsSite(pageAuthors, siteNames) {
		if shown := bylineOverSite(cleanAuthors(bylineAuthors(doc)), siteNames); shown != nil {
			pageAuthors = shown
		}
	}
	sig.articleEvidence(m, u, meter, pre, post, shown.headline, metaAuthors, pageAuthors, p.FetchedAt)
	art.PageType = classify(sig)

	if art.PageType == trawler.PageArticle {
		art.Authors = pageAuthors
		paras = dropPictureCredits(dropTitleEcho(trimTail(dropBylines(paras, art.Authors), headlines, art.Authors), art.Title))
	}
	// Every page keeps the text found as its body, whatever its type: the
	// type decides what the pipeline does with it (only articles are
	// written), and `trawler extract` still shows a forum thread's or a
	// documentation page's text.
	body := strings.Join(paras, "\n\n")
	sample := body
	if art.PageType != trawler.PageArticle {
		// A listing's extracted text is teasers; the whole page says more
		// of its language.
		sample = textOf(lay.body, detectSample)
	}
	art.Language = chooseLanguage(declaredLanguage(m), sample)
	art.Body = body
	sum := sha256.Sum256([]byte(body))
	art.ContentHash = hex.EncodeToString(sum[:])

	if art.PageType != trawler.PageArticle {
		return art, hubLinks(anchors, self...), nil
	}
	art.Tags = tags(m)
	art.Source = findSource(paras)
	art.Related = related
	inBody := inBodyFunc(body, lay)
	return art, pageLinks(related, anchors, inBody, self...), nil
}

// baseURL resolves <base href> against the page URL.
func baseURL(page *url.URL, href string) *url.URL {
	if href = strings.TrimSpace(href); href == "" || page == nil {
		return page
	}
	b, err := page.Parse(href)
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") {
		return page
	}
	return b
}

// checkContentType refuses responses that declare something other than a
// document; an empty or unparsable header is given the benefit of the doubt.
func checkContentType(ct string) error {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.Contains(mt, "html"), strings.Contains(mt, "xml"),
		mt == "application/octet-stream":
		return nil
	}
	return fmt.Errorf("content type %q is not a document", mt)
}

// isBinary reports text whose start is mostly control characters or
// replacement characters: an image or archive served as a page.
func isBinary(text string) bool {
	bad, n := 0, 0
	for _, r := range text {
		if n == 2048 {
			break
		}
		n++
		if r == '\uFFFD' || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f') {
			bad++
		}
	}
	return bad*10 > n
}

// inBodyFunc reports anchors that sit in the extracted article text: their
// enclosing block's text is part of the body.
func inBodyFunc(body string, lay *layout) func(*anchor) bool {
	flat := normalizeSpace(body)
	return func(a *anchor) bool {
		if flat == "" {
			return false
		}
		blk := a.node.Parent
		for blk != nil && blk.Type == html.ElementNode && !isBlock(blk.DataAtom) {
			blk = blk.Parent
		}
		if blk == nil || blk.DataAtom == atom.Body || lay.textLen[blk] < 40 || lay.textLen[blk] > 4000 {
			return false
		}
		return strings.Contains(flat, textOf(blk, 4000))
	}
}
