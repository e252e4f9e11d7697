package parser

import (
	"strings"
	"testing"
)

func TestPrimarySubtag(t *testing.T) {
	for in, want := range map[string]string{
		"ar": "ar", "AR": "ar", "ar-JO": "ar", "en_US": "en", "en-US, fr": "en", " fr ": "fr",
		"und": "", "": "", "english": "", "x-klingon": "", "zh-Hant-TW": "zh", "ckb-IQ": "ckb",
	} {
		if got := primarySubtag(in); got != want {
			t.Errorf("primarySubtag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeclaredLanguage(t *testing.T) {
	tests := []struct{ page, want string }{
		{`<html lang="ar-JO"><meta property="og:locale" content="en_US">`, "ar"},
		{`<html><meta property="og:locale" content="ar_AR">`, "ar"},
		{`<html><meta http-equiv="content-language" content="de-DE">`, "de"},
		{`<html><script type="application/ld+json">{"@type":"Article","inLanguage":"fr-FR"}</script>`, "fr"},
		{`<html><p>nothing</p>`, ""},
	}
	for _, tt := range tests {
		if got := declaredLanguage(collectMeta(parseHTML(t, tt.page))); got != tt.want {
			t.Errorf("declaredLanguage(%s) = %q, want %q", tt.page, got, tt.want)
		}
	}
}

func TestChooseLanguage(t *testing.T) {
	arabic := strings.Repeat("ذكرت الخدمة الصحفية التابعة للرئيس الروسي أنه اجتمع مع رئيس النظام السوري في الكرملين. ", 5)
	english := strings.Repeat("The city council voted on Thursday night to build a protected bike lane along the waterfront. ", 5)
	german := strings.Repeat("Der Stadtrat hat am Donnerstagabend beschlossen, entlang der Uferpromenade einen geschützten Radweg zu bauen. ", 5)
	tests := []struct {
		name, declared, body, want string
	}{
		{"declared wins", "ar", arabic, "ar"},
		{"detected when undeclared", "", german, "de"},
		{"detected english", "", english, "en"},
		{"template lang=en on an arabic page", "en", arabic, "ar"},
		{"declared kept on short text", "fr", "ok", "fr"},
		{"nothing to go on", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chooseLanguage(tt.declared, tt.body); got != tt.want {
				t.Errorf("chooseLanguage(%q, …) = %q, want %q", tt.declared, got, tt.want)
			}
		})
	}
}

// BenchmarkDetectLanguage measures the text detector on a full sample
// (detectSample bytes), the cost Parse pays when a page declares no
// language or contradicts its own script.
func BenchmarkDetectLanguage(b *testing.B) {
	for _, tc := range []struct{ name, text string }{
		{"ar", strings.Repeat("اجتمع الرئيس الروسي مع نظيره السوري في موسكو لبحث العلاقات الثنائية. ", 60)},
		{"en", strings.Repeat("The city council approved the new bike lanes after a long debate on Tuesday. ", 60)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if detectLanguage(tc.text) == "" {
					b.Fatal("no language")
				}
			}
		})
	}
}
