package parser

import (
	"regexp"
	"strings"
)

// Source credits. The credit line stays in the body (the body is the page's
// text as published); Source repeats the credited name.
var (
	// rxCreditLine is a closing line such as "المصدر: الحرة" or "Source: Reuters".
	rxCreditLine = regexp.MustCompile(`(?i)^(?:المصدر|مصدر|المصادر|source|sources|quelle|fuente|fonte|источник|kaynak)\s*[:：\-–]\s*(.{2,60}?)[\s.。]*$`)
	// rxCreditParen is a closing line that is only an agency: "(AFP)", "(أ ف ب)".
	rxCreditParen = regexp.MustCompile(`^[(\[]([^()\[\]]{2,30})[)\]][\s.]*$`)
	// rxDatelineLatin opens a story: "WASHINGTON (Reuters) -".
	rxDatelineLatin = regexp.MustCompile(`^\p{Lu}[\p{Lu} ,.'’-]{1,40}\(([^()]{2,30})\)\s*[-–—:]`)
	// rxDatelineArabic opens a story: "دمشق (رويترز) -".
	rxDatelineArabic = regexp.MustCompile(`^[\p{Arabic} ،,]{2,30}\(([^()]{2,30})\)\s*[-–—:]`)
)

// maxSourceWords bounds the words of a credited name.
const maxSourceWords = 6

// findSource returns the original publisher the text credits: a closing
// "Source: X" line or bare "(AFP)" among the last paragraphs, else a
// dateline agency in the first.
func findSource(paras []string) string {
	for i := len(paras) - 1; i >= 0 && i >= len(paras)-3; i-- {
		p := paras[i]
		if m := rxCreditLine.FindStringSubmatch(p); m != nil {
			if s := cleanSource(m[1]); s != "" {
				return s
			}
		}
		if m := rxCreditParen.FindStringSubmatch(p); m != nil {
			if s := cleanSource(m[1]); s != "" {
				return s
			}
		}
	}
	if len(paras) > 0 {
		head := truncateUTF8(paras[0], 120)
		for _, rx := range []*regexp.Regexp{rxDatelineLatin, rxDatelineArabic} {
			if m := rx.FindStringSubmatch(head); m != nil {
				if s := cleanSource(m[1]); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

func cleanSource(s string) string {
	s = strings.Trim(normalizeSpace(s), " .:-–—()[]«»\"'")
	if s == "" || len(strings.Fields(s)) > maxSourceWords || strings.ContainsAny(s, "<>{}") {
		return ""
	}
	return s
}
