// Package eval scores article extraction against ground truth, exactly as
// the ScrapingHub article-extraction benchmark scores article bodies, plus
// title, publication-day and author matches.
//
// It is the library behind the eval command (tools/eval, run by
// make eval and make eval-check); it knows nothing of the parser.
package eval

import (
	"unicode"
)

// shingleSize is the n of the word n-grams the body is compared by.
const shingleSize = 4

// Tokens splits text as Python's re.findall(r'\w+', text) does with Unicode
// strings: maximal runs of letters, numbers and '_'. Combining marks are
// not word characters in Python's re, so they split tokens; case is kept.
func Tokens(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if isWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// isWord reports a rune of Python's Unicode \w: str.isalnum() or '_'.
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// shingles counts the word 4-grams of text; text with fewer than four
// tokens is one shingle, and text without tokens has none.
func shingles(text string) map[string]int {
	toks := Tokens(text)
	out := map[string]int{}
	if len(toks) == 0 {
		return out
	}
	n := max(1, len(toks)-shingleSize+1)
	for i := range n {
		end := min(i+shingleSize, len(toks))
		key := toks[i]
		for _, t := range toks[i+1 : end] {
			key += "\x00" + t // NUL cannot occur in a token
		}
		out[key]++
	}
	return out
}

// Match is one page's body score: true positives, false positives and false
// negatives over shingle multisets, normalized to sum to 1 (all zero when
// both texts are empty), so long pages weigh no more than short ones.
type Match struct{ TP, FP, FN float64 }

// ScoreBody compares the extracted body with the ground truth.
func ScoreBody(truth, pred string) Match {
	t, p := shingles(truth), shingles(pred)
	var m Match
	for k, tc := range t {
		pc := p[k]
		m.TP += float64(min(tc, pc))
		m.FN += float64(max(0, tc-pc))
	}
	for k, pc := range p {
		m.FP += float64(max(0, pc-t[k]))
	}
	if s := m.TP + m.FP + m.FN; s > 0 {
		m.TP, m.FP, m.FN = m.TP/s, m.FP/s, m.FN/s
	}
	return m
}

// PRF averages per-page matches as the benchmark does: precision is the
// mean over pages with tp+fp > 0, recall the mean over pages with
// tp+fn > 0, and F1 the harmonic mean of those two means.
func PRF(ms []Match) (precision, recall, f1 float64) {
	var ps, rs float64
	var np, nr int
	for _, m := range ms {
		if m.TP+m.FP > 0 {
			ps += m.TP / (m.TP + m.FP)
			np++
		}
		if m.TP+m.FN > 0 {
			rs += m.TP / (m.TP + m.FN)
			nr++
		}
	}
	if np > 0 {
		precision = ps / float64(np)
	}
	if nr > 0 {
		recall = rs / float64(nr)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}
