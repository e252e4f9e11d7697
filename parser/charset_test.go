package parser

import (
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func mustEncode(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecideCharset(t *testing.T) {
	const arabic = "<p>ذكرت الخدمة الصحفية التابعة للرئيس الروسي، فلاديمير بوتين، الخميس، أنه اجتمع مع رئيس النظام السوري في الكرملين وبحث معه التطورات في المنطقة.</p>"
	cp1256 := mustEncode(t, charmap.Windows1256, arabic)
	iso6 := mustEncode(t, charmap.ISO8859_6, arabic)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantName    string
		wantRule    string
	}{
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, arabic...), "text/html; charset=windows-1256", "utf-8", "bom"},
		{"utf-16le bom", []byte{0xFF, 0xFE, '<', 0, 'p', 0, '>', 0}, "", "utf-16le", "bom"},
		{"valid utf-8 beats header", []byte(arabic), "text/html; charset=windows-1256", "utf-8", "utf8"},
		{"valid utf-8 beats meta", []byte(`<meta charset="windows-1256">` + arabic), "", "utf-8", "utf8"},
		{"header", cp1256, "text/html; charset=windows-1256", "windows-1256", "header"},
		{"header over meta", append([]byte(`<meta charset="iso-8859-6">`), cp1256...), "text/html; charset=cp1256", "windows-1256", "header"},
		{"meta charset", append([]byte(`<meta charset="windows-1256">`), cp1256...), "text/html", "windows-1256", "meta"},
		{"meta http-equiv", append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">`), iso6...), "", "iso-8859-6", "meta"},
		{"declared utf-8 but legacy bytes", cp1256, "text/html; charset=utf-8", "windows-1256", "detect"},
		{"undeclared windows-1256", cp1256, "text/html", "windows-1256", "detect"},
		{"ascii", []byte("<p>hello</p>"), "", "utf-8", "default"},
		{"meta utf-16 without bom", []byte(`<meta charset="utf-16"><p>hi</p>`), "", "utf-8", "default"},
		{"unknown label", append([]byte(`<meta charset="x-made-up">`), cp1256...), "text/html; charset=bogus", "windows-1256", "detect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decideCharset(tt.body, tt.contentType)
			if d.name != tt.wantName || d.rule != tt.wantRule {
				t.Errorf("decideCharset = %s by %s, want %s by %s", d.name, d.rule, tt.wantName, tt.wantRule)
			}
		})
	}
}

func TestDecodeHTML(t *testing.T) {
	const arabic = "تاريخ النشر: ٢٥ تموز ٢٠٢٤ — وقال الأسد لبوتين من خلال مترجم روسي إن اجتماعهما يبدو مهما للغاية"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"windows-1256 by header", mustEncode(t, charmap.Windows1256, "وقال الأسد لبوتين من خلال مترجم روسي"), "text/html; charset=windows-1256", "وقال الأسد لبوتين من خلال مترجم روسي"},
		{"iso-8859-6 by header", mustEncode(t, charmap.ISO8859_6, "وقال الأسد لبوتين من خلال مترجم روسي"), "text/html; charset=iso-8859-6", "وقال الأسد لبوتين من خلال مترجم روسي"},
		{"utf-8", []byte(arabic), "", arabic},
		{"bom stripped", append([]byte{0xEF, 0xBB, 0xBF}, "abc"...), "", "abc"},
		{"invalid utf-8 repaired", []byte("café a\xffb"), "text/html; charset=utf-8", "café a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := decodeHTML(tt.body, tt.contentType)
			if got != tt.want {
				t.Errorf("decodeHTML = %q, want %q", got, tt.want)
			}
		})
	}
}
