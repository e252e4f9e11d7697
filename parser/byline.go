package parser

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds of a byline read from the page text.
const (
	maxBylineText   = 80 // bytes of the element holding the name
	maxAuthorWords  = 6  // words of one name
	maxBylineVisits = 4000
)

// authorClassWords mark elements that hold an author's name.
var authorClassWords = map[string]bool{
	"author": true, "authors": true, "byline": true, "author-name": true, "authorname": true,
	"writer": true, "by-author": true, "post-author": true, "entry-author": true, "article-author": true,
	"contributor": true, "reporter": true, "posted-by": true,
}

// authorLabels are the words that label an author's name ("Autor: …"),
// as a regexp alternation.
const authorLabels = `author|autor|autorin|auteur|autore|autora`

// rxBylineText is a short text that opens with a byline word and a name:
// "By Jane Doe", "بقلم: سامي", "Von Anna Weber".
var rxBylineText = regexp.MustCompile(`^(?:(?:By|BY|by|Von|von|Par|par|Por|por|بقلم|كتب|كتبت|Written by|Words by|Text von|erstellt von|geschrieben von|escrito por|rédigé par)\s*[:：]?\s+|(?i:` + authorLabels + `)\s*[:：]\s*)(\S.*)$`)

// rxDatedByline is a dateline that names its author after the date, as
// blog templates print it: "Posted on May 3, 2024 by Jane Doe",
// "Publié le 3 mai 2024 par Marie Dupont", "am 3. Mai 2024, 10:15 von
// Max Muster". The part before the byline word ends in a year and must
// hold a whole date (see datedByline), so that a sentence is not taken for
// one.
var rxDatedByline = regexp.MustCompile(`^([^©]{0,40}(?:\b(?:19|20)\d\d|[١٢][٠-٩]{3})(?:,?\s*(?:at|um|à|a las)?\s*\d{1,2}[:.h]\d\d(?:\s*[ap]\.?m\.?)?)?)\s*[,|·•–—-]?\s*(?:by|By|BY|von|par|por|di|بقلم)\s*[:：]?\s+(\S.*)$`)

// datedByline returns the author a dateline names after its date (see
// rxDatedByline), "" when t is not one: what precedes the byline word must
// hold a whole date (a day, a month and a year), and no copyright.
func datedByline(t string) string {
	m := rxDatedByline.FindStringSubmatch(t)
	if m == nil || strings.Contains(strings.ToLower(m[1]), "copyright") {
		return ""
	}
	if _, ok := findDate(m[1]); !ok {
		return ""
	}
	if name := cutAtDate(m[2]); plausibleName(name) {
		return name
	}
	return ""
}

// rxNotAName rejects byline texts that are labels, dates or UI, not names.
var rxNotAName = regexp.MustCompile(`(?i)^(?:about the author|the author|author|authors|written by|by|posted by|posted|share|follow|contact|more from|view all|all posts|updated|published|reviewed|fact checked|learn more|read more|(?:view|see|full) (?:profile|bio)|read (?:the )?bio|profile$)\b|^\d|staff writer$`)

