package sitetest

// Site names, as in og:site_name and the " | " suffix of <title>.
const (
	SiteNameEN = "The Harbour Herald"
	SiteNameAR = "بوابة المرفأ"
)

// aggregatorStamp is the display time an aggregator prints above an Arabic
// story next to the source's name, as on the reference page. It is not the
// publication date.
const aggregatorStamp = "2025-02-16@21:10:59 GMT"

// labels is the boilerplate of a page in one language.
type labels struct {
	SiteName      string
	Dir           string // "ltr" or "rtl"
	Charset       string // as in <meta charset>
	By            string
	Published     string
	Source        string
	ReadAlso      string
	Follow        string
	Print         string
	Views         string
	Comments      string
	CommentText   string
	CommentAuthor string
	CommentDate   string
	NoReplies     string
	FormName      string
	FormEmail     string
	FormComment   string
	FormSubmit    string
	Ticker        string
	Reuse         string
	Disclaimer    string
	Copyright     string
	Similar       string
	NotFound      string
}

func labelsFor(lang string) labels {
	if lang == "ar" {
		return labels{
			SiteName:      SiteNameAR,
			Dir:           "rtl",
			Charset:       "windows-1256",
			By:            "كتب:",
			Published:     "تاريخ النشر:",
			Source:        "المصدر:",
			ReadAlso:      "إقرأ أيضاً:",
			Follow:        "تابع قناتنا على يوتيوب تابع صفحتنا على فيسبوك",
			Print:         "طباعة",
			Views:         "المشاهدات:",
			Comments:      "التعليقات",
			CommentText:   `ترحب "بوابة المرفأ" بتعليقاتكم الإيجابية في هذه الزاوية، ونتمنى أن تبتعد تعليقاتكم الكريمة عن الشخصنة لتحقيق الهدف منها وهو التفاعل الهادف مع ما يتم نشره في زاويتكم هذه.`,
			CommentAuthor: "بوابة المرفأ",
			CommentDate:   "16-02-2025 10:22 PM",
			NoReplies:     "لا يوجد تعليقات",
			FormName:      "الاسم : *",
			FormEmail:     "البريد الالكتروني :",
			FormComment:   "التعليق : *",
			FormSubmit:    "اضافة",
			Ticker:        "شريط الأخبار",
			Reuse:         "لا مانع من الاقتباس وإعادة النشر شريطة ذكر المصدر (بوابة المرفأ)",
			Disclaimer:    "الآراء والتعليقات المنشورة تعبر عن آراء أصحابها فقط",
			Copyright:     "جميع حقوق النشر محفوظة لدى موقع بوابة المرفأ © 2025",
			Similar:       "مقالات مشابهة",
			NotFound:      "الصفحة غير موجودة",
		}
	}
	return labels{
		SiteName:      SiteNameEN,
		Dir:           "ltr",
		Charset:       "utf-8",
		By:            "By",
		Published:     "Published:",
		Source:        "Source:",
		ReadAlso:      "Read also:",
		Follow:        "Follow us on YouTube · Follow us on Facebook",
		Print:         "Print",
		Views:         "Views:",
		Comments:      "Comments",
		CommentText:   "Finally someone writes about the smaller harbours, not just the big ports. More of this, please.",
		CommentAuthor: "Kjell from Skjervik",
		CommentDate:   "16-02-2025 10:22 PM",
		NoReplies:     "No replies yet",
		FormName:      "Name: *",
		FormEmail:     "Email:",
		FormComment:   "Comment: *",
		FormSubmit:    "Post comment",
		Ticker:        "Latest headlines",
		Reuse:         "Quotation and republication are permitted provided The Harbour Herald is credited as the source.",
		Disclaimer:    "Comments reflect only the views of their authors.",
		Copyright:     "© 2025 The Harbour Herald. All rights reserved.",
		Similar:       "Similar articles",
		NotFound:      "Page not found",
	}
}
