package parser

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Labels that introduce a publication or an update date in text, folded
// by foldArabic and lower-cased, longest first where one begins another:
// Arabic, English, French, German, Spanish, Italian, Portuguese, Dutch,
// Polish, the Scandinavian languages, Finnish, Turkish, Russian, Japanese
// and Chinese. A label counts at the start of an element's text or before
// a separator ("Datum: 12.03.2019"), and never inside a word.
const (
	publishedLabels = `تاريخ النشر|نشر بتاريخ|نشر في|تم النشر|تاريخ الاضافه|التاريخ|` +
		`first published|published on|published|posted on|posted|date|` +
		`date de publication|publié le|publié|` +
		`veröffentlichungsdatum|veröffentlicht am|veröffentlicht|erscheinungsdatum|erschienen am|erschienen|publiziert am|publiziert|datum|` +
		`fecha de publicación|publicado el|publicado en|publicado|fecha|` +
		`data di pubblicazione|pubblicato il|pubblicato|data|` +
		`gepubliceerd op|gepubliceerd|geplaatst op|` +
		`data publikacji|opublikowano|publicerad|publiceret|udgivet|julkaistu|yayınlanma tarihi|yayınlanma|` +
		`дата публикации|опубликовано|公開日|投稿日|掲載日|发布时间|发布日期|发表于`
	modifiedLabels = `اخر تحديث|تاريخ التحديث|تم التحديث|` +
		`last updated|updated on|updated|last modified|modified|` +
		`dernière mise à jour|mise à jour le|mise à jour|mis à jour le|mis à jour|dernière modification|` +
		`letzte aktualisierung|aktualisiert am|aktualisiert|letzte änderung|zuletzt geändert|geändert am|` +
		`última actualización|actualizado el|actualizado|ultimo aggiornamento|aggiornato il|aggiornato|` +
		`atualizado em|atualizado|bijgewerkt op|bijgewerkt|laatst gewijzigd|zaktualizowano|aktualizacja|` +
		`uppdaterad|opdateret|oppdatert|päivitetty|güncellenme|güncellendi|обновлено|изменено|更新日|更新时间`
)

var (
	rxPublishedLabel = regexp.MustCompile(`(?:^|[^\p{L}])(` + publishedLabels + `)\s*(:|：|-|–|\||في)?\s*`)
	rxModifiedLabel  = regexp.MustCompile(`(?:^|[^\p{L}])(` + modifiedLabels + `)\s*(:|：|-|–|\|)?\s*`)

	// rxPublishedOnly finds a label that names the publication itself.
	rxPublishedOnly = regexp.MustCompile(`(?:^|[^\p{L}])(تاريخ النشر|نشر بتاريخ|نشر في|تم النشر|published|posted|publié|veröffentlicht|publicado|publiziert|erschienen|pubblicato|gepubliceerd|opublikowano|publicerad|опубликовано)`)

	// rxURLDate finds /2024/07/25/, /2024-07-25/ or, as The Guardian and
	// Sitecore sites file stories, /2023/oct/03/ in a URL path (see
	// urlMonth).
	rxURLDate = regexp.MustCompile(`(?i)/((?:19|20)\d{2})[/-]([01]?\d|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)[/-]([0-3]?\d)(?:/|[-_]|$)`)
)

// urlMonth is the month of rxURLDate's second group: a number, or an
// English month's name or its first three letters.
func urlMonth(s string) int {
	if s[0] >= '0' && s[0] <= '9' {
		return atoi(s)
	}
	return strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(s[:3]))/3 + 1
}

// maxLabelText bounds the text of an element searched for a labelled date:
// a byline, not a paragraph.
const maxLabelText = 200

