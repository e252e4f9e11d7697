// Package urlnorm puts URLs into the one form used for deduplication and scope
// decisions, so that links differing only in spelling are crawled once.
package urlnorm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrUnsupported is returned for URLs trawler never fetches: schemes other
// than http and https, or URLs without a host.
var ErrUnsupported = errors.New("unsupported url")

// trackingParams are query parameters that identify a campaign, a click or
// a session, not a resource: a URL differing only in them is the same page.
// Prefixes end in "_".
var trackingParams = []string{
	"utm_", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
	"mc_cid", "mc_eid", "_ga", "_gl", "igshid", "oly_anon_id", "oly_enc_id",
	"__twitter_impression", "vero_id", "mkt_tok", "ref_src", "spm",
	"_hsenc", "_hsmi", "hsctatracking", "icid", "cmpid", "ncid", "ocid", "s_cid", "smid",
	"at_medium", "at_campaign", "guccounter", "guce_referrer", "guce_referrer_sig",
	// sessions
	"phpsessid", "jsessionid", "aspsessionid", "sessionid", "session_id", "cfid", "cftoken",
	"zenid", "oscsid",
}

// isTracking reports a tracking or session parameter. "sid" is a session
// when its value is opaque, and an article id when it is a number.
func isTracking(key, value string) bool {
	k := strings.ToLower(key)
	if k == "sid" {
		return strings.Trim(value, "0123456789") != ""
	}
	if strings.HasPrefix(k, "aspsessionid") { // ASPSESSIONIDQABCDEFG
		return true
	}
	for _, p := range trackingParams {
		if strings.HasSuffix(p, "_") && strings.HasPrefix(k, p) || k == p {
			return true
		}
	}
	return false
}

// rxEscape matches a percent-escape.
var rxEscape = regexp.MustCompile(`%[0-9a-fA-F]{2}`)

// upperEscapes writes percent-escapes in upper case: "%d9" and "%D9" are
// the same octet (RFC 3986 §6.2.2.1), and robots.txt rules and dedup
// compare escaped paths byte for byte.
func upperEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return rxEscape.ReplaceAllStringFunc(s, strings.ToUpper)
}

// rxSessionPathParam matches a session id carried as a path parameter
// (";jsessionid=…", Java servlets; ";phpsessid=…").
var rxSessionPathParam = regexp.MustCompile(`(?i);(?:jsessionid|phpsessid|sessionid)=[^/;?]*`)

// Normalize returns the canonical spelling of an absolute http(s) URL:
// lower-case scheme and host (IDNA to ASCII), no default port, no fragment, no
// userinfo, dot segments removed, an empty path as "/", query parameters
// sorted with tracking parameters dropped.
func Normalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("normalize %q: %w", raw, err)
	}
	return normalizeURL(u)
}

// Resolve resolves href against base and normalizes the result.
func Resolve(base *url.URL, href string) (string, error) {
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", fmt.Errorf("resolve %q: %w", href, err)
	}
	if base != nil {
		ref = base.ResolveReference(ref)
	}
	return normalizeURL(ref)
}

func normalizeURL(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%w: scheme %q", ErrUnsupported, u.Scheme)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("%w: no host in %q", ErrUnsupported, u.String())
	}
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	if !strings.Contains(host, ":") && slices.Contains(strings.Split(host, "."), "") {
		return "", fmt.Errorf("%w: empty label in host %q", ErrUnsupported, host)
	}
	port := u.Port()
	if scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		port = ""
	}
	if port != "" || strings.Contains(host, ":") {
		if port == "" {
			host = "[" + host + "]"
		} else {
			host = net.JoinHostPort(host, port)
		}
	}

	p := upperEscapes(rxSessionPathParam.ReplaceAllString(u.EscapedPath(), ""))
	if p == "" {
		p = "/"
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	if trailing && p != "/" {
		p += "/"
	}

	out := &url.URL{Scheme: scheme, Host: host}
	if err := setEscapedPath(out, p); err != nil {
		return "", err
	}
	out.RawQuery = normalizeQuery(u.RawQuery)
	return out.String(), nil
}

func setEscapedPath(u *url.URL, escaped string) error {
	unescaped, err := url.PathUnescape(escaped)
	if err != nil {
		return fmt.Errorf("normalize path %q: %w", escaped, err)
	}
	u.Path = unescaped
	u.RawPath = escaped
	if u.EscapedPath() != escaped { // the escaping was the default one
		u.RawPath = ""
	}
	return nil
}

// normalizeQuery sorts parameters by key (keeping the order of repeated keys)
// and drops tracking parameters. It works on the raw form so that escaping is
// preserved byte for byte.
func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type kv struct{ key, pair string }
	var kept []kv
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if isTracking(key, value) {
			continue
		}
		// url.Parse tolerates spaces in a query, but a URL cannot carry
		// them: left raw, a trailing one would be trimmed by the next
		// Normalize and the two spellings would differ.
		kept = append(kept, kv{key, upperEscapes(strings.ReplaceAll(pair, " ", "%20"))})
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].key < kept[j].key })
	parts := make([]string, len(kept))
	for i, p := range kept {
		parts[i] = p.pair
	}
	return strings.Join(parts, "&")
}

// RegisteredDomain returns the registrable domain of host ("news.example.co.uk"
// gives "example.co.uk"). IP addresses and names without a public suffix
// (localhost) are returned as they are.
func RegisteredDomain(host string) string {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if net.ParseIP(h) != nil {
		return h
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}

// Site names the site a URL belongs to: its registered domain (or its host
// when it has none: an IP address, localhost), with the port when it is not
// the scheme's default. Two URLs of one site share a politeness budget, a
// frontier partition and an article identity space.
func Site(u *url.URL) string {
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	key := RegisteredDomain(host)
	if key == "" {
		key = host
	}
	if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http") && !(p == "443" && u.Scheme == "https") {
		key += ":" + p
	}
	return key
}

// InDomain reports whether host is domain or one of its subdomains.
func InDomain(host, domain string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	d := strings.ToLower(domain)
	return h == d || strings.HasSuffix(h, "."+d)
}
