package parser

import (
	"slices"
	"strings"
	"unicode"
)

// Datelines are the lines around a headline that say when and by whom, not
// what: "Published: 25 July 2024", "Updated 2 hours ago", "By", "8 min
// read", "آخر تحديث:". go-trafilatura deletes <time> elements with their
// text, so a dateline often reaches the body as its label alone
// ("Published:", "تاريخ النشر:"). isDateline recognises such a line, with
// or without its date, in several languages; dropDateLines and trimTail
// remove it at the head and the end of the body, where datelines sit.

// Bounds of a dateline: labels, a date and a clock, perhaps the authors.
const (
	maxDatelineWords = 12
	maxDatelineBytes = 400
)

// Words of a dateline, folded (lower case, foldArabic). A label or a
// month makes a line a dateline; the other words only fill one.
var (
	// datelineLabels name a date, an author or a reading time.
	datelineLabels = wordSet(
		// publication
		"published", "published on", "published at", "first published", "posted", "posted on", "posted at",
		"date", "date published", "publication date", "publish date", "release date",
		"publié", "publié le", "publiée le", "date de publication", "veröffentlicht", "veröffentlicht am",
		"publicado", "publicado el", "publicado em", "fecha de publicación", "pubblicato", "pubblicato il",
		"تاريخ النشر", "نشر", "نشر بتاريخ", "نشر في", "تم النشر", "التاريخ", "تاريخ الاضافه", "تاريخ النشر والتحديث",
		// update
		"updated", "updated on", "updated at", "last updated", "last updated on", "last updated at",
		"modified", "last modified", "last modified on", "last reviewed", "last reviewed on", "reviewed",
		"mis à jour", "mis à jour le", "aktualisiert", "aktualisiert am", "zuletzt aktualisiert",
		"actualizado", "actualizado el", "atualizado", "atualizado em", "aggiornato", "aggiornato il",
		"اخر تحديث", "تاريخ التحديث", "تم التحديث", "محدث", "تحديث",
		// author
		"by", "written by", "words by", "posted by", "author", "authors", "par", "von", "por", "di",
		"بقلم", "كتب", "كتبه", "كتبت", "الكاتب", "اعداد",
		// reading time
		"min read", "mins read", "minute read", "minutes read", "reading time", "estimated reading time",
		"read time", "lesezeit", "temps de lecture", "tiempo de lectura", "tempo de leitura",
		"دقيقه للقراءه", "دقائق للقراءه", "وقت القراءه", "مده القراءه",
	)
	// datelineFillers are the other words of a dateline: connectives,
	// clock and zone words, weekdays, units of a reading time or an age.
	datelineFillers = wordSet(
		"on", "at", "and", "am", "pm", "a", "p", "m", "h", "the", "of", "de", "às", "le", "el", "em", "il", "um", "à",
		"gmt", "utc", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt",
		"bst", "cet", "cest", "eet", "eest", "ist", "jst", "aest",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
		"min", "mins", "minute", "minutes", "minuten", "minuto", "minutos", "read", "hour", "hours", "day", "days", "ago",
		"st", "nd", "rd", "th",
		"في", "الساعه", "ص", "م", "ه", "بتاريخ", "منذ", "دقيقه", "دقائق", "ساعه", "ساعات",
		"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت",
	)
)

// maxPhraseWords is the longest phrase of datelineLabels and monthNames.
const maxPhraseWords = 3

// wordSet folds phrases as isDateline reads text.
func wordSet(phrases ...string) map[string]bool {
	m := make(map[string]bool, len(phrases))
	for _, p := range phrases {
		m[strings.Join(datelineWords(p), " ")] = true
	}
	return m
}

// datelineWords splits s into folded words: lower case, Arabic spelling
// folded, every character that is not a letter or digit a separator (so
// "p.m." is "p m" and "10:43" is "10 43").
func datelineWords(s string) []string {
	s = strings.ToLower(foldArabic(s))
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// isDateline reports a short line made of nothing but dateline words,
// numbers and the given names (the page's authors), with at least one
// label or month: "Published:", "By", "Updated: Sep 19", "Jun 9",
// "December 15, 2025 // 8 min read", "آخر تحديث:", "By Jane Doe" when
// Jane Doe is an author. Numbers alone ("102"), a name alone, or a label
// with other words ("By the numbers", "2019 American Music Awards") are
// not datelines.
func isDateline(p string, names []string) bool {
	if len(p) > maxDatelineBytes {
		return false
	}
	words := datelineWords(p)
	if len(words) == 0 || len(words) > maxDatelineWords+maxAuthorWords*len(names) {
		return false
	}
	var nameWords [][]string
	for _, n := range names {
		if w := datelineWords(n); len(w) > 0 {
			nameWords = append(nameWords, w)
		}
	}
	signal := false
	for i := 0; i < len(words); {
		n := 0
		for k := min(maxPhraseWords, len(words)-i); k >= 1 && n == 0; k-- {
			phrase := strings.Join(words[i:i+k], " ")
			if _, month := monthNames[phrase]; month || datelineLabels[phrase] {
				n, signal = k, true
			}
		}
		for _, w := range nameWords {
			if n == 0 && len(w) <= len(words)-i && slices.Equal(w, words[i:i+len(w)]) {
				n = len(w)
			}
		}
		if n == 0 && (datelineFillers[words[i]] || isNumber(words[i])) {
			n = 1
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return signal
}

// dropBylines removes the byline lines at the head of an article's body
// that name its authors ("By Jane Doe", "5:45 AM PST 11/19/2019 by Jane
// Doe"), once the authors are known.
func dropBylines(paras []string, authors []string) []string {
	if len(authors) == 0 {
		return paras
	}
	out := paras[:0:0]
	for i, p := range paras {
		if i < maxHeadDatelines && isDateline(p, authors) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// isNumber reports a word of digits, with an ordinal suffix or not
// ("25", "25th").
func isNumber(w string) bool {
	w = strings.TrimRight(w, "stndrh")
	if w == "" {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// maxHeadDatelines is the paragraphs at the head of the body searched for
// datelines.
const maxHeadDatelines = 4