// timeElementDate reads <time> elements (the datetime attribute, else the
// text), preferring one marked pubdate, else the first. A <time> shown as
// an update ("Updated <time>…</time>") is not the publication.
func timeElementDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var firstT time.Time
	for _, n := range elements(doc, atom.Time) {
		if shownAsUpdate(n) {
			continue
		}
		v := attr(n, "datetime")
		if v == "" {
			v = textOf(n, 100)
		}
		t, found := parseDate(v)
		// "<time datetime=…>Publié le 29 juin 2019</time>": the page's
		// labelled words say the publication, the attribute may hold a
		// later save.
		if lt := afterLabel(strings.ToLower(foldArabic(textOf(n, 100))), rxPublishedLabel, ok); !lt.IsZero() {
			t, found = lt, true
		}
		if !found || !ok(t) {
			continue
		}
		if hasAttr(n, "pubdate") {
			return t
		}
		if firstT.IsZero() {
			firstT = t
		}
	}
	return firstT
}

// shownAsUpdate reports a <time> marked as the modification (see
// markedUpdate) or whose text, or its parent's short text, carries an
// update label.
func shownAsUpdate(n *html.Node) bool {
	if markedUpdate(n) {
		return true
	}
	for _, e := range []*html.Node{n, n.Parent} {
		if e == nil {
			continue
		}
		if text, short := bareText(e); short && saysUpdated(text) {
			return true
		}
	}
	return false
}

// labelledDates scans short elements for "Published: <date>" and
// "Updated: <date>" in document order.
func labelledDates(doc *html.Node, ok func(time.Time) bool) (pub, mod time.Time) {
	walk(doc, func(n *html.Node) bool {
		if !pub.IsZero() && !mod.IsZero() {
			return false
		}
		if isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode || n.FirstChild == nil {
			return true
		}
		text := textOf(n, maxLabelText+1)
		if utf8.RuneCountInString(text) > maxLabelText {
			return true // too long to be a byline; look inside
		}
		if !hasDigit(text) {
			return false // no date here, nor in the elements inside
		}
		s := strings.ToLower(foldArabic(text))
		// A byline "By Ann Lee Published March 9, 2026" runs the name into
		// the label, which then opens no text: its own element, inside,
		// still does. Look inside when a label was seen but gave no date.
		var seenPub, seenMod bool
		if pub.IsZero() {
			pub, seenPub = labelDate(s, rxPublishedLabel, ok)
			seenPub = seenPub && pub.IsZero()
		}
		if mod.IsZero() {
			mod, seenMod = labelDate(s, rxModifiedLabel, ok)
			seenMod = seenMod && mod.IsZero()
		}
		return seenPub || seenMod
	})
	return pub, mod
}

// rxPublishedPhrase finds the sentences blog templates close a post with,
// which name the publication in the middle of the text: "This entry was
// posted on Saturday, December 3rd, 2011", "Dieser Beitrag wurde am 3.
// Dezember 2011 veröffentlicht", "Publié le 29 juin 2019 par". The date
// follows the phrase, or, in German, sits between "am" and the verb.
var (
	rxPublishedPhrase = regexp.MustCompile(`(?:^|[^\p{L}])(?:was posted on|was published on|posted on|published on|veröffentlicht am|publiziert am|erschienen am|publié le|publicado el|pubblicato il|gepubliceerd op)\s`)
	rxGermanPublished = regexp.MustCompile(`(?:^|[^\p{L}])am\s(.{6,80}?)\s(?:veröffentlicht|publiziert|erschienen)`)
)

// maxPhraseText bounds the text of an element searched for a publication
// phrase: a template's closing sentence, not an article.
const maxPhraseText = 400

// phraseDate takes the date of the first short element (see
// maxPhraseText) whose text names the publication in a sentence (see
// rxPublishedPhrase), in the pruned document and then in the blocks
// pruning cut (a post's closing "postmetadata" line), for pages that give
// no date otherwise.
func phraseDate(roots []*html.Node, ok func(time.Time) bool) time.Time {
	var found time.Time
	for _, r := range roots {
		if found.IsZero() {
			found = phraseDateIn(r, ok)
		}
	}
	return found
}

