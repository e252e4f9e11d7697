package eval

import "testing"

func TestCountSnippets(t *testing.T) {
	for _, tc := range []struct {
		name          string
		with, without []string
		body          string
		want          Snippets
	}{
		{"all right", []string{"first line", "second"}, []string{"Subscribe"}, "The first line.\n\nThe second.", Snippets{TP: 2, TN: 1}},
		{"missing with, found without", []string{"first line", "absent"}, []string{"Subscribe", "Sign in"}, "first line. Subscribe now", Snippets{TP: 1, FN: 1, FP: 1, TN: 1}},
		// White space is collapsed on both sides, so line breaks and
		// no-break spaces inside a snippet do not make it missing.
		{"white space", []string{"a  b\tc", "d e"}, nil, "x a b\nc y d\u00a0e", Snippets{TP: 2}},
		// Matching is case- and punctuation-sensitive, as trafilatura's substring test.
		{"case kept", []string{"First line"}, nil, "first line", Snippets{FN: 1}},
		{"empty body", []string{"a"}, []string{"b"}, "", Snippets{FN: 1, TN: 1}},
		{"no snippets", nil, nil, "text", Snippets{}},
	} {
		if got := CountSnippets(tc.with, tc.without, tc.body); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestSnippetScores(t *testing.T) {
	for _, tc := range []struct {
		name          string
		s             Snippets
		p, r, f1, acc float64
	}{
		{"zero", Snippets{}, 0, 0, 0, 0},
		{"perfect", Snippets{TP: 3, TN: 2}, 1, 1, 1, 1},
		// p = 6/8, r = 6/9; F1 = 12/17 = 2pr/(p+r); accuracy (6+5)/(6+2+3+5).
		{"mixed", Snippets{TP: 6, FP: 2, FN: 3, TN: 5}, 0.75, 6.0 / 9, 12.0 / 17, 11.0 / 16},
		// Nothing found: no precision, recall 0, every without is a true negative.
		{"nothing found", Snippets{FN: 4, TN: 4}, 0, 0, 0, 0.5},
	} {
		s := tc.s
		if !near(s.Precision(), tc.p) || !near(s.Recall(), tc.r) || !near(s.F1(), tc.f1) || !near(s.Accuracy(), tc.acc) {
			t.Errorf("%s: P %v R %v F1 %v acc %v; want %v %v %v %v", tc.name, s.Precision(), s.Recall(), s.F1(), s.Accuracy(), tc.p, tc.r, tc.f1, tc.acc)
		}
	}
	var sum Snippets
	sum.Add(Snippets{TP: 1, FP: 2})
	sum.Add(Snippets{FN: 3, TN: 4})
	if sum != (Snippets{TP: 1, FP: 2, FN: 3, TN: 4}) || sum.Total() != 10 {
		t.Errorf("sum %+v", sum)
	}
}