// bylineAuthors reads the authors the page shows in its byline when its
// metadata names none: rel=author links, then short elements whose class
// says author or byline, then a short "By Jane Doe" text. It runs on the
// pruned document, so comment authors are gone.
func bylineAuthors(doc *html.Node) []string {
	var relAuthor, classAuthor, byText, profile string
	visits := 0
	walk(doc, func(n *html.Node) bool {
		if visits++; visits > maxBylineVisits || (relAuthor != "" && classAuthor != "" && byText != "") {
			return false
		}
		if isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode {
			return true
		}
		if n.DataAtom == atom.A && relAuthor == "" && hasWord(strings.ToLower(attr(n, "rel")), "author") {
			relAuthor = nameText(n)
			return false
		}
		if classAuthor == "" && isAuthorElement(n) {
			if t := firstName(n); t != "" {
				classAuthor = t
				return false
			}
		}
		if n.DataAtom == atom.A && profile == "" && profileLink(attr(n, "href")) {
			profile = profileName(n)
		}
		if byText == "" && isBylineWord(textOf(n, 12)) {
			// <span>By</span><span>Daryl Austin</span>, <h5>Autor: </h5>Peter Maahn
			if t := nextName(n); t != "" {
				byText = cutAtDate(t)
			}
		}
		if byText == "" && (isBlock(n.DataAtom) || n.DataAtom == atom.Span) {
			if t := textOf(n, maxBylineText+1); len(t) <= maxBylineText {
				if m := rxBylineText.FindStringSubmatch(t); m != nil && plausibleName(cutAtDate(m[1])) {
					byText = cutAtDate(m[1])
				} else if name := datedByline(t); name != "" {
					byText = name
				}
			}
		}
		return true
	})
	for _, a := range []string{relAuthor, classAuthor, byText, profile} {
		if a != "" {
			return []string{a}
		}
	}
	return nil
}

// authorFolders are the folders of author profile pages: /author/jane-doe,
// /blog/authors/jane-doe, /autor/jane-doe.
var authorFolders = map[string]bool{
	"author": true, "authors": true, "autor": true, "autoren": true, "auteur": true, "auteurs": true, "autore": true, "autori": true, "autores": true,
}

// profileLink reports a link to an author's profile page, as blog and news
// systems link the byline's name: a path ending in an author folder and
// one name (WordPress's /author/jane-doe/). An author index (/authors/) is
// not one.
func profileLink(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	n := len(parts)
	return n >= 2 && authorFolders[strings.ToLower(parts[n-2])] && parts[n-1] != ""
}

// rxAllBy opens the text of a link to all of an author's articles: "Alle
// Artikel von Tanja Karrasch", "More stories by Jane Doe".
var rxAllBy = regexp.MustCompile(`(?i)^(?:all|alle|more|mehr|weitere|read more|see all|view all|tous les|todos los)\s+(?:(?:articles?|artikel|beiträge|posts|stories|articles|artículos)\s+)?(?:by|from|von|de|par|por)\s+`)

// profileName is the name a link to an author's profile shows: its first
// text piece that reads as a name (a screen reader's copy of it may
// follow), without an "all articles by" before it.
func profileName(a *html.Node) string {
	if t := textOf(a, maxBylineText+1); len(t) <= maxBylineText {
		if m := rxAllBy.FindStringIndex(t); m != nil {
			if name := cutAtDate(t[m[1]:]); plausibleName(name) {
				return name
			}
			return ""
		}
	}
	return firstName(a)
}

// isAuthorElement reports an element whose class, id or itemprop names an
// author, not a comment's or a bio box's heading, or an element of a
// publishing system's own markup (<byline>, <author>).
func isAuthorElement(n *html.Node) bool {
	if n.DataAtom == 0 && (n.Data == "byline" || n.Data == "author") {
		return true
	}
	for _, key := range [...]string{"class", "id"} {
		for _, w := range strings.Fields(strings.ToLower(attr(n, key))) {
			if authorClassWords[w] || hasAnySuffix(w, "__author", "-author", "_author", "author-name", "-byline", "_byline", "__byline") ||
				(strings.HasSuffix(w, "__name") && strings.Contains(w, "author")) {
				return !strings.Contains(w, "comment")
			}
		}
	}
	return false
}

// firstName returns the first text piece under n that reads as a name:
// in "<span>By</span><a>Jane Doe</a><time>June 3</time>" the pieces are
// separate, and joining them would glue the date to the name.
func firstName(n *html.Node) string {
	whole := textOf(n, maxBylineText+1)
	short := len(whole) <= maxBylineText
	if t := withoutBylineWord(whole); short && plausibleName(t) && !hasElementChildren(n) {
		return t
	}
	var found string
	steps := 0
	walk(n, func(c *html.Node) bool {
		if steps++; found != "" || steps > 200 || isInvisible(c) {
			return false
		}
		if c.Type == html.TextNode {
			if t := withoutBylineWord(normalizeSpace(c.Data)); len(t) <= maxBylineText && plausibleName(t) {
				found = t
			}
		}
		return true
	})
	if found == "" && short {
		found = nameBeforeDate(withoutBylineWord(whole))
	}
	return found
}

