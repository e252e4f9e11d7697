package realsite

import (
	"fmt"
	"html"
	"strings"
)

// link is one link as a related block shows it.
type link struct {
	href    string // as written in the page
	title   string // anchor text
	date    string // "3 January 2019"
	isoDate string // "2019-01-03"
	unix    int64
	blurb   string // a standfirst
	kicker  string // a section label
	author  string
}

// heading is a related block's heading.
type heading struct {
	text string
	rtl  bool // Arabic: the heading element carries dir="rtl"
}

// dir returns the heading element's dir attribute, if any.
func (h heading) dir() string {
	if h.rtl {
		return ` dir="rtl"`
	}
	return ""
}

// shape is one related-block markup, reproduced from a page of the dev set
// with its class names, nesting, duplicate image and title links and
// metadata; only the links, titles and heading change.
type shape struct {
	name    string
	from    string // dev-set page ids it reproduces
	heading string // its heading there
	inline  bool   // a paragraph inside the text with one link
	render  func(w *strings.Builder, h heading, links []link)
}

// headings are the headings a block may carry instead of its own: those
// the issue lists, English and Arabic.
var headings = []heading{
	{text: "Related articles"}, {text: "More on this story"}, {text: "You may also like"},
	{text: "Read also"}, {text: "Related"}, {text: "More stories"},
	{text: "اقرأ أيضا", rtl: true}, {text: "مقالات مشابهة", rtl: true}, {text: "أخبار ذات صلة", rtl: true},
}

// inlineHeadings are the labels of inline "read also" paragraphs.
var inlineHeadings = []heading{
	{text: "Related:"}, {text: "Also read:"}, {text: "Read also:"}, {text: "READ MORE:"},
	{text: "اقرأ أيضا:", rtl: true},
}

var esc = html.EscapeString

