package realsite

import (
	"math/rand/v2"
	"slices"
	"time"
)

// builder lays the site out: where each page lives, what links to what,
// and in which blocks.
type builder struct {
	rng    *rand.Rand
	urls   urlMaker
	arts   []*entry
	hidden []*hiddenPage
	layers [][]int // article indices by planned depth - 1
	// hiddenLinks counts the links rendered to each hidden page.
	hiddenLinks map[int]int
}

// target is one link a page's related blocks carry.
type target struct {
	to     int    // article index; -1 for a hidden page
	hidden int    // hidden page index, when to < 0
	path   string // the address linked: the main URL, an alias or a tracking variant
}

// layerWeights spread the articles not linked from "/" over depths 2 to 5.
var layerWeights = []int{10, 13, 11, 7}

// rootEntries is how many articles "/" links to.
const rootEntries = 4

// place gives each page its main URL and planned depth, and each hidden
// page its disallowed address.
func (b *builder) place(pages, hidden []*realPage) {
	b.rng.Shuffle(len(pages), func(i, j int) { pages[i], pages[j] = pages[j], pages[i] })
	for i, p := range pages {
		e := &entry{page: p, Article: Article{
			ID: p.c.ID, Source: p.c.Source, Original: p.c.URL, Headline: p.headline, Body: p.c.Body,
			Scheme: Schemes[i%len(Schemes)],
		}}
		e.date = b.date(p.c.Published)
		e.blurb = firstSentence(p.c.Body, 24)
		e.Path = b.urls.mainPath(e.Scheme, i, p.headline, e.date)
		e.utf8CT = p.utf8 && i%3 != 0
		b.arts = append(b.arts, e)
	}
	start := 0
	for k, size := range layerSizes(len(pages)) {
		var layer []int
		for i := start; i < start+size; i++ {
			b.arts[i].layer = k + 1
			layer = append(layer, i)
		}
		b.layers = append(b.layers, layer)
		start += size
	}
	for i, p := range hidden {
		b.hidden = append(b.hidden, newHiddenPage(p, i, b.rng))
	}
}

// date is the article's publication day: its ground truth, else a day
// between 2015 and 2024.
func (b *builder) date(published string) time.Time {
	if t, err := time.Parse("2006-01-02", published); err == nil {
		return t
	}
	return time.Date(2015+b.rng.IntN(10), time.Month(1+b.rng.IntN(12)), 1+b.rng.IntN(28), 0, 0, 0, 0, time.UTC)
}

// layerSizes splits n articles into depths: rootEntries at depth 1, the
// rest over depths 2 to 5 in proportion to layerWeights.
func layerSizes(n int) []int {
	first := min(rootEntries, n)
	rest := n - first
	total := 0
	for _, w := range layerWeights {
		total += w
	}
	sizes := []int{first}
	given := 0
	for _, w := range layerWeights {
		s := rest * w / total
		sizes = append(sizes, s)
		given += s
	}
	for i := 1; given < rest; i = i%len(layerWeights) + 1 {
		sizes[i]++
		given++
	}
	return slices.DeleteFunc(sizes, func(s int) bool { return s == 0 })
}

// link plans the related links: each article of depth d+1 is the child of
// one of depth d, and every article also links one or two others no deeper
// than its children, so the planned depth is the shortest path.
func (b *builder) link() {
	for k := 1; k < len(b.layers); k++ {
		parents := slices.Clone(b.layers[k-1])
		b.rng.Shuffle(len(parents), func(i, j int) { parents[i], parents[j] = parents[j], parents[i] })
		for n, child := range b.layers[k] {
			p := b.arts[parents[n%len(parents)]]
			p.out = append(p.out, target{to: child, path: b.arts[child].Path})
		}
	}
	for i, e := range b.arts {
		var cands []int
		for j, o := range b.arts {
			if j != i && o.layer <= e.layer+1 && !e.linksTo(j) {
				cands = append(cands, j)
			}
		}
		n := 1 + b.rng.IntN(2)
		for _, k := range b.rng.Perm(len(cands))[:min(n, len(cands))] {
			e.out = append(e.out, target{to: cands[k], path: b.arts[cands[k]].Path})
		}
	}
}

// linksTo reports whether e already links article j.
func (e *entry) linksTo(j int) bool {
	return slices.ContainsFunc(e.out, func(t target) bool { return t.to == j })
}

// linker picks an article to carry a link to article t: one a level
// shallower than t when there is one, else one as deep, so the link does
// not change t's depth much.
func (b *builder) linker(t int) int {
	var shallower, same []int
	for i, e := range b.arts {
		switch {
		case i == t:
		case e.layer == b.arts[t].layer-1:
			shallower = append(shallower, i)
		case e.layer == b.arts[t].layer:
			same = append(same, i)
		}
	}
	if len(shallower) > 0 {
		return shallower[b.rng.IntN(len(shallower))]
	}
	return same[b.rng.IntN(len(same))]
}

// depths sets each article's Depth: its shortest link distance from "/",
// which links the articles of the first layer.
func (s *Site) depths(b *builder) {
	for _, e := range s.arts {
		e.Depth = -1
	}
	queue := slices.Clone(b.layers[0])
	for _, i := range queue {
		s.arts[i].Depth = 1
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, t := range s.arts[i].out {
			if t.to >= 0 && s.arts[t.to].Depth < 0 {
				s.arts[t.to].Depth = s.arts[i].Depth + 1
				queue = append(queue, t.to)
			}
		}
	}
}