// withoutBylineWord is t without the byline word it opens with ("By Jane
// Doe", "Autor: Jane Doe"), or t.
func withoutBylineWord(t string) string {
	if m := rxBylineText.FindStringSubmatch(t); m != nil {
		return m[1]
	}
	return t
}

// rxDateConnector is the word joining a name to the date after it: "R. R.
// am 26.02.2014", "Jane Doe on 3 June".
var rxDateConnector = regexp.MustCompile(`(?i)[\s,;|·•–—-]*(?:\s(?:am|on|le|el|il))?[\s,;|·•–—-]*$`)

// nameBeforeDate returns the name that opens a short byline text holding a
// whole date after it ("Janic Cathomen, 01.12.2021"), or "". It must read
// as a person's name (see personName): a dateline's weekday ("Sat, 20
// Dec") is not one.
func nameBeforeDate(t string) string {
	_, pos, _, ok := findDateSpan(t)
	if !ok || pos <= 0 {
		return ""
	}
	if name := rxDateConnector.ReplaceAllString(t[:pos], ""); plausibleName(name) && personName(name) {
		return name
	}
	return ""
}

func hasElementChildren(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return true
		}
	}
	return false
}

// nameText is the short text of an element, when it can be a name.
func nameText(n *html.Node) string {
	t := withoutBylineWord(textOf(n, maxBylineText+1))
	if len(t) > maxBylineText || !plausibleName(t) {
		return ""
	}
	return t
}

// cutAtDate drops what follows a name in a byline: "Jane Doe | June 3",
// "Jane Doe, Updated…", "Jane Doe on 3 June".
func cutAtDate(s string) string {
	for _, sep := range []string{" | ", " • ", " · ", " - ", " — ", " on ", " Updated", " Published", " Posted"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(strings.TrimRight(s, ",;"))
}

// plausibleName reports text that can be a person's or desk's name: one to
// maxAuthorWords words, no digits at its start, not a label.
func plausibleName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || !hasLetter(s) || isBylineWord(s) || rxNotAName.MatchString(s) || strings.Contains(s, "://") || strings.Contains(s, "@") {
		return false // "|", "von": the byline's punctuation or its opening word, the name being in the next piece
	}
	if strings.HasSuffix(s, ":") || isBylineWord(lastWord(s)) {
		return false // a label: "Autor:", "Rezept von"
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	w := wordCount(s)
	return digits < 2 && w >= 1 && w <= maxAuthorWords
}

// lastWord returns the last space-separated word of s.
func lastWord(s string) string {
	return s[strings.LastIndexAny(s, " \u00a0")+1:]
}

// hasLetter reports text with a letter in it, in any script.
func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// isBylineWord reports an element whose whole text is "By" (or its
// equivalent), the name being in the next element.
func isBylineWord(t string) bool {
	switch strings.ToLower(strings.TrimRight(t, ":： ")) {
	case "by", "von", "par", "por", "بقلم", "كتب", "written by", "words by", "posted by", "article by", "story by", "beitrag von", "artikel von", "text von", "erstellt von", "geschrieben von", "escrito por", "rédigé par",
		"author", "autor", "autorin", "auteur", "autore", "autora":
		return true
	}
	return false
}

// nextName returns the name that follows a byline word in n's next
// sibling: an element, or text.
func nextName(n *html.Node) string {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		switch {
		case s.Type == html.ElementNode:
			return nameText(s)
		case s.Type == html.TextNode && strings.TrimSpace(s.Data) != "":
			if t := normalizeSpace(s.Data); len(t) <= maxBylineText && plausibleName(cutAtDate(t)) {
				return t
			}
			return ""
		}
	}
	return ""
}

// nextElement returns the element sibling after n, if any.
func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}
