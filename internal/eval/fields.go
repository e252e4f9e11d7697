package eval

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TitleExact reports titles equal after whitespace normalization.
func TitleExact(truth, pred string) bool {
	return strings.Join(strings.Fields(truth), " ") == strings.Join(strings.Fields(pred), " ")
}

// TitleLoose reports titles equal after NFKC, case folding, one style of
// quotes and dashes, and whitespace normalization: the differences a reader
// does not see as a different title.
func TitleLoose(truth, pred string) bool {
	return looseTitle(truth) == looseTitle(pred)
}

// looseFold maps typographic quotes and dashes to their ASCII forms.
var looseFold = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201A", "'", "\u201B", "'", "\u2032", "'", "`", "'", "\u00B4", "'",
	"\u201C", `"`, "\u201D", `"`, "\u201E", `"`, "\u201F", `"`, "\u00AB", `"`, "\u00BB", `"`, "\u2033", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2015", "-", "\u2212", "-",
)

func looseTitle(s string) string {
	s = looseFold.Replace(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune { return unicode.SimpleFold(unicode.ToLower(r)) }, s)
	return strings.Join(strings.Fields(s), " ")
}

// SameDay reports whether a published value (RFC 3339 or YYYY-MM-DD…)
// falls on the ground-truth day, YYYY-MM-DD.
func SameDay(truth, pred string) bool {
	return len(pred) >= 10 && pred[:10] == truth
}

// bylineWords open a byline and are not part of a name.
var bylineWords = map[string]bool{"by": true, "von": true, "par": true, "por": true, "بقلم": true}

// authorTokens normalizes an author string to its words: NFKC, lower case,
// \w tokens, without a leading "by".
func authorTokens(s string) []string {
	toks := Tokens(strings.ToLower(norm.NFKC.String(s)))
	for len(toks) > 0 && bylineWords[toks[0]] {
		toks = toks[1:]
	}
	return toks
}

// AuthorMatch reports whether the authors we found match the ground-truth
// author string. Both sides are normalized to word tokens (NFKC, lower
// case, a leading "By" dropped; our authors joined in order). They match
// when the token sequences are equal, or when one contains the other as a
// contiguous run and the shorter has at least two words: ground truth
// "By Jane Doe | Reuters" accepts "Jane Doe", and "Jane Doe" accepts
// "Jane Doe and John Roe", but a lone first name or an empty result does not.
func AuthorMatch(truth string, ours []string) bool {
	t := authorTokens(truth)
	p := authorTokens(strings.Join(ours, " and "))
	// "and" joins names on both sides; drop it so lists compare.
	t, p = dropWord(t, "and"), dropWord(p, "and")
	if len(t) == 0 || len(p) == 0 {
		return false
	}
	if equalTokens(t, p) {
		return true
	}
	short, long := t, p
	if len(short) > len(long) {
		short, long = long, short
	}
	return len(short) >= 2 && containsRun(long, short)
}

func dropWord(toks []string, w string) []string {
	out := toks[:0:0]
	for _, t := range toks {
		if t != w {
			out = append(out, t)
		}
	}
	return out
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// containsRun reports whether sub occurs contiguously in toks.
func containsRun(toks, sub []string) bool {
	for i := 0; i+len(sub) <= len(toks); i++ {
		if equalTokens(toks[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
