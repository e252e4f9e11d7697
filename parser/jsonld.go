package parser

import (
	"encoding/json"
	"strconv"
	"strings"
)

// articleTypes are the schema.org types that mark a page as one article.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "askpublicnewsarticle": true, "liveblogposting": true, "techarticle": true, "scholarlyarticle": true, "report": true,
	"socialmediaposting": true, "satiricalarticle": true, "advertisercontentarticle": true,
	"medicalscholarlyarticle": true,
}

// listingTypes are schema.org types of pages that list other pages.
var listingTypes = map[string]bool{
	"collectionpage": true, "itemlist": true, "searchresultspage": true, "profilepage": true,
}

// forumTypes and productTypes are schema.org types of pages that are not
// articles (see classify); microdata itemtypes count the same.
var (
	forumTypes   = map[string]bool{"discussionforumposting": true, "qapage": true}
	productTypes = map[string]bool{"product": true, "productgroup": true, "offer": true, "aggregateoffer": true}
)

// ldArticle is what trawler reads from a JSON-LD article object.
type ldArticle struct {
	Headline      string
	DatePublished string
	DateModified  string
	Description   string
	Language      string
	URL           string
	Authors       []string
	Publisher     string
	Images        []string
	Keywords      []string
}

// ldData is the useful content of every JSON-LD block of a page.
type ldData struct {
	Article  *ldArticle // the first article-typed object, nil if none
	SiteName string     // WebSite or publishing Organization name
	Listing  bool       // a CollectionPage, ItemList… was declared
	WebPage  bool       // a plain WebPage (or WebSite) was declared
	Forum    bool       // a DiscussionForumPosting or QAPage was declared
	Products int        // Product, ProductGroup and Offer objects declared
	Comments int        // Comment objects declared
	// Page is the first WebPage object: Yoast and similar plugins put the
	// dates and author there when they declare no article.
	Page *ldArticle
}

// parseJSONLD decodes the JSON-LD script bodies of a page. Broken blocks are
// skipped: JSON-LD is a hint, never a reason to fail a page.
func parseJSONLD(scripts []string) ldData {
	var objs []map[string]any
	for _, s := range scripts {
		var v any
		if err := json.Unmarshal([]byte(cleanJSON(s)), &v); err != nil {
			continue
		}
		objs = flattenLD(v, objs, 0)
	}
	ids := map[string]map[string]any{}
	for _, o := range objs {
		if id, ok := o["@id"].(string); ok && id != "" {
			if _, seen := ids[id]; !seen || len(o) > len(ids[id]) {
				ids[id] = o
			}
		}
	}
	var d ldData
	for _, o := range objs {
		types := ldTypes(o)
		isArticle := false
		for _, t := range types {
			switch {
			case articleTypes[t]:
				isArticle = true
			case listingTypes[t]:
				d.Listing = true
			case forumTypes[t]:
				d.Forum = true
			case productTypes[t]:
				d.Products++
			case t == "comment":
				d.Comments++
			case t == "webpage" || t == "website":
				d.WebPage = true
				if t == "webpage" && d.Page == nil {
					d.Page = readLDArticle(o, ids)
				}
			}
			if t == "website" && d.SiteName == "" {
				d.SiteName = ldString(o["name"], ids)
			}
		}
		if isArticle && (d.Article == nil || d.Article.Headline == "") {
			a := readLDArticle(o, ids)
			if d.Article == nil || a.Headline != "" {
				d.Article = a
			}
		}
	}
	if d.Article != nil && d.Article.Publisher != "" {
		d.SiteName = d.Article.Publisher
	}
	return d
}

// cleanJSON repairs what commonly breaks JSON-LD: HTML comment or CDATA
// wrappers and raw control characters inside strings.
func cleanJSON(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range [...][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"<![CDATA[", "]]>"}} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, w[0]), w[1]))
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
}

// flattenLD appends the objects of v: arrays are spread, @graph members and
// mainEntity objects are lifted to the top.
func flattenLD(v any, out []map[string]any, depth int) []map[string]any {
	if depth > 8 {
		return out
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			out = flattenLD(e, out, depth+1)
		}
	case map[string]any:
		out = append(out, t)
		for _, k := range [...]string{"@graph", "mainEntity", "mainEntityOfPage", "itemListElement"} {
			if sub, ok := t[k]; ok {
				if _, isStr := sub.(string); !isStr {
					out = flattenLD(sub, out, depth+1)
				}
			}
		}
		// A Blog that holds exactly one blogPost is that post's page
		// (Micro.blog, some static generators): the post is the article.
		// A Blog listing several posts is an index, and lifting its first
		// post would give the index that post's date.
		if post := singleLD(t["blogPost"]); post != nil {
			out = flattenLD(post, out, depth+1)
		}
	}
	return out
}

