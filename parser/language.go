package parser

import (
	"strings"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"
)

// detectSample bounds the text given to the language detector.
const detectSample = 4000

// declaredLanguage returns the primary language subtag the page declares:
// <html lang>, then og:locale, content-language, JSON-LD inLanguage.
func declaredLanguage(m *pageMeta) string {
	var ldLang string
	if m.ld.Article != nil {
		ldLang = m.ld.Article.Language
	}
	for _, v := range []string{
		m.htmlLang, m.get("og:locale"), m.get("http-equiv:content-language", "content-language", "language", "dc.language"), ldLang,
	} {
		if l := primarySubtag(v); l != "" {
			return l
		}
	}
	return ""
}

// primarySubtag returns the lower-case primary language subtag of a BCP 47
// tag or POSIX locale ("ar-JO", "en_US", "AR"), or "" if there is none.
func primarySubtag(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, ",; "); i >= 0 { // "en-US, fr"
		tag = tag[:i]
	}
	p, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	p = strings.ToLower(p)
	if len(p) < 2 || len(p) > 3 {
		return ""
	}
	for _, r := range p {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	if p == "und" || p == "mul" || p == "zxx" {
		return ""
	}
	return p
}

// detectLanguage guesses the ISO 639-1 code of text, "" when unsure.
func detectLanguage(text string) string {
	if len(text) > detectSample {
		text = text[:detectSample]
		for len(text) > 0 && !isRuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
	info := whatlanggo.Detect(text)
	if info.Lang < 0 || !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// chooseLanguage trusts the declared language unless the body's script
// contradicts it (templates often say lang="en" on Arabic pages); then, or
// when nothing is declared, it detects from the body.
func chooseLanguage(declared, body string) string {
	if declared != "" && !scriptContradicts(declared, body) {
		return declared
	}
	if l := detectLanguage(body); l != "" {
		return l
	}
	return declared
}

// arabicScript lists languages written mainly in Arabic script.
var arabicScript = map[string]bool{"ar": true, "fa": true, "ur": true, "ps": true, "ku": true, "ckb": true, "sd": true, "ug": true}

// scriptContradicts reports whether body is mostly in Arabic script while
// the declared language is not written in it, or the reverse.
func scriptContradicts(declared, body string) bool {
	var arabic, letters int
	for i, r := range body {
		if i > detectSample {
			break
		}
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Arabic, r) {
				arabic++
			}
		}
	}
	if letters < 50 {
		return false
	}
	share := float64(arabic) / float64(letters)
	if arabicScript[declared] {
		return share < 0.1
	}
	return share > 0.6
}
