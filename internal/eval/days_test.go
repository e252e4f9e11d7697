package eval

import "testing"

func TestDays(t *testing.T) {
	type page struct{ truth, pred string }
	for _, tc := range []struct {
		name                     string
		pages                    []page
		wantPages                int
		wantAccuracy, wantCovers float64
	}{
		{"none", nil, 0, 0, 0},
		{"right", []page{{"2024-07-25", "2024-07-25T10:00:00+03:00"}}, 1, 1, 1},
		// A wrong date covers the page but is not accurate.
		{"wrong day given", []page{{"2024-07-25", "2024-07-26"}}, 1, 0, 1},
		{"none given", []page{{"2024-07-25", ""}}, 1, 0, 0},
		// Pages without a ground-truth day count for neither, even when a date is given.
		{"undated truth", []page{{"", "2024-07-25"}, {"2024-07-25", "2024-07-25"}}, 1, 1, 1},
		{"mixed", []page{{"2024-07-25", "2024-07-25"}, {"2024-07-25", "2023-01-01"}, {"2024-07-25", ""}, {"2024-07-25", ""}}, 4, 0.25, 0.5},
	} {
		var d Days
		for _, p := range tc.pages {
			d.Add(p.truth, p.pred)
		}
		if d.Pages != tc.wantPages || d.Accuracy() != tc.wantAccuracy || d.Coverage() != tc.wantCovers {
			t.Errorf("%s: pages %d, accuracy %v, coverage %v; want %d, %v, %v", tc.name, d.Pages, d.Accuracy(), d.Coverage(), tc.wantPages, tc.wantAccuracy, tc.wantCovers)
		}
	}
}
