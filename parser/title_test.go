package parser

import "testing"

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
		{"colon in headline kept", "Analysis: why the council said yes", sites, nil, nil, "Analysis: why the council said yes"},
		{"only the site name kept", "The Harborview Times", sites, nil, nil, "The Harborview Times"},
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
		{"og:title first", `<title>T | Site</title><meta property="og:title" content="OG headline"><h1>H1 headline</h1>`, "OG headline"},
		{"json-ld headline next", `<title>T | Site</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline"}</script><h1>H1 headline</h1>`, "LD headline"},
		{"h1 next", `<title>T | Site</title><h1>H1 headline</h1>`, "H1 headline"},
		{"title last", `<title>Only a title</title>`, "Only a title"},
		{"og:title naming the site skipped", `<meta property="og:site_name" content="Field Notes"><meta property="og:title" content="Field Notes"><h1>Sourdough at altitude</h1>`, "Sourdough at altitude"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parseHTML(t, tt.page)
			m := collectMeta(doc)
			got := chooseTitle(m, siteNameCandidates(m, nil), newLayout(doc).shownTexts(doc))
			if got != tt.want {
				t.Errorf("chooseTitle = %q, want %q", got, tt.want)
			}
		})
	}
}
