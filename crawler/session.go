package crawler

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// HostHeader is a request header sent to one host and its subdomains, or
// to every host: a paywall's token, a language preference, an API key.
// It is never sent to another host, even through a redirect.
type HostHeader struct {
	Host  string // lower case; "" for every host
	Name  string // canonical form
	Value string
}

// reservedHeaders are set by the fetcher itself (or by a flag of their
// own: --user-agent, which robots.txt is matched against, and
// --cookie-file) or belong to the connection.
var reservedHeaders = map[string]bool{
	"Host": true, "User-Agent": true, "Cookie": true, "Content-Length": true, "Connection": true,
	"Transfer-Encoding": true, "Te": true, "Trailer": true, "Upgrade": true, "Keep-Alive": true,
	"Proxy-Authorization": true, "Proxy-Connection": true, "If-None-Match": true, "If-Modified-Since": true,
}

// ParseHeader parses "[HOST=]Name: value". HOST is a host name, matched
// with its subdomains; without it the header goes to every host.
func ParseHeader(s string) (HostHeader, error) {
	var h HostHeader
	spec := s
	if host, rest, ok := strings.Cut(s, "="); ok && !strings.Contains(host, ":") {
		h.Host, spec = strings.ToLower(strings.TrimSpace(host)), rest
		if h.Host == "" || strings.ContainsAny(h.Host, "/ ") {
			return h, fmt.Errorf("header %q: bad host %q", s, host)
		}
	}
	name, value, ok := strings.Cut(spec, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") || strings.ContainsAny(value, "\r\n") {
		return h, fmt.Errorf("header %q: want [HOST=]Name: value", s)
	}
	h.Name, h.Value = textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value)
	if reservedHeaders[h.Name] {
		return h, fmt.Errorf("header %q: %s is set by trawler itself", s, h.Name)
	}
	return h, nil
}

// matches reports whether h goes to host (a host name, no port).
func (h HostHeader) matches(host string) bool {
	return h.Host == "" || host == h.Host || strings.HasSuffix(host, "."+h.Host)
}

// LoadCookies reads cookies in the Netscape cookies.txt format that curl,
// wget and browser extensions write (tab-separated: domain, include
// subdomains, path, secure, expiry, name, value; "#HttpOnly_" before a
// domain marks an HttpOnly cookie; other lines starting with # are
// comments). Cookies expired at now are left out. It returns a jar for
// Config.Cookies and the number of cookies loaded.
func LoadCookies(r io.Reader, now time.Time) (http.CookieJar, int, error) {
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		return nil, 0, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n, line := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		httpOnly := false
		if rest, ok := strings.CutPrefix(text, "#HttpOnly_"); ok {
			text, httpOnly = rest, true
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 7 {
			return nil, 0, fmt.Errorf("cookies line %d: %d fields, want 7 separated by tabs", line, len(f))
		}
		domain, sub, path, secure, expiry, name, value := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
		exp, err := strconv.ParseInt(expiry, 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("cookies line %d: bad expiry %q", line, expiry)
		}
		host := strings.TrimPrefix(strings.ToLower(domain), ".")
		if host == "" || name == "" {
			return nil, 0, fmt.Errorf("cookies line %d: no domain or name", line)
		}
		c := &http.Cookie{Name: name, Value: value, Path: path, Secure: strings.EqualFold(secure, "TRUE"), HttpOnly: httpOnly}
		if exp > 0 { // 0: a session cookie
			c.Expires = time.Unix(exp, 0)
			if !c.Expires.After(now) {
				continue
			}
		}
		if strings.EqualFold(sub, "TRUE") {
			c.Domain = host // a domain cookie; without Domain, host-only
		}
		scheme := "http"
		if c.Secure {
			scheme = "https"
		}
		jar.SetCookies(&url.URL{Scheme: scheme, Host: host, Path: "/"}, []*http.Cookie{c})
		n++
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("cookies: %w", err)
	}
	return jar, n, nil
}
