package parser

import (
	"testing"
	"time"
)

func TestHijriNotGregorian(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // YYYY-MM-DD, "" for no date
	}{
		{"الخميس 19 محرم 1446 هـ الموافق 25 يوليو 2024", "2024-07-25"},
		{"الخميس ١٩ محرم ١٤٤٦ هـ الموافق ٢٥ تموز ٢٠٢٤", "2024-07-25"},
		{"1446/01/19 هـ - 25/07/2024", "2024-07-25"},
		{"19/01/1446هـ الموافق 2024/07/25", "2024-07-25"},
		{"تاريخ النشر: 19 ذو الحجة 1445 هـ", ""},
		{"١٥ رمضان ١٤٤٥", ""},
		{"19/01/1446", ""},
		{"25th, July 2024 GMT", "2024-07-25"},
		{"نشر في 3 جمادى الأولى 1446 هـ / 5 نوفمبر 2024", "2024-11-05"},
	} {
		got, ok := findDate(tc.text)
		switch {
		case tc.want == "" && ok:
			t.Errorf("findDate(%q) = %v, want no date", tc.text, got)
		case tc.want != "" && (!ok || got.Format(time.DateOnly) != tc.want):
			t.Errorf("findDate(%q) = %v, %v, want %s", tc.text, got, ok, tc.want)
		}
	}
}