func phraseDateIn(doc *html.Node, ok func(time.Time) bool) time.Time {
	var found time.Time
	walk(doc, func(n *html.Node) bool {
		if !found.IsZero() || isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode || n.FirstChild == nil {
			return true
		}
		text := textOf(n, maxPhraseText+1)
		if len(text) > maxPhraseText {
			return true
		}
		s := strings.ToLower(text)
		var rest string
		if loc := rxPublishedPhrase.FindStringIndex(s); loc != nil {
			rest = s[loc[1]:]
		} else if m := rxGermanPublished.FindStringSubmatch(s); m != nil {
			rest = m[1]
		} else {
			return false // no phrase anywhere inside
		}
		if len(rest) > 80 {
			rest = rest[:80]
		}
		if t, f := unlabelledDate(rest); f && ok(t) {
			found = t
		}
		return false
	})
	return found
}

// afterLabel parses the date that follows a label in s. The label must open
// the text or carry a separator, so "date" inside a sentence is no label.
func afterLabel(s string, rx *regexp.Regexp, ok func(time.Time) bool) time.Time {
	t, _ := labelDate(s, rx, ok)
	return t
}

// labelDate is afterLabel that also reports whether s holds the label at
// all, taken or not.
func labelDate(s string, rx *regexp.Regexp, ok func(time.Time) bool) (time.Time, bool) {
	ms := rx.FindAllStringSubmatchIndex(s, 4)
	for _, m := range ms {
		if r, _ := utf8.DecodeRuneInString(s[m[3]:]); unicode.IsLetter(r) {
			continue // "data" in "database", "date" in "dated"
		}
		atStart := strings.TrimSpace(s[:m[2]]) == "" || strings.ContainsAny(s[max(0, m[2]-3):m[2]], "|•·")
		hasSep := m[4] >= 0
		if !atStart && !hasSep {
			continue
		}
		rest := s[m[1]:]
		if len(rest) > 80 {
			rest = rest[:80]
		}
		if t, found := findDate(rest); found && ok(t) {
			return t, true
		}
	}
	return time.Time{}, len(ms) > 0
}

// unlabelledDate finds a date in text that does not announce it as an
// update: only the text before an update label is read, so "Last updated:
// Dec 12, 2025" gives none and "Published March 9 · Updated March 10"
// gives March 9. A modification is never taken as the publication.
func unlabelledDate(text string) (time.Time, bool) {
	return findDate(beforeUpdate(text))
}

// beforeUpdate returns text, folded, up to its first update label.
func beforeUpdate(text string) string {
	s := strings.ToLower(foldArabic(text))
	if loc := rxModifiedLabel.FindStringIndex(s); loc != nil {
		return s[:loc[0]]
	}
	return s
}

// saysUpdated reports text whose date is an update: an update label comes
// before any date, and no publication label is there. The <time> inside
// "Updated <time>…</time>" is then the update too, so searches do not look
// inside; in "Updated Mar 10 · Published Mar 9" they do.
func saysUpdated(text string) bool {
	s := strings.ToLower(foldArabic(text))
	loc := rxModifiedLabel.FindStringIndex(s)
	if loc == nil || rxPublishedOnly.MatchString(s) {
		return false
	}
	_, dated := findDate(s[:loc[0]])
	return !dated
}

// markedUpdate reports an element the markup marks as the modification
// date: microdata itemprop="dateModified", or the hAtom class "updated"
// (or "modified") without "published", as WordPress themes mark the
// update beside the publication: <time class="updated"
// itemprop="dateModified">. Themes that mark one date "entry-date published
// updated" mark the publication.
func markedUpdate(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	ip := strings.ToLower(attr(n, "itemprop"))
	if hasWord(ip, "datemodified") || hasWord(ip, "dateupdated") {
		return true
	}
	var updated, published bool
	for _, t := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		switch t {
		case "updated", "modified", "date-modified", "updated-date", "date-updated":
			updated = true
		case "published", "entry-date", "date-published", "posted-on":
			published = true
		}
	}
	return updated && !published
}

// rxMemberLabel finds the labels of a forum member's profile beside a
// post ("Joined May 11, 2017"): a reader's sign-up day, not the page's.
var rxMemberLabel = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(joined|member since|registered|mitglied seit|dabei seit|registriert seit|membre depuis|inscrit le|inscrit depuis|miembro desde|registrado|iscritto)(?:[^\p{L}]|$)`)
