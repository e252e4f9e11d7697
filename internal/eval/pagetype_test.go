package eval

import "testing"

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		pageType string
		truth    Kind
		pred     Kind
	}{
		{"", KindArticle, KindOther}, // no type: an article in the sets, a failed parse from a system
		{"article", KindArticle, KindArticle},
		{"hub", KindOther, KindHub},
		{"listing", KindHub, KindOther},
		{"collection", KindHub, KindOther},
		{"forum", KindOther, KindOther},
		{"product", KindOther, KindOther},
		{"service", KindOther, KindOther},
		{"documentation", KindOther, KindOther},
		{"alias", KindOther, KindOther}, // an unknown value is other
	} {
		if got := TruthKind(tc.pageType); got != tc.truth {
			t.Errorf("TruthKind(%q) = %v, want %v", tc.pageType, got, tc.truth)
		}
		if got := PredictedKind(tc.pageType); got != tc.pred {
			t.Errorf("PredictedKind(%q) = %v, want %v", tc.pageType, got, tc.pred)
		}
	}
}

func TestConfusion(t *testing.T) {
	type page struct{ truth, pred string }
	for _, tc := range []struct {
		name                   string
		pages                  []page
		article, listing, othA float64
	}{
		{"empty", nil, 0, 0, 0},
		{"all right", []page{{"", "article"}, {"listing", "hub"}, {"forum", "other"}}, 1, 1, 0},
		{
			"mixed",
			[]page{
				{"", "article"}, {"", "article"}, {"", "hub"}, {"", ""}, // articles: 2 of 4 kept
				{"listing", "hub"}, {"collection", "article"}, {"collection", "hub"}, // hubs: 2 of 3
				{"forum", "article"}, {"product", "hub"}, {"service", "other"}, {"documentation", "article"}, {"forum", "other"}, // other: 2 of 5 as article
			},
			0.5, 2.0 / 3, 0.4,
		},
	} {
		var c Confusion
		for _, p := range tc.pages {
			c.Add(TruthKind(p.truth), PredictedKind(p.pred))
		}
		if !near(c.ArticleRecall(), tc.article) || !near(c.ListingRecall(), tc.listing) || !near(c.OtherAsArticle(), tc.othA) {
			t.Errorf("%s: article %v, listing %v, other as article %v; want %v, %v, %v",
				tc.name, c.ArticleRecall(), c.ListingRecall(), c.OtherAsArticle(), tc.article, tc.listing, tc.othA)
		}
	}
	// Merge sums cells; Pages and Predicted read rows and columns.
	var a, b Confusion
	a.Add(KindArticle, KindArticle)
	a.Add(KindHub, KindArticle)
	b.Add(KindArticle, KindHub)
	a.Merge(b)
	if a.Pages(KindArticle) != 2 || a.Pages(KindHub) != 1 || a.Predicted(KindArticle) != 2 || a.Predicted(KindHub) != 1 || a.ArticleRecall() != 0.5 {
		t.Errorf("merged %v", a)
	}
}
