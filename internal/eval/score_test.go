package eval

import (
	"math"
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello, world! It's 2024_v2.", []string{"Hello", "world", "It", "s", "2024_v2"}},
		{"", nil},
		{"  ...  ", nil},
		{"بوتين يجتمع مع الأسد", []string{"بوتين", "يجتمع", "مع", "الأسد"}},
		// A combining mark (Arabic fatha, U+064E) is not \w in Python: it splits.
		{"كَتب", []string{"ك", "تب"}},
		{"café ١٢٣", []string{"café", "١٢٣"}},
	} {
		if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestScoreBody(t *testing.T) {
	for _, tc := range []struct {
		name, truth, pred string
		want              Match
	}{
		{"both empty", "", "", Match{}},
		{"identical", "a b c d e", "a b c d e", Match{TP: 1}},
		// truth shingles: abcd bcde; pred: abcd bcdf → tp 1, fp 1, fn 1.
		{"one shingle differs", "a b c d e", "a b c d f", Match{TP: 1.0 / 3, FP: 1.0 / 3, FN: 1.0 / 3}},
		// Fewer than four tokens: one shingle of all of them.
		{"short equal", "a b", "a, b!", Match{TP: 1}},
		{"short differs", "a b", "a b c", Match{FP: 0.5, FN: 0.5}},
		{"empty prediction", "a b c d", "", Match{FN: 1}},
		{"empty truth", "", "x", Match{FP: 1}},
		// Multisets: truth has abcd twice (a b c d a b c d → abcd bcda cdab dabc abcd),
		// pred once (abcd) → tp 1, fn 4.
		{"multiset", "a b c d a b c d", "a b c d", Match{TP: 0.2, FN: 0.8}},
		{"case kept", "A b c d", "a b c d", Match{FP: 0.5, FN: 0.5}},
	} {
		got := ScoreBody(tc.truth, tc.pred)
		if !near(got.TP, tc.want.TP) || !near(got.FP, tc.want.FP) || !near(got.FN, tc.want.FN) {
			t.Errorf("%s: ScoreBody = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestPRF(t *testing.T) {
	ms := []Match{
		{TP: 1},                       // p 1, r 1
		{TP: 0.5, FP: 0.5},            // p 0.5, r 1
		{FN: 1},                       // no prediction: counts for recall (0) only
		{},                            // nothing on either side: counts for neither
		{TP: 0.25, FN: 0.75},          // p 1, r 0.25
		{FP: 1},                       // only false positives: precision 0, no recall
		{TP: 0.5, FP: 0.25, FN: 0.25}, // p 2/3, r 2/3
	}
	p, r, f1 := PRF(ms)
	wantP := (1 + 0.5 + 1 + 0 + 2.0/3) / 5
	wantR := (1 + 1 + 0 + 0.25 + 2.0/3) / 5
	if !near(p, wantP) || !near(r, wantR) || !near(f1, 2*wantP*wantR/(wantP+wantR)) {
		t.Errorf("PRF = %v %v %v, want %v %v", p, r, f1, wantP, wantR)
	}
	if p, r, f1 := PRF(nil); p != 0 || r != 0 || f1 != 0 {
		t.Errorf("PRF(nil) = %v %v %v", p, r, f1)
	}
}
