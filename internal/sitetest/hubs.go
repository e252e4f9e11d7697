package sitetest

// Placeholders an href may start with; they are replaced when a page is
// rendered, from the Host header of the request.
const (
	originMarker  = "{origin}"  // "http://127.0.0.1:port": the host that was asked
	offsiteMarker = "{offsite}" // "http://localhost:port": same server, another host name
)

// hub is a page listing articles: the home page, the sections and the
// special-report pages.
type hub struct {
	path        string
	lang        string
	title       string
	description string
	blocks      []block
}

// block is one titled list of links on a hub.
type block struct {
	class   string // CSS class of the <section>
	heading string
	teasers bool // show the target article's summary under each link
	links   []hubLink
}

// hubLink is a link on a hub.
type hubLink struct {
	path  string // the target path on this server
	href  string // the href as written when it is not just path; may start with a marker
	title string // the link text; defaults to the target article's title
}

// navLinks is the section menu in the header of every hub. Article pages only
// link back to "/" (see doc.go for why).
func navLinks(lang string) []hubLink {
	if lang == "ar" {
		return []hubLink{
			{path: "/", title: "الرئيسية"},
			{path: "/world/", title: "العالم"},
			{path: "/business/", title: "اقتصاد"},
			{path: "/science/", title: "علوم"},
			{path: "/ar/", title: "العربية"},
		}
	}
	return []hubLink{
		{path: "/", title: "Home"},
		{path: "/world/", title: "World"},
		{path: "/business/", title: "Business"},
		{path: "/science/", title: "Science"},
		{path: "/ar/", title: "العربية"},
	}
}

// hubs returns the hub pages. The special-report hubs are linked from the home
// page only: that is what fixes the depth of their articles (see doc.go).
func hubs() []*hub {
	return []*hub{
		{
			path: "/", lang: "en", title: "News from the coast",
			description: "The Harbour Herald: news from the harbour towns, the sea and the world.",
			blocks: []block{
				{class: "top-stories", heading: "Top stories", teasers: true, links: []hubLink{
					{path: enFloods},
					{path: enCoffee},
					{path: enVents},
					{path: arPutin, href: originMarker + arPutin},
				}},
				{class: "special-reports", heading: "Special reports", links: []hubLink{
					{path: "/special/", title: "Special reports: the changing coast"},
					{path: "/ar/special/", title: "ملفات خاصة"},
				}},
				{class: "most-read", heading: "Most read", links: []hubLink{
					{path: enFloods, href: enFloods + "?utm_source=home&utm_medium=ticker"},
					{path: enFloods, href: enFloods + "?fbclid=IwAR0abc123"},
					{path: enFloods, href: enFloods + "#comments"},
					{path: enCoffee, href: enCoffee + "?utm_campaign=summer&utm_source=newsletter"},
					{path: enRail},
				}},
				{class: "latest", heading: "Latest news", links: []hubLink{
					{path: enFloods}, {path: enQuotas}, {path: enRail}, {path: enWildfire},
					{path: enCoffee}, {path: enPort}, {path: enBank}, {path: enShipyard},
					{path: enVents}, {path: enBattery}, {path: enTerns},
					{path: arPutin}, {path: arMoscow}, {path: arCoffee},
					{path: arWeather}, {path: arQuake}, {path: arU23},
				}},
				{class: "archive", heading: "From the archive", links: []hubLink{
					{path: RedirectPath, title: "From 2019: the shipyard that would not close"},
					{path: NotFoundPath, title: "Harbour tunnel contract under review"},
					{path: PDFPath, title: "Annual report 2024 (PDF)"},
					{path: OversizePath, title: "The complete archive, 1990–2024"},
				}},
				{class: "partners", heading: "Partner content", links: []hubLink{
					{path: OffsitePath, href: offsiteMarker + OffsitePath},
				}},
			},
		},
		{
			path: "/world/", lang: "en", title: "World",
			description: "World news from The Harbour Herald.",
			blocks: []block{
				{class: "section-list", heading: "World", teasers: true, links: []hubLink{
					{path: enFloods, href: "2024/07/nordhaven-floods.html"},
					{path: enQuotas, href: "2024/07/fishing-quotas.html"},
					{path: enRail},
					{path: enWildfire, href: originMarker + enWildfire},
				}},
				{class: "also", heading: "Also in the news", links: []hubLink{
					{path: enQuotas, href: "2024/07/fishing-quotas.html?utm_source=world_hub"},
					{path: enQuotas, href: "2024/07/fishing-quotas.html#comments"},
					{path: DisallowedPath},
				}},
			},
		},
		{
			path: "/business/", lang: "en", title: "Business",
			description: "Business news from The Harbour Herald.",
			blocks: []block{
				{class: "section-list", heading: "Business", teasers: true, links: []hubLink{
					{path: enCoffee},
					{path: enPort},
					{path: enBank},
					{path: enShipyard},
				}},
				{class: "also", heading: "Also in business", links: []hubLink{
					{path: enPort, href: enPort + "?gclid=Cj0KCQjw"},
					{path: enShipyard, href: enShipyard + "?utm_medium=email#top"},
				}},
			},
		},
		{
			path: "/science/", lang: "en", title: "Science",
			description: "Science news from The Harbour Herald.",
			blocks: []block{
				{class: "section-list", heading: "Science", teasers: true, links: []hubLink{
					{path: enVents, href: "2024/07/hydrothermal-vents.html"},
					{path: enBattery},
					{path: enTerns},
				}},
				{class: "also", heading: "Also in science", links: []hubLink{
					{path: enTerns, href: "./2024/08/tern-migration.html?utm_medium=social"},
				}},
			},
		},
		{
			path: "/ar/", lang: "ar", title: "الأخبار العربية",
			description: "آخر الأخبار العربية من بوابة المرفأ.",
			blocks: []block{
				{class: "section-list", heading: "آخر الأخبار", teasers: true, links: []hubLink{
					{path: arPutin, href: "2024/07/putin-assad-moscow.html"},
					{path: arMoscow, href: "2025/02/moscow-new-syria.html"},
					{path: arCoffee},
					{path: arWeather},
					{path: arQuake},
					{path: arU23},
				}},
				{class: "also", heading: "الأكثر قراءة", links: []hubLink{
					{path: arMoscow, href: "2025/02/moscow-new-syria.html?utm_source=ar_home"},
					{path: arMoscow, href: "2025/02/moscow-new-syria.html#comments"},
					{path: arPutin, href: arPutin + "?fbclid=ar1"},
				}},
			},
		},
		{
			path: "/special/", lang: "en", title: "Special reports",
			description: "In-depth special reports from The Harbour Herald.",
			blocks: []block{
				{class: "section-list", heading: "Special reports", teasers: true, links: []hubLink{
					{path: enFisheries},
					{path: enEnergy},
				}},
				{class: "also", heading: "Most shared", links: []hubLink{
					{path: enFisheries, href: enFisheries + "?utm_source=special"},
				}},
			},
		},
		{
			path: "/ar/special/", lang: "ar", title: "ملفات خاصة",
			description: "ملفات خاصة من بوابة المرفأ.",
			blocks: []block{
				{class: "section-list", heading: "ملفات خاصة", teasers: true, links: []hubLink{
					{path: arWater},
					{path: arPorts},
				}},
			},
		},
	}
}
