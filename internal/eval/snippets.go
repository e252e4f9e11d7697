package eval

import (
	"strings"
	"unicode"
)

// Snippets counts snippet checks as trafilatura's evaluation does
// (tests/eval_common.py, count_item and ConfusionMatrix): a "with" snippet
// found in the body is a true positive and a missing one a false negative;
// a "without" snippet found is a false positive and an absent one a true
// negative. Counts are summed over snippets, not averaged over pages.
type Snippets struct{ TP, FP, FN, TN int }

// CountSnippets checks one page's body against its snippets; a snippet is
// found when it is a substring of the body once white space is collapsed
// on both sides.
func CountSnippets(with, without []string, body string) Snippets {
	b := collapseSpace(body)
	var s Snippets
	for _, w := range with {
		if strings.Contains(b, collapseSpace(w)) {
			s.TP++
		} else {
			s.FN++
		}
	}
	for _, w := range without {
		if strings.Contains(b, collapseSpace(w)) {
			s.FP++
		} else {
			s.TN++
		}
	}
	return s
}

// Add sums o into s.
func (s *Snippets) Add(o Snippets) {
	s.TP += o.TP
	s.FP += o.FP
	s.FN += o.FN
	s.TN += o.TN
}

// Total is the number of snippets checked.
func (s Snippets) Total() int { return s.TP + s.FP + s.FN + s.TN }

// Precision is tp/(tp+fp), 0 when nothing was found.
func (s Snippets) Precision() float64 { return share(s.TP, s.TP+s.FP) }

// Recall is tp/(tp+fn), 0 without "with" snippets.
func (s Snippets) Recall() float64 { return share(s.TP, s.TP+s.FN) }

// Accuracy is (tp+tn) over all snippets.
func (s Snippets) Accuracy() float64 { return share(s.TP+s.TN, s.Total()) }

// F1 is 2tp/(2tp+fp+fn), the harmonic mean of Precision and Recall.
func (s Snippets) F1() float64 { return share(2*s.TP, 2*s.TP+s.FP+s.FN) }

// collapseSpace is Python's re.sub(r"\s+", " ", text).strip(): Python's
// \s is Go's unicode.IsSpace plus the separators U+001C to U+001F.
func collapseSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f
	}), " ")
}