// blockShapes are the block markups, each from a dev-set page (ids as in
// ground-truth.json).
var blockShapes = []*shape{
	{
		name: "bbc-more-on-this-story", from: "sh_70cb2d5bca75ab5a (bbc.com), rd_bbc-1", heading: "More on this story",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="group story-alsos more-on-this-story"><div class="group__header"><h2 class="group__title"%s>%s</h2></div><div class="group__body"><ul class="units-list ">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<li class="unit unit--regular" data-entityid="more-on-this-story#%d"><a class="unit__link-wrapper" href="%s"><div class="unit__body"><div class="unit__header"><div class="unit__title"><span class="cta">%s</span></div></div><div class="unit__meta"><div class="date date--v1" data-seconds="%d" data-datetime="%s">%s</div></div></div></a></li>`,
					i+1, esc(l.href), esc(l.title), l.unix, l.date, l.date)
			}
			w.WriteString(`</ul></div></div>`)
		},
	},
	{
		name: "guardian-onwards", from: "rd_guardian-1", heading: "more on this story",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<aside class="related more-on-this-story js-outbrain-anchor" aria-labelledby="related-content-head"><section id="more-on-this-story" class="fc-container fc-container--will-have-toggle js-container--toggle" data-link-name="container-3 | more-on-this-story" data-id="more-on-this-story" data-component="more-on-this-story" aria-expanded="true"><div class="fc-container__inner"><header class="fc-container__header js-container__header"><div class="fc-container__header__title"><h2 tabindex="0"%s> %s </h2></div></header><div class="fc-container--rolled-up-hide fc-container__body fc-show-more--hidden" data-title="%s" data-id="more-on-this-story"><div class="fc-slice-wrapper"><ul class="u-unstyled l-row l-row--cols-4 fc-slice fc-slice--q-q-q-q">`, h.dir(), esc(h.text), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<li class="fc-slice__item l-row__item l-row__item--span-1 u-faux-block-link"><div class="fc-item fc-item--has-image fc-item--has-metadata fc-item--has-timestamp fc-item--type-article js-fc-item" data-link-name="news | group-0 | card-@%d" data-item-visibility="all" data-test-id="facia-card"><div class="fc-item__container"><div class="fc-item__media-wrapper"><div class="fc-item__image-container u-responsive-ratio"><picture><img class="responsive-img" alt="" src="/img/media/card-%d.jpg?width=300&amp;quality=85"></picture></div></div><div class="fc-item__content"><div class="fc-item__header"><h3 class="fc-item__title"><a href="%s" class="fc-item__link" data-link-name="article"><span class="u-faux-block-link__cta fc-item__headline"><span class="js-headline-text">%s</span></span></a></h3></div><div class="fc-item__standfirst-wrapper fc-item__standfirst-wrapper--timestamp"><div class="fc-item__standfirst"> %s </div><div class="fc-item__meta js-item__meta"><time class="fc-item__timestamp js-item__timestamp" datetime="%sT09:00:00+0000" data-timestamp="%d000" data-relativeformat="short"><span class="fc-timestamp__text"><span class="u-h">Published:</span> %s</span></time></div></div></div><a href="%s" class="u-faux-block-link__overlay js-headline-text" data-link-name="article" tabindex="-1" aria-hidden="true">%s</a></div></div></li>`,
					i+1, i+1, esc(l.href), esc(l.title), esc(l.blurb), l.isoDate, l.unix, l.date, esc(l.href), esc(l.title))
			}
			w.WriteString(`</ul></div></div></div></section></aside>`)
		},
	},
	{
		name: "jetpack-relatedposts", from: "rd_wordpress (wptavern.com)", heading: "Related",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div id="jp-relatedposts" class="jp-relatedposts" style="display: block;"><h3 class="jp-relatedposts-headline font-headlines"%s><em>%s</em></h3><div class="jp-relatedposts-items jp-relatedposts-items-visual jp-relatedposts-grid ">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<div class="jp-relatedposts-post jp-relatedposts-post%d jp-relatedposts-post-thumbs" data-post-id="%d" data-post-format="false"><a class="jp-relatedposts-post-a" href="%s" title="%s" rel="nofollow" data-origin="67202" data-position="%d"><img class="jp-relatedposts-post-img" src="/wp-content/uploads/related-%d.png?resize=350%%2C200" alt="%s" width="350"></a><h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="%s" title="%s" rel="nofollow" data-origin="67202" data-position="%d">%s</a></h4><p class="jp-relatedposts-post-excerpt">%s</p><p class="jp-relatedposts-post-date">%s</p><p class="jp-relatedposts-post-context">In &quot;%s&quot;</p></div>`,
					i, 50000+l.unix%10000, esc(l.href), esc(l.title+" "+l.blurb), i, i, esc(l.title), esc(l.href), esc(l.title+" "+l.blurb), i, esc(l.title), esc(l.blurb), l.date, esc(l.kicker))
			}
			w.WriteString(`</div></div>`)
		},
	},
	{
		name: "yarpp-list", from: "wcxb_4457 (irunfar.com)", heading: "Related articles:",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class='yarpp yarpp-related yarpp-related-website yarpp-template-list'><p%s>%s</p><ol>`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, `<li><a href="%s" rel="bookmark" title="%s">%s</a> <small>%s</small></li>`, esc(l.href), esc(l.title), esc(l.title), esc(l.blurb))
			}
			w.WriteString(`</ol></div>`)
		},
	},
	{
		name: "related-clearfix", from: "rd_tmz-1; also rd_cnet-svg-classes (shortcode related-links), rd_heise (related_items)", heading: "See also",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="related clearfix"><h3%s><span>%s</span></h3><ul>`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, `<li><a href="%s">%s</a></li>`, esc(l.href), esc(l.title))
			}
			w.WriteString(`</ul></div>`)
		},
	},
	{
		name: "similar-table", from: "sh_f105de6e63ca91ea (note100yen.com)", heading: "",
		render: func(w *strings.Builder, h heading, links []link) {
			w.WriteString(`<div class="similar">`)
			if h.text != "" {
				fmt.Fprintf(w, `<h3 class="similar-title"%s>%s</h3>`, h.dir(), esc(h.text))
			}
			w.WriteString(`<ul>`)
			for i, l := range links {
				fmt.Fprintf(w, `<li><table class="similar-text"><tbody><tr><th><a href="%s"><img width="420" height="280" src="/wp-content/uploads/similar-%d-420x280.png" class="attachment-420x280 size-420x280 wp-post-image" alt=""></a></th><td><a href="%s">%s</a></td></tr></tbody></table></li>`, esc(l.href), i, esc(l.href), esc(l.title))
			}
			w.WriteString(`</ul></div>`)
		},
	},
	{
		name: "similar-posts-admonition", from: "rd_toc-missing (hakibenita.com), with its document-relative hrefs", heading: "Similar articles",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<hr /><section class="admonition tip"><h4 class="admonition-title"%s> %s </h4><ul class="similar_posts">`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, `<li><ul class="article__info"><li><time class="published" datetime="%s">%s</time></li><li><a class="tag" href="/tag/%s">%s</a></li></ul><a href="%s"><h4> %s </h4><p> %s </p></a></li>`,
					l.isoDate, l.date, strings.ToLower(strings.ReplaceAll(l.kicker, " ", "-")), esc(l.kicker), esc(l.href), esc(l.title), esc(l.blurb))
			}
			w.WriteString(`</ul></section>`)
		},
	},
	{
		name: "crp-widget", from: "wcxb_0454 (blog.apnic.net)", heading: "Related Articles",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<aside id="widget_crp-2" class="widget crp_posts_list_widget"><h3 class="widget-title"%s>%s</h3><div class="crp_related crp_related_widget    "><ul class="list-unstyled">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<li><a href="%s" class="crp_link post-%d"><figure><img width="150" height="150" src="/wp-content/uploads/crp-%d.png" class="crp_featured crp_thumb large" alt="%s" title="%s"></figure><span class="crp_title">%s</span></a><span class="crp_author"> by <a href="/author/%s/">%s</a></span><span class="crp_date"> %s</span></li>`,
					esc(l.href), 80000+i, i, esc(l.title), esc(l.title), esc(l.title), strings.ToLower(strings.ReplaceAll(l.author, " ", "-")), esc(l.author), l.date)
			}
			w.WriteString(`</ul><div class="crp_clear"></div></div></aside>`)
		},
	},
	{
		name: "strong-label-list", from: "wcxb_4613 (learn.eartheasy.com): a bold label paragraph, then a plain list", heading: "Related:",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<p%s><strong>%s</strong></p> <ul>`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, ` <li><a rel="noopener" href="%s" target="_blank">%s</a></li>`, esc(l.href), esc(l.title))
			}
			w.WriteString(` </ul>`)
		},
	},
	{
		name: "liberation-related", from: "rd_liberation-1", heading: "Sur le même sujet",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<aside class="related" id="related-content"><span class="name"%s>%s</span><ul>`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, `<li><div><a href="%s"><span class="slug">%s</span><h2 class="diamond">%s</h2></a><span class="author">Par <span class="authorname">%s</span></span></div></li>`, esc(l.href), esc(l.kicker), esc(l.title), esc(l.author))
			}
			w.WriteString(`</ul></aside>`)
		},
	},
	{
		name: "natgeo-cards", from: "wcxb_4530 (nationalgeographic.com): generated class names, the heading is the only cue", heading: "You May Also Like",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<section class="Kiog iKqXF CHWlW ZgZTu FlDNH hQfuy DIVSO feniZ wBpop uAyYK yJYJo OGgqj tQHio PCVZs "><header class="mLASH VZTD bhaVx "><div><h2 class="KuBvM RTkZF lFzlq GbVC HkWF exKgG kGyAC SwCrv "%s>%s</h2></div></header>`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<div class="liAe uMOq zYIfP pYgZk Mxrkk VZTD lZur TPpRg NoUSU igcMP DtJWr QgBvn DFdlJ "><a class="iVcn UbGlr ibBnq qdXbA avodi DbOXS tqUtK GpWVU iJYzE QGHKv HNQqj ICwhc Bkgbl ZLXw kSqqG rEBmF " href="%s" aria-label="%s" aria-describedby="card%dtags"><div class="hsDdd GpQCA lZur BOsoU YMZw dihEb srtah LmIPo "><div class="GpQCA lZur oVsVV nFtJ GHKp awJgN EuJtJ "><div class="FvQLF iLTd NqeUA UzzHi iWsMV "><picture><img alt="" class="hsDdd NDJZt sJeUN IJwXl " draggable="false" src="/n/card-%d_square.jpg"/></picture></div></div></div><div class="QGHKv iVcn avodi rEPuv ICwhc ibBnq Bkgbl ZLXw kSqqG rEBmF "><div class="VZTD rEPuv QXDKT pJYTK "><div class="CJAFL gDeX "><div class="mLASH VZTD UeCOM wSnmx ltDkr MjHGf rmiAn vvBSK " id="card%dtags"><div class="wXbPV YAJid wPGsL ">%s</div></div><h2 class="PFoxV eBpQD rcQBv bQtjQ lQUdN GpQCA mAkiF FvMyr WvoqU nPLLM tuAKv " id="card%dheadline">%s</h2></div></div></div></a></div>`,
					esc(l.href), esc(l.title), i, i, i, esc(strings.ToUpper(l.kicker)), i, esc(l.title))
			}
			w.WriteString(`</section>`)
		},
	},
	{
		name: "nypost-more-on", from: "sh_a1fca19b884e0e94 (nypost.com), inline beside the text", heading: "More On:",
		render: func(w *strings.Builder, h heading, links []link) {
			tag := "news"
			if len(links) > 0 && links[0].kicker != "" {
				tag = strings.ToLower(links[0].kicker)
			}
			fmt.Fprintf(w, `<div class="in-line-column wp-caption alignleft"><div id="more-on" class="more-on more-on--tag more-on--author box module inline tag desktop"><div class="more-on__wrapper module-wrapper"><div class="more-on__header more-on--tag__header tag-header"><h4 class="more-on__heading"%s>%s</h4><h3 class="more-on__name"><a class="more-on__link" href="/tag/%s/">%s</a></h3></div>`, h.dir(), esc(h.text), esc(strings.ReplaceAll(tag, " ", "-")), esc(tag))
			for i, l := range links {
				if i > 0 {
					w.WriteString(`<div class="rule"></div>`)
				}
				fmt.Fprintf(w, `<h2 class="more-on__content-title"><a href="%s" class="postid-%d more-on__content-link">%s</a></h2>`, esc(l.href), 14600000+l.unix%100000, esc(l.title))
			}
			w.WriteString(`</div></div></div>`)
		},
	},
	{
		name: "nypost-more-stories", from: "sh_a1fca19b884e0e94 (nypost.com), the widget after the article", heading: "More Stories",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="widget-more-stories"><div class="container"><div class="more-stories"><div class="widget-title"><h4 class="widget-more-stories__heading"%s>%s</h4></div><div class="widget"><div class="module-wrapper">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<div class="story-photo-box"><a href="%s"><img class="lazyload" data-srcset="/uploads/more-%d.jpg?w=300" alt=""></a><h5><a href="%s">%s</a></h5></div>`, esc(l.href), i, esc(l.href), esc(l.title))
			}
			w.WriteString(`</div></div></div></div></div>`)
		},
	},
	{
		name: "seattletimes-multi-related", from: "rd_seattletimes-1", heading: "Related",
		render: func(w *strings.Builder, h heading, links []link) {
			topic := "News"
			if len(links) > 0 && links[0].kicker != "" {
				topic = links[0].kicker
			}
			fmt.Fprintf(w, `<div class="multi-related-article-links embed-container u-sans u-border-t u-border-b"><div class="multi-related-article-links-wrapper u-dib"><h3 class="related-article-label u-middle-gray u-dib u-upper u-bold font-tiny pb-10"%s>%s</h3> <a class="related-article-link-label u-off-black u-upper u-bold font-tiny pb-10" href="/%s/">More on %s</a><ul class="related-article-links-list mb-0 ml-1 u-serif">`, h.dir(), esc(h.text), esc(strings.ToLower(strings.ReplaceAll(topic, " ", "-"))), esc(topic))
			for _, l := range links {
				fmt.Fprintf(w, `<li class="list-item"><a class="related-article-headline font-list u-off-black u-blue-hfa:hover pb-10" href="%s">%s</a></li>`, esc(l.href), esc(l.title))
			}
			w.WriteString(`</ul></div></div>`)
		},
	},
	{
		name: "b-related-cards", from: "sh_c4a3637c6696f238 (gto-normativy.ru), a non-English heading in a span", heading: "Вам также может быть интересно",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="b-related"><div class="b-related__header"><span%s>%s</span></div><div class="b-related__items">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<div id="post-%d" class="post-card post-%d post type-post status-publish format-standard has-post-thumbnail"><div class="post-card__image"><a href="%s"><img width="330" height="140" src="/wp-content/uploads/card-%d-330x140.jpg" class="attachment-thumb-wide size-thumb-wide wp-post-image" alt=""><div class="entry-meta"><span class="entry-category"><span>%s</span></span><span class="entry-meta__info"><span class="entry-meta__comments" title="Comments"><span class="fa fa-comment-o"></span> 0</span></span></div></a></div><header class="entry-header"><div class="entry-title"><a href="%s" rel="bookmark">%s</a></div></header></div>`,
					6800+i, 6800+i, esc(l.href), i, esc(l.kicker), esc(l.href), esc(l.title))
			}
			w.WriteString(`</div></div>`)
		},
	},
	{
		name: "gridlove-related", from: "wcxb_4622 (blog.admissions.illinois.edu): cards are <article> elements", heading: "You may also like",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="gridlove-related"><div class="gridlove-module"><div class="module-header"><div class="module-title"><h4 class="h2"%s>%s</h4></div></div><div class="row">`, h.dir(), esc(h.text))
			for i, l := range links {
				fmt.Fprintf(w, `<div class="col-lg-6 col-md-6 col-sm-12"><article class="gridlove-post gridlove-post-a gridlove-box post-%d post type-post status-publish format-standard has-post-thumbnail"><div class="entry-image"><a href="%s" title="%s"><img width="370" height="150" src="/wp-content/uploads/grid-%d.jpg" class="attachment-gridlove-a4 size-gridlove-a4 wp-post-image" alt=""></a><div class="entry-category"><a href="/category/%s/" class="gridlove-cat">%s</a></div></div><div class="box-inner-p"><div class="box-inner-ellipsis"><h2 class="entry-title h3"><a href="%s">%s</a></h2></div><div class="entry-meta"><div class="meta-item meta-date"><span class="updated">%s</span></div></div></div></article></div>`,
					33000+i, esc(l.href), esc(l.title), i, esc(strings.ToLower(strings.ReplaceAll(l.kicker, " ", "-"))), esc(l.kicker), esc(l.href), esc(l.title), l.date)
			}
			w.WriteString(`</div></div></div>`)
		},
	},
	{
		// Not in the dev set, which has no Arabic page: the class
		// name and heading, on the plainest list markup above.
		name: "read-also-ar", from: "the issue (class read-also, heading اقرأ أيضا) on the related-clearfix list", heading: "اقرأ أيضا",
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="read-also" dir="rtl"><h3 class="read-also__title"%s>%s</h3><ul>`, h.dir(), esc(h.text))
			for _, l := range links {
				fmt.Fprintf(w, `<li><a href="%s">%s</a></li>`, esc(l.href), esc(l.title))
			}
			w.WriteString(`</ul></div>`)
		},
	},
}

