package realsite

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/trawler/trawler/internal/eval"
)

// Defaults of Options.
const (
	DefaultArticles = 45
	minArticles     = 12 // room for the entries, every alias kind and depth 3
)

// Options say which pages the site is built from and how it is laid out.
type Options struct {
	// Dir is the ground-truth folder: ground-truth.json and the gzipped
	// pages it names. Empty: DefaultDir().
	Dir string
	// Seed chooses the pages and the layout; the same seed and folder
	// build the same site.
	Seed uint64
	// Articles is the number of article pages (default DefaultArticles,
	// at least 12).
	Articles int
}

// DefaultDir returns the dev set beside the repository,
// ../shared/bench/extraction from the module root (found from the working
// directory, as go test runs in the package's directory).
func DefaultDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "bench", "extraction")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "bench", "extraction")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "..", "shared", "bench", "extraction")
		}
	}
}

// Article is one real page served as an article of the site, with what a
// crawl must make of it.
type Article struct {
	ID       string // ground-truth id
	Source   string // ground-truth source: scrapinghub, readability, wcxb
	Original string // the page's URL on the web, "" when unknown
	Headline string // the title links use for it
	Body     string // ground-truth body
	Scheme   string // the scheme of Path, one of Schemes
	// Path is the main URL, escaped path and query ("/article?id=123"):
	// the page's canonical, unless ForeignCanonical is set.
	Path string
	// Depth is the shortest link distance from "/" (which is 0).
	Depth int
	// Aliases are the other addresses the site serves the article at and
	// links to (pagination, print, canonical alias, AMP). The site also
	// serves it at any address that adds parameters to Path, as most
	// sites do; Requests tells which were fetched.
	Aliases []Alias
	// Tracking are the addresses with tracking parameters or session ids
	// that pages link to the article by.
	Tracking []string
	// ForeignCanonical is the canonical URL on another site the page
	// declares (a syndicated copy); "" when its canonical is Path. Such a
	// page is an article of its own, merged with nothing.
	ForeignCanonical string
}

// Alias is another address of an article.
type Alias struct {
	Path string    // escaped path and query
	Kind AliasKind // what it is
}

// AliasKind says what an alias address is.
type AliasKind string

// Alias kinds.
const (
	AliasPage      AliasKind = "page"      // ?p=2 …: the same bytes
	AliasPrint     AliasKind = "print"     // ?print=1, ?ot=…PrintPageLayout.ot: the same bytes
	AliasCanonical AliasKind = "canonical" // /?p=4821, /node/4821: the same bytes, canonical to Path
	AliasAMP       AliasKind = "amp"       // /amp/…: <html amp>, no scripts, canonical to Path
	AliasExtra     AliasKind = "extra"     // Path with parameters the site ignores (served, never linked by the site)
)

// Site is the replay site, an http.Handler. Build it with Build; its
// content is fixed, only the request log changes (safe for concurrent use).
type Site struct {
	arts   []*entry
	hidden []*hiddenPage
	root   []byte
	robots string
	routes map[string]Route // by routeKey
	// mainByPath indexes articles by the decoded path of their main URL.
	mainByPath map[string][]int

	mu   sync.Mutex
	reqs map[string]*Request // by request URI
}

// Build lays out a site from the pages of opts.Dir. It fails with an error
// wrapping fs.ErrNotExist when the folder has no ground-truth.json.
func Build(opts Options) (*Site, error) {
	if opts.Dir == "" {
		opts.Dir = DefaultDir()
	}
	if opts.Articles == 0 {
		opts.Articles = DefaultArticles
	}
	if opts.Articles < minArticles {
		return nil, fmt.Errorf("realsite: %d articles, want at least %d", opts.Articles, minArticles)
	}
	ds, err := eval.Load(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("realsite: %w", err)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7265616c73697465))
	pages, err := pickPages(ds, opts.Articles, len(disallowedPrefixes), rng)
	if err != nil {
		return nil, err
	}
	b := &builder{rng: rng, urls: urlMaker{rng: rng, used: map[string]bool{}}, hiddenLinks: map[int]int{}}
	b.place(pages[:opts.Articles], pages[opts.Articles:])
	b.link()
	b.alias()
	b.plan()
	s := &Site{arts: b.arts, hidden: b.hidden, reqs: map[string]*Request{}}
	if err := s.render(b); err != nil {
		return nil, err
	}
	s.depths(b)
	return s, nil
}

// Articles returns the site's articles in a fixed order.
func (s *Site) Articles() []Article {
	out := make([]Article, len(s.arts))
	for i, e := range s.arts {
		out[i] = e.Article
		out[i].Aliases = slices.Clone(e.Aliases)
		out[i].Tracking = slices.Clone(e.Tracking)
	}
	return out
}

// Disallowed returns the pages related blocks link to that robots.txt
// disallows (escaped paths): a crawl must never request them.
func (s *Site) Disallowed() []string {
	out := make([]string, len(s.hidden))
	for i, h := range s.hidden {
		out[i] = h.path
	}
	return out
}

// Link is a link the site's pages carry to an article.
type Link struct {
	From    string // the linking page's main URL ("/" for the front page)
	Markup  string // the related-block markup it is in (see shapes.go)
	Heading string // the block's heading
	Title   string // the anchor text
	Href    string // as written; "http://realsite.invalid" stands for the site
}

// LinksTo returns the links the site's pages carry to the i-th article of
// Articles(), for failure messages.
func (s *Site) LinksTo(i int) []Link { return slices.Clone(s.arts[i].in) }

// RobotsTxt returns the site's robots.txt.
func (s *Site) RobotsTxt() string { return s.robots }

// entry is an article under construction and served.
type entry struct {
	Article
	page  *realPage
	date  time.Time
	blurb string
	layer int      // planned depth
	out   []target // the links its related blocks carry, in order
	// style of the page's hrefs; no document-relative links on a page
	// also served under another directory (AMP, canonical alias).
	noRelative bool
	blocks     []plannedBlock
	in         []Link // the links to it
	served     []byte // the page, with hostMarker for the host
	amp        []byte // the AMP copy, nil when none
	utf8CT     bool   // Content-Type names charset=utf-8
}
