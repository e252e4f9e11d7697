package sitetest

// The page templates. Their layout follows the reference page
// (/work/shared/seed/reference-page.txt): body, source credit, "read also"
// with the teaser of another story, social line, print link and view counter,
// comments and comment form, headline ticker, footer, similar articles.

const articleHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.L.Dir}}">
<head>
<meta charset="{{.L.Charset}}">
<title>{{.Title}} | {{.L.SiteName}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{{.Summary}}">
<meta name="author" content="{{.Author}}">
<meta property="og:type" content="article">
<meta property="og:title" content="{{.Title}}">
<meta property="og:site_name" content="{{.L.SiteName}}">
<meta property="og:description" content="{{.Summary}}">
<meta property="og:url" content="{{.Canonical}}">
<meta property="article:published_time" content="{{.Published}}">
<link rel="canonical" href="{{.Canonical}}">
{{- if .JSONLD}}
<script type="application/ld+json">{{.JSONLD}}</script>
{{- end}}
</head>
<body>
<header class="masthead"><a class="logo" href="/">{{.L.SiteName}}</a></header>
{{- if .Stamp}}
<div class="aggregator-stamp"><span class="agency">{{.Source}}:</span> <span class="shown-at">{{.Stamp}}</span></div>
{{- end}}
<main>
<article class="story">
<h1 class="headline">{{.Title}}</h1>
<p class="byline">{{.L.By}} <span class="author">{{.Author}}</span></p>
<p class="dateline">{{.L.Published}} <time datetime="{{.Published}}">{{.DisplayDate}}</time></p>
<div class="story-body">
{{- range .Paras}}
<p>{{.}}</p>
{{- end}}
<p class="source-credit">{{.L.Source}} {{.Source}}</p>
</div>
<div class="read-also">
<p class="read-also-label">{{.L.ReadAlso}}</p>
<h2><a href="{{.ReadAlso.Href}}">{{.ReadAlso.Title}}</a></h2>
{{- range .ReadAlso.Paras}}
<p>{{.}}</p>
{{- end}}
</div>
</article>
<p class="follow">{{.L.Follow}}</p>
<div class="tools"><a class="print" href="javascript:window.print()">{{.L.Print}}</a> <span class="views">{{.L.Views}} {{.Views}}</span></div>
<section class="comments" id="comments">
<h3>{{.L.Comments}}</h3>
<div class="comment"><span class="comment-no">1 -</span> <p class="comment-text">{{.L.CommentText}}</p> <span class="comment-date">{{.L.CommentDate}}</span> <span class="comment-author">{{.L.CommentAuthor}}</span></div>
<p class="no-replies">{{.L.NoReplies}}</p>
<form class="comment-form" method="post" action="/comments">
<input type="hidden" name="article" value="{{.Path}}">
<label>{{.L.FormName}} <input name="name" required></label>
<label>{{.L.FormEmail}} <input name="email" type="email"></label>
<label>{{.L.FormComment}} <textarea name="comment" required></textarea></label>
<button type="submit">{{.L.FormSubmit}}</button>
</form>
</section>
</main>
<nav class="ticker" aria-label="{{.L.Ticker}}">
<ul>
{{- range .Ticker}}
<li><a href="{{.Href}}">{{.Title}}</a></li>
{{- end}}
</ul>
</nav>
<footer class="site-footer">
<p>{{.L.Reuse}}</p>
<p>{{.L.Disclaimer}}</p>
<p class="copyright">{{.L.Copyright}}</p>
</footer>
<section class="similar-articles">
<h3>{{.L.Similar}}</h3>
<ul>
{{- range .Similar}}
<li><a href="{{.Href}}">{{.Title}}</a></li>
{{- end}}
</ul>
</section>
</body>
</html>
`

const hubHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.L.Dir}}">
<head>
<meta charset="{{.L.Charset}}">
<title>{{.Title}} | {{.L.SiteName}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{{.Description}}">
<meta property="og:type" content="website">
<meta property="og:title" content="{{.Title}}">
<meta property="og:site_name" content="{{.L.SiteName}}">
<link rel="canonical" href="{{.Canonical}}">
</head>
<body>
<header class="masthead"><a class="logo" href="/">{{.L.SiteName}}</a>
<nav class="sections">
<ul>
{{- range .Nav}}
<li><a href="{{.Href}}">{{.Title}}</a></li>
{{- end}}
</ul>
</nav>
</header>
<main class="hub">
<h1>{{.Title}}</h1>
{{- range .Blocks}}
<section class="{{.Class}}">
<h2>{{.Heading}}</h2>
<ul>
{{- range .Links}}
<li><a href="{{.Href}}">{{.Title}}</a>{{if .Teaser}} <p class="teaser">{{.Teaser}}</p>{{end}}</li>
{{- end}}
</ul>
</section>
{{- end}}
</main>
<footer class="site-footer">
<p class="copyright">{{.L.Copyright}}</p>
</footer>
</body>
</html>
`

const notFoundHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.NotFound}} | {{.SiteName}}</title>
</head>
<body>
<header class="masthead"><a class="logo" href="/">{{.SiteName}}</a></header>
<h1>{{.NotFound}}</h1>
</body>
</html>
`
