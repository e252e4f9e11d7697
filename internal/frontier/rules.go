package frontier

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Reasons a link is refused by Rules, used as bounded metric labels.
const (
	RuleExcluded    = "excluded"     // matches an exclude pattern
	RuleNotIncluded = "not_included" // include patterns are set and none matches
	TrapCalendar    = "trap_calendar"
	TrapSession     = "trap_session"
	TrapQuery       = "trap_query"
	TrapPath        = "trap_path"
	TrapChain       = "trap_chain" // see Rules.Chain
)

// Trap limits. News URLs stay well inside them.
const (
	maxQueryParams   = 6   // distinct query parameters
	maxQueryLen      = 256 // bytes of raw query
	maxPathSegments  = 12
	maxSegmentRepeat = 3 // the same path segment this often: a relative-link loop
	// DefaultMaxTemplateRun is the longest chain of links, each from a URL
	// to another of the same template, that is followed (Rules.Chain).
	DefaultMaxTemplateRun = 3
)

// Rules are the URL filters applied to every discovered link before dedup:
// include and exclude patterns, and the crawler traps avoided. Seeds are not
// filtered. The zero value only avoids traps.
type Rules struct {
	Include []*regexp.Regexp // if any, a link must match one
	Exclude []*regexp.Regexp // a link matching one is dropped
	// Now returns the current time, for calendar traps (default time.Now).
	Now func() time.Time
	// MaxTemplateRun is the longest template run followed (see Chain);
	// zero means DefaultMaxTemplateRun, a negative value no limit.
	MaxTemplateRun int
}

// CompileRules compiles include and exclude patterns (Go regexp syntax,
// matched anywhere in the normalized URL).
func CompileRules(include, exclude []string) (Rules, error) {
	var r Rules
	for _, p := range include {
		re, err := regexp.Compile(p)
		if err != nil {
			return r, fmt.Errorf("include pattern %q: %w", p, err)
		}
		r.Include = append(r.Include, re)
	}
	for _, p := range exclude {
		re, err := regexp.Compile(p)
		if err != nil {
			return r, fmt.Errorf("exclude pattern %q: %w", p, err)
		}
		r.Exclude = append(r.Exclude, re)
	}
	return r, nil
}

// Check returns "" when link may be followed, else the reason it may not.
func (r Rules) Check(link string, u *url.URL) string {
	for _, re := range r.Exclude {
		if re.MatchString(link) {
			return RuleExcluded
		}
	}
	if len(r.Include) > 0 {
		ok := false
		for _, re := range r.Include {
			if ok = re.MatchString(link); ok {
				break
			}
		}
		if !ok {
			return RuleNotIncluded
		}
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return trap(u, now())
}

// Chain decides on a link found on the page at from, which was itself
// reached by a template run of fromRun, and returns the link's own run: one
// more than fromRun if the link has the page's template (Template), else 0.
// A run longer than MaxTemplateRun is refused as TrapChain.
//
// It catches the trap that generates ids without bound (/trap/1-2 links
// /trap/2-3 and /trap/2-4, which link /trap/3-4…): each of its pages is
// reached only from another of the same template, deeper and deeper, and
// with two links or more per page their number grows exponentially with
// the run. A real site's id-in-path URLs (/article/98765,
// /news/2024/05/12/12345-slug.html) are many too, but each is linked from
// hubs, sections and feeds, whose templates differ: a run starts at 0 there,
// and related-article links add a hop or two. Pagination that only links
// the next page is cut after MaxTemplateRun pages reached that way;
// numbered page links from the hub start their own runs.
func (r Rules) Chain(from *url.URL, fromRun int, link *url.URL) (run int, reason string) {
	if from == nil || Template(from) != Template(link) {
		return 0, ""
	}
	run = fromRun + 1
	limit := r.MaxTemplateRun
	if limit == 0 {
		limit = DefaultMaxTemplateRun
	}
	if limit > 0 && run > limit {
		return run, TrapChain
	}
	return run, ""
}

// Template is u's host, path and query with every run of digits replaced
// by "#": /trap/12-13 and /trap/7-8 share the template /trap/#-#, as
// /article/98765 and /article/4 do, while /news/12345-some-slug.html and
// /news/12346-other-slug.html do not (their words differ).
func Template(u *url.URL) string {
	s := strings.ToLower(u.Host + u.EscapedPath() + "?" + u.RawQuery)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if i == 0 || !isDigit(s[i-1]) {
				b.WriteByte('#')
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sessionParams are query parameters that carry a session: each visit
// mints new URLs for the same pages.
var sessionParams = map[string]bool{
	"sid": true, "sessionid": true, "session_id": true, "session": true, "sessid": true,
	"phpsessid": true, "jsessionid": true, "aspsessionid": true, "cfid": true, "cftoken": true,
	"zenid": true, "oscsid": true,
}

// calendarWords are path segments that open calendar and event-listing URL
// spaces.
var calendarWords = map[string]bool{"calendar": true, "kalender": true, "calendrier": true, "agenda": true, "events": true}

// trap names the crawler trap u falls into, or "".
func trap(u *url.URL, now time.Time) string {
	path := strings.ToLower(u.EscapedPath())
	if strings.Contains(path, ";jsessionid=") || strings.Contains(path, ";sid=") {
		return TrapSession
	}
	q := u.Query()
	for k := range q {
		if sessionParams[strings.ToLower(k)] {
			return TrapSession
		}
	}
	if len(q) > maxQueryParams || len(u.RawQuery) > maxQueryLen {
		return TrapQuery
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	if len(segs) > maxPathSegments {
		return TrapPath
	}
	count := map[string]int{}
	for _, s := range segs {
		if count[s]++; count[s] >= maxSegmentRepeat {
			return TrapPath
		}
	}
	// Calendars: a calendar-like path or parameter with a date, or any date
	// in the future (news is not published ahead of time).
	calendar := false
	for _, s := range segs {
		calendar = calendar || calendarWords[s]
	}
	for k := range q {
		switch strings.ToLower(k) {
		case "date", "day", "month", "year", "week", "cal", "calendar", "ym":
			calendar = true
		}
	}
	years := yearsIn(path + "?" + strings.ToLower(u.RawQuery))
	for _, y := range years {
		if y > now.Year()+1 {
			return TrapCalendar
		}
	}
	if calendar && (len(years) > 0 || len(q) > 0) {
		return TrapCalendar
	}
	return ""
}

// yearsIn returns the four-digit numbers between 1900 and 2999 that stand
// alone in s (not part of a longer number).
func yearsIn(s string) []int {
	var out []int
	for i := 0; i+4 <= len(s); i++ {
		if (i > 0 && isDigit(s[i-1])) || !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 4 {
			if y, _ := strconv.Atoi(s[i:j]); y >= 1900 && y <= 2999 {
				out = append(out, y)
			}
		}
		i = j
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