// inlineShapes are "read also" paragraphs inside the text, each from a
// dev-set page.
var inlineShapes = []*shape{
	{
		name: "livescience-related", from: "sh_3c5bf8db4272925b (livescience.com), sh_686bb170effe273e (space.com)", heading: "Related:", inline: true,
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<p%s><strong>%s </strong><a href="%s"><u><strong>%s</strong></u></a></p>`, h.dir(), esc(h.text), esc(links[0].href), esc(links[0].title))
		},
	},
	{
		name: "digit-also-read", from: "wcxb_0385 (digit.in), wcxb_4232 (cherryservers.com)", heading: "Also read:", inline: true,
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<p%s>%s <a href="%s" title="">%s</a></p>`, h.dir(), esc(h.text), esc(links[0].href), esc(links[0].title))
		},
	},
	{
		name: "bracket-also-read", from: "wcxb_4036 (enterprisersproject.com)", heading: "Also read", inline: true,
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<p%s><strong>[ %s <a href="%s">%s</a>. ]</strong></p>`, h.dir(), esc(strings.TrimSuffix(h.text, ":")), esc(links[0].href), esc(links[0].title))
		},
	},
	{
		name: "upgp-related", from: "wcxb_0334 (upgradedpoints.com)", heading: "Related:", inline: true,
		render: func(w *strings.Builder, h heading, links []link) {
			fmt.Fprintf(w, `<div class="upgp-related"%s> <strong class="upgp-related__symbol">»</strong> <strong class="upgp-related__title">%s</strong> <a class="upgp-related__link" href="%s" title="%s"> %s </a> </div>`, h.dir(), esc(h.text), esc(links[0].href), esc(links[0].title), esc(links[0].title))
		},
	},
}
