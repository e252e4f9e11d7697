package eval

import "strings"

// Kind is what a page is for a news crawler: an article to store, a hub to
// follow, or anything else.
type Kind int

// The kinds, in the order of the confusion table.
const (
	KindArticle Kind = iota
	KindHub          // listing or collection: follow its links, store nothing
	KindOther        // forum, product, service, documentation…
	numKinds
)

var kindNames = [numKinds]string{"article", "hub", "other"}

// String names the kind as the tables do.
func (k Kind) String() string { return kindNames[k] }

// TruthKind maps a ground-truth page_type to its kind: empty (the article
// sets) or "article" is an article, "listing" and "collection" are hubs,
// any other type is other.
func TruthKind(pageType string) Kind {
	switch strings.ToLower(pageType) {
	case "", "article":
		return KindArticle
	case "listing", "collection":
		return KindHub
	}
	return KindOther
}

// PredictedKind maps a system's page_type to its kind: "article" and "hub"
// are themselves; anything else, empty included (a failed parse), is other,
// so that a new type counts as not an article without changing the eval.
func PredictedKind(pageType string) Kind {
	switch pageType {
	case "article":
		return KindArticle
	case "hub":
		return KindHub
	}
	return KindOther
}

// Confusion counts pages by true kind (row) and predicted kind (column).
type Confusion [numKinds][numKinds]int

// Add counts one page.
func (c *Confusion) Add(truth, pred Kind) { c[truth][pred]++ }

// Merge adds o's counts to c.
func (c *Confusion) Merge(o Confusion) {
	for t := range c {
		for p := range c[t] {
			c[t][p] += o[t][p]
		}
	}
}

// Pages is the number of pages of true kind k.
func (c Confusion) Pages(k Kind) int {
	n := 0
	for _, v := range c[k] {
		n += v
	}
	return n
}

// Rate is the share of pages of true kind truth predicted as pred, 0 when
// there are none.
func (c Confusion) Rate(truth, pred Kind) float64 { return share(c[truth][pred], c.Pages(truth)) }

// ArticleRecall is the share of articles kept as articles.
func (c Confusion) ArticleRecall() float64 { return c.Rate(KindArticle, KindArticle) }

// ListingRecall is the share of listings and collections taken for hubs.
func (c Confusion) ListingRecall() float64 { return c.Rate(KindHub, KindHub) }

// OtherAsArticle is the share of other pages written as articles: lower is
// better.
func (c Confusion) OtherAsArticle() float64 { return c.Rate(KindOther, KindArticle) }

// Predicted is the number of pages predicted as kind k, whatever their
// true kind.
func (c Confusion) Predicted(k Kind) int {
	n := 0
	for t := range c {
		n += c[t][k]
	}
	return n
}
