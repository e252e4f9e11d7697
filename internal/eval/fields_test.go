package eval

import "testing"

func TestTitles(t *testing.T) {
	for _, tc := range []struct {
		truth, pred  string
		exact, loose bool
	}{
		{"Putin meets Assad", "Putin  meets\nAssad ", true, true},
		{"It’s “here” – now", `It's "here" - now`, false, true},
		{"ﬁne Ｔｉｔｌｅ", "fine title", false, true}, // NFKC and case
		{"Putin meets Assad", "Putin meets Assad | Site", false, false},
		{"بوتين يجتمع مع الأسد في موسكو", "بوتين يجتمع مع الأسد في موسكو", true, true},
		{"", "", true, true},
	} {
		if got := TitleExact(tc.truth, tc.pred); got != tc.exact {
			t.Errorf("TitleExact(%q, %q) = %v", tc.truth, tc.pred, got)
		}
		if got := TitleLoose(tc.truth, tc.pred); got != tc.loose {
			t.Errorf("TitleLoose(%q, %q) = %v", tc.truth, tc.pred, got)
		}
	}
}

func TestSameDay(t *testing.T) {
	for _, tc := range []struct {
		truth, pred string
		want        bool
	}{
		{"2024-07-25", "2024-07-25T10:00:00+03:00", true},
		{"2024-07-25", "2024-07-25", true},
		{"2024-07-25", "2024-07-26T00:00:00Z", false},
		{"2024-07-25", "", false},
	} {
		if got := SameDay(tc.truth, tc.pred); got != tc.want {
			t.Errorf("SameDay(%q, %q) = %v", tc.truth, tc.pred, got)
		}
	}
}

func TestAuthorMatch(t *testing.T) {
	for _, tc := range []struct {
		truth string
		ours  []string
		want  bool
	}{
		{"Jane Doe", []string{"Jane Doe"}, true},
		{"jane doe", []string{"JANE DOE"}, true},
		{"By Jane Doe", []string{"Jane Doe"}, true},
		{"Jane Doe and John Roe", []string{"Jane Doe", "John Roe"}, true},
		{"Jane Doe, John Roe", []string{"Jane Doe", "John Roe"}, true},
		{"By Jane Doe | Reuters", []string{"Jane Doe"}, true},
		{"Jane Doe", []string{"Jane Doe", "John Roe"}, true},
		{"Jane Doe", []string{"Jane"}, false},
		{"Jane Doe", nil, false},
		{"Jane Doe", []string{"John Roe"}, false},
		{"", []string{"Jane Doe"}, false},
	} {
		if got := AuthorMatch(tc.truth, tc.ours); got != tc.want {
			t.Errorf("AuthorMatch(%q, %q) = %v, want %v", tc.truth, tc.ours, got, tc.want)
		}
	}
}