// singleLD returns v when it is one JSON-LD object, or an array holding
// exactly one object; nil otherwise.
func singleLD(v any) map[string]any {
	if a, ok := v.([]any); ok {
		if len(a) != 1 {
			return nil
		}
		v = a[0]
	}
	o, _ := v.(map[string]any)
	return o
}

func ldTypes(o map[string]any) []string {
	var out []string
	switch t := o["@type"].(type) {
	case string:
		out = append(out, strings.ToLower(t))
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, strings.ToLower(s))
			}
		}
	}
	return out
}

func readLDArticle(o map[string]any, ids map[string]map[string]any) *ldArticle {
	a := &ldArticle{
		Headline:      ldString(o["headline"], ids),
		DatePublished: ldString(o["datePublished"], ids),
		DateModified:  ldString(o["dateModified"], ids),
		Description:   ldString(o["description"], ids),
		Language:      ldString(o["inLanguage"], ids),
		URL:           ldString(o["url"], ids),
		Authors:       ldNames(o["author"], ids, 0),
		Images:        ldURLs(o["image"], ids, 0),
		Keywords:      ldKeywords(o["keywords"]),
	}
	if a.Headline == "" {
		a.Headline = ldString(o["name"], ids)
	}
	if a.DatePublished == "" {
		a.DatePublished = ldString(o["dateCreated"], ids)
	}
	if len(a.Authors) == 0 {
		a.Authors = ldNames(o["creator"], ids, 0)
	}
	if p := ldNames(o["publisher"], ids, 0); len(p) > 0 {
		a.Publisher = p[0]
	}
	return a
}

// ldString reads a scalar, a {"@value": …} or {"name": …} object, or the
// first element of an array.
func ldString(v any, ids map[string]map[string]any) string {
	switch t := v.(type) {
	case string:
		return normalizeSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case []any:
		for _, e := range t {
			if s := ldString(e, ids); s != "" {
				return s
			}
		}
	case map[string]any:
		t = resolveLD(t, ids)
		for _, k := range [...]string{"@value", "name", "alternateName"} {
			if s, ok := t[k].(string); ok && strings.TrimSpace(s) != "" {
				return normalizeSpace(s)
			}
		}
	}
	return ""
}

// ldNames reads people or organizations: a string, an object with a name
// (resolving {"@id": …} references), or an array of either.
func ldNames(v any, ids map[string]map[string]any, depth int) []string {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case string:
		if s := normalizeSpace(t); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldNames(e, ids, depth+1)...)
		}
		return out
	case map[string]any:
		t = resolveLD(t, ids)
		if s := ldString(t["name"], ids); s != "" {
			return []string{s}
		}
		if g, f := ldString(t["givenName"], ids), ldString(t["familyName"], ids); g != "" || f != "" {
			return []string{strings.TrimSpace(g + " " + f)}
		}
	}
	return nil
}

func ldURLs(v any, ids map[string]map[string]any, depth int) []string {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case string:
		if s := strings.TrimSpace(t); s != "" {
			return []string{s}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldURLs(e, ids, depth+1)...)
		}
		return out
	case map[string]any:
		t = resolveLD(t, ids)
		for _, k := range [...]string{"url", "contentUrl", "@id"} {
			if s, ok := t[k].(string); ok && strings.TrimSpace(s) != "" {
				return []string{strings.TrimSpace(s)}
			}
		}
	}
	return nil
}

func ldKeywords(v any) []string {
	switch t := v.(type) {
	case string:
		return splitList(t)
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldKeywords(e)...)
		}
		return out
	case map[string]any:
		if s, ok := t["name"].(string); ok {
			return splitList(s)
		}
	}
	return nil
}

// resolveLD replaces a bare {"@id": …} reference by the object it names.
func resolveLD(o map[string]any, ids map[string]map[string]any) map[string]any {
	if id, ok := o["@id"].(string); ok && len(o) <= 2 {
		if full, ok := ids[id]; ok {
			return full
		}
	}
	return o
}

// splitList splits a keyword or author list on commas (Latin and Arabic)
// and semicolons, trimming and dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '،' || r == ';' || r == '؛' || r == '|' }) {
		if f = normalizeSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
