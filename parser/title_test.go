package parser

import (
	"testing"

	"golang.org/x/net/html/atom"
)

func TestStripSiteName(t *testing.T) {
	sites := []string{"The Harborview Times", "harborview-times.com", "harborview-times"}
	arSites := []string{"وكالة سرايا الإخبارية", "saraynews.com", "saraynews"}
	tests := []struct {
		name   string
		title  string
		sites  []string
		others []string
		shown  []string
		want   string
	}{
		{"pipe suffix", "Bike lanes approved | The Harborview Times", sites, nil, nil, "Bike lanes approved"},
		{"dash suffix", "Bike lanes approved - The Harborview Times", sites, nil, nil, "Bike lanes approved"},
		{"em dash suffix", "Bike lanes approved — The Harborview Times", sites, nil, nil, "Bike lanes approved"},
		{"colon prefix", "The Harborview Times: Bike lanes approved", sites, nil, nil, "Bike lanes approved"},
		{"dash prefix", "The Harborview Times - Bike lanes approved", sites, nil, nil, "Bike lanes approved"},
		{"domain suffix", "Bike lanes approved | harborview-times.com", sites, nil, nil, "Bike lanes approved"},
		{"arabic site prefix", "وكالة سرايا الإخبارية - بوتين يجتمع مع الأسد في موسكو", arSites, nil, nil, "بوتين يجتمع مع الأسد في موسكو"},
		{"arabic short name suffix", "بوتين يجتمع مع الأسد في موسكو | سرايا", arSites, nil, nil, "بوتين يجتمع مع الأسد في موسكو"},
		{"section and site, h1 confirms", "Bike lanes approved | Local | Harborview", nil, []string{"Bike lanes approved"}, nil, "Bike lanes approved"},
		{"tail not the site kept", "Putin - Assad meeting: what it means", sites, nil, nil, "Putin - Assad meeting: what it means"},
		{"hyphenated words kept", "COVID-19 cases rise in Harborview", sites, nil, nil, "COVID-19 cases rise in Harborview"},
		{"bar without spaces", "NEWS WEB EASY|子どもへの体罰を禁止する法律ができる", []string{"NEWS WEB EASY"}, nil, nil, "子どもへの体罰を禁止する法律ができる"},
		{"bar inside a headline kept", "Rock|Paper|Scissors champion crowned", sites, nil, nil, "Rock|Paper|Scissors champion crowned"},
		{"colon in headline kept", "Analysis: why the council said yes", sites, nil, nil, "Analysis: why the council said yes"},
		{"only the site name kept", "The Harborview Times", sites, nil, nil, "The Harborview Times"},
		{"colon prefix holding the site name kept", "Harborview Ferry Pass: winter timetable announced", []string{"Harborview"}, nil, nil, "Harborview Ferry Pass: winter timetable announced"},
		{"page shows the headline alone", "الأردن وسوريا يوقعان اتفاقية - أخبار الأردن", nil, nil, []string{"الأردن وسوريا يوقعان اتفاقية"}, "الأردن وسوريا يوقعان اتفاقية"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown := map[string]bool{}
			for _, s := range tt.shown {
				shown[s] = true
			}
			got := stripSiteName(tt.title, tt.sites, tt.others, func(s string) bool { return shown[s] })
			if got != tt.want {
				t.Errorf("stripSiteName(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

func TestChooseTitle(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"og:title over a short h1", `<title>T | Site</title><meta property="og:title" content="OG headline"><h1>H1 headline</h1>`, "OG headline"},
		{"json-ld headline next", `<title>T | Site</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline"}</script><h1>H1 headline</h1>`, "LD headline"},
		{"h1 next", `<title>T | Site</title><h1>H1 headline</h1>`, "H1 headline"},
		{"title last", `<title>Only a title</title>`, "Only a title"},
		{"og:title naming the site skipped", `<meta property="og:site_name" content="Field Notes"><meta property="og:title" content="Field Notes"><h1>Sourdough at altitude</h1>`, "Sourdough at altitude"},
		// The visible h1 wins over a rewritten social title when it agrees
		// with the declared titles enough to be the same story.
		{"shown h1 over SEO og:title", `<title>Best laptops 2026: premium, budget and gaming | Site</title><meta property="og:title" content="Buying a laptop? These are the 9 best laptops you can buy today"><h1>Best laptops 2026: premium, budget and gaming</h1>`, "Best laptops 2026: premium, budget and gaming"},
		{"h1 naming the site skipped", `<meta property="og:site_name" content="Houstonia Magazine"><meta property="og:title" content="Our favorite biking spots in Houston"><h1>Houstonia Magazine</h1><h1>The best trails in Houston for biking</h1>`, "The best trails in Houston for biking"},
		{"h1 that is the title's site segment skipped", `<meta property="og:title" content="A brief intro to git • Cory Dransfeldt"><h1>Cory Dransfeldt</h1>`, "A brief intro to git • Cory Dransfeldt"},
		{"h1 linking home skipped", `<meta property="og:title" content="Open Verilog flow for GreenPak4 devices"><h1><a href="/">Open Silicon Verilog Exposed</a></h1>`, "Open Verilog flow for GreenPak4 devices"},
		{"h1 sharing no words skipped", `<meta property="og:title" content="Nintendo's first iPhone game will launch in December"><h1>msn back to msn home news</h1>`, "Nintendo's first iPhone game will launch in December"},
		{"short section h1 skipped", `<meta property="og:title" content="Your wedding checklist: a planning guide"><h1>Planning</h1>`, "Your wedding checklist: a planning guide"},
		{"plain title over a disagreeing h1", `<title>Babies who eat peanuts early may avoid allergy</title><h1>Allergies Health Center</h1>`, "Babies who eat peanuts early may avoid allergy"},
		{"one shared word is no agreement", `<meta property="og:title" content="Superbugs: what they are and how you get them"><h1>Information and Resources</h1>`, "Superbugs: what they are and how you get them"},
		{"short h1 before the title's colon skipped", `<title>Silicon Exposed: Open Verilog flow for GreenPak4 devices</title><meta property="og:title" content="Open Verilog flow for GreenPak4 devices"><h1>Silicon Exposed</h1>`, "Open Verilog flow for GreenPak4 devices"},
		{"arabic plain title over a section h1", `<title>بوتين يجتمع مع الأسد في موسكو</title><h1>أخبار العالم</h1>`, "بوتين يجتمع مع الأسد في موسكو"},
		{"arabic h1", `<title>بوتين يجتمع مع الأسد في موسكو - الحرة</title><h1>بوتين يجتمع مع الأسد في موسكو</h1>`, "بوتين يجتمع مع الأسد في موسكو"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, tt.page)
			m := collectMeta(doc)
			got := chooseTitle(m, siteNameCandidates(m, nil), newLayout(doc).shownTexts(doc), nil)
			if got != tt.want {
				t.Errorf("chooseTitle = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDropKicker checks that a section label run into the h1 is dropped
// only when a declared title confirms the headline without it.
func TestDropKicker(t *testing.T) {
	notShown := func(string) bool { return false }
	for _, tc := range []struct {
		name, h1 string
		declared []string
		want     string
	}{
		{"label confirmed by og:title", "Blog: Best Agencies of 2025", []string{"Best Agencies of 2025 | Silverback", ""}, "Best Agencies of 2025"},
		{"label confirmed by the title tag", "Opinion: Why cities need trees", []string{"", "Why cities need trees"}, "Why cities need trees"},
		{"colon is part of the headline", "Apple: the company that changed phones", []string{"Apple: the company that changed phones | Site", ""}, "Apple: the company that changed phones"},
		{"long prefix kept", "What the sea is telling us: whales strand", []string{"whales strand", ""}, "What the sea is telling us: whales strand"},
		{"no declared title", "Blog: Best Agencies of 2025", []string{"", ""}, "Blog: Best Agencies of 2025"},
	} {
		if got := dropKicker(tc.h1, tc.declared, []string{"Silverback"}, notShown); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDropLeadingDate checks that a date printed before a headline is cut,
// and that a title that starts with a number or a year keeps it.
func TestDropLeadingDate(t *testing.T) {
	for in, want := range map[string]string{
		"23.01.2022 - Dorothea Wierer darf beim Antholz-Abschluss noch jubeln": "Dorothea Wierer darf beim Antholz-Abschluss noch jubeln",
		"1. Februar 2022 Bundesministerin Raab: Mit Ländern und Unternehmen":   "Bundesministerin Raab: Mit Ländern und Unternehmen",
		"27.01.2022MineralölINFO November 2021 (Mineralölabsatz)":              "MineralölINFO November 2021 (Mineralölabsatz)",
		"2022-03-09: The council votes on the budget":                          "The council votes on the budget",
		"10 things to know about the budget":                                   "10 things to know about the budget",
		"2022 in review":                                                       "2022 in review",
		"12.03.2024 Bericht":                                                   "12.03.2024 Bericht",
		"2024.4.4 -> 2024.5.0 issue: stuck on starting":                        "2024.4.4 -> 2024.5.0 issue: stuck on starting",
	} {
		if got := dropLeadingDate(in); got != want {
			t.Errorf("dropLeadingDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDropH1Kicker(t *testing.T) {
	for _, tc := range []struct{ h1, want string }{
		{`<span class="dachzeile">Nach Corona-Lockerungen</span> <span class="headline">Autohäuser rechnen mit langsamem Anlaufen</span>`,
			"Autohäuser rechnen mit langsamem Anlaufen"},
		{`<span class="article-heading__kicker">Klimaschutz</span><span class="visually-hidden">: </span><span>Bohren, bis es heiß wird</span>`,
			"Bohren, bis es heiß wird"},
		{`<div class="entry-section"><a href="/local-news/">Local News | </a></div> <span>Brothel busted in Boston</span>`,
			"Brothel busted in Boston"},
		// The headline's own words first: a subtitle after it stays.
		{`Flood waters rise <span class="subtitle">in the north</span>`, "Flood waters rise in the north"},
		// No kicker class: a styled first word is part of the headline.
		{`<strong>Breaking</strong> news from the harbour`, "Breaking news from the harbour"},
		// Too little left after the kicker to be a headline.
		{`<span class="kicker">Wurmkiste</span> Bauen`, "Wurmkiste Bauen"},
	} {
		h1 := first(parseHTML(t, "<h1>"+tc.h1+"</h1>"), atom.H1)
		if got := dropH1Kicker(h1, textOf(h1, 1000)); got != tc.want {
			t.Errorf("dropH1Kicker(%s) = %q, want %q", tc.h1, got, tc.want)
		}
	}
}

func TestChooseTitleDecodesTwiceEscaped(t *testing.T) {
	m := collectMeta(parseHTML(t, `<html><head><title>12 Tools for 2026 | Python, SQL &amp;#x26; AI</title></head><body></body></html>`))
	if got, want := chooseTitle(m, nil, func(string) bool { return false }, nil), "12 Tools for 2026 | Python, SQL & AI"; got != want {
		t.Errorf("chooseTitle = %q, want %q", got, want)
	}
	m = collectMeta(parseHTML(t, `<html><head><title>What &amp;amp; means in HTML</title></head><body></body></html>`))
	if got, want := chooseTitle(m, nil, func(string) bool { return false }, nil), "What &amp; means in HTML"; got != want {
		t.Errorf("chooseTitle = %q, want %q (a named reference in the text stays)", got, want)
	}
}
