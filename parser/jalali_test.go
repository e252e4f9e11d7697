package parser

import (
	"testing"
	"time"
)

func TestJalaliDates(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"۲ تیر ۱۳۹۹", "2020-06-22"},                   // Persian letters and digits
		{"دوشنبه 2 تير 1399 - 12:09:08", "2020-06-22"}, // Arabic yeh, as many sites type it
		{"1 فروردین 1403", "2024-03-20"},               // Nowruz
		{"29 اسفند 1402", "2024-03-19"},
		{"12 آبان 1400", "2021-11-03"}, // آ folds to ا
		{"31 مهر 1400", ""},            // the second half year has 30 days
		{"19 محرم 1446", ""},           // a lunar Hijri date stays skipped
	} {
		got, ok := findDate(tc.text)
		if s := got.Format(time.DateOnly); ok != (tc.want != "") || ok && s != tc.want {
			t.Errorf("findDate(%q) = %s, %v; want %q", tc.text, s, ok, tc.want)
		}
	}
}
