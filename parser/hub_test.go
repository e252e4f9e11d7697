package parser

import (
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		s    pageSignals
		want string
	}{
		{"long prose", pageSignals{bodyWords: 400, proseRun: 400}, trawler.PageArticle},
		{"150-word article", pageSignals{bodyWords: 150, proseRun: 150}, trawler.PageArticle},
		{"structured short article", pageSignals{structuredArticle: true, bodyWords: 60, proseRun: 60}, trawler.PageArticle},
		{"structured but tiny", pageSignals{structuredArticle: true, bodyWords: 12, proseRun: 12}, trawler.PageHub},
		{"home page", pageSignals{root: true, bodyWords: 300, proseRun: 40, linkShare: 0.5}, trawler.PageHub},
		{"teaser list", pageSignals{bodyWords: 320, proseRun: 35, linkShare: 0.5}, trawler.PageHub},
		{"collection page", pageSignals{structuredListing: true, bodyWords: 200, proseRun: 60}, trawler.PageHub},
		{"nothing", pageSignals{}, trawler.PageHub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.s); got != tt.want {
				t.Errorf("classify(%+v) = %s, want %s", tt.s, got, tt.want)
			}
		})
	}
}

func TestBodySignals(t *testing.T) {
	excerpt := "The branch has new shelving, a teen room and a raised electrical system designed to survive the next storm surge."
	paras := []string{"Eastside library branch reopens", excerpt, "School board delays vote", excerpt}
	heads := map[string]bool{squash("Eastside library branch reopens"): true, squash("School board delays vote"): true}
	words, run, share := bodySignals(paras, heads)
	if words != 2*wordCount(excerpt)+8 || run != wordCount(excerpt) || share != 0.5 {
		t.Errorf("bodySignals = %d, %d, %.2f", words, run, share)
	}
}

// TestPageTypes runs whole pages through Parse: listings come out as hubs
// with an empty body and their links, articles as articles.
func TestPageTypes(t *testing.T) {
	for name, want := range map[string]string{
		"seed.html": trawler.PageArticle, "en-jsonld-graph.html": trawler.PageArticle, "en-og-only.html": trawler.PageArticle,
		"ar-iso-8859-6.html": trawler.PageArticle, "hub-section.html": trawler.PageHub, "hub-home-ar.html": trawler.PageHub,
	} {
		t.Run(name, func(t *testing.T) {
			art, links, err := Parse(loadPage(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if art.PageType != want {
				t.Fatalf("page type = %s, want %s", art.PageType, want)
			}
			if want == trawler.PageHub {
				if art.Body != "" || art.Title == "" || art.SiteName == "" || art.Language == "" || len(links) < 10 {
					t.Errorf("hub = %+v with %d links", art, len(links))
				}
				if !strings.HasPrefix(art.URL, "https://") || art.Related == nil || art.Tags == nil || art.Authors == nil {
					t.Errorf("hub fields: %+v", art)
				}
			}
		})
	}
}
