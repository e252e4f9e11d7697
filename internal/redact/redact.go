// Package redact hides secrets in the connection strings trawler prints:
// NATS URLs and server lists, PostgreSQL URLs and key=value DSNs, proxy
// URLs. Every log line, error and summary that may hold one goes through
// String.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces each secret.
const Mask = "xxxxx"

var (
	// userinfo is a URL's user info: "scheme://user:password@" or a lone
	// token, "scheme://token@". Everything up to the last @ before the host
	// counts, so that a password holding @ or : is hidden whole.
	userinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\s,]*)@`)
	// param is a secret query parameter or key=value field: password,
	// sslpassword, sslkey, token, and their quoted key=value forms.
	param = regexp.MustCompile(`(?i)\b(password|passwd|pass|pwd|sslpassword|sslkey|token|secret)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^&\s,;]*)`)
)

// String returns s with every secret it holds replaced by Mask: the
// password (or lone token) of each URL's user info, and the values of
// password-like parameters in queries and key=value DSNs. The rest of s,
// user names and hosts included, is left as it is, so that a message still
// says where it failed.
func String(s string) string {
	s = userinfo.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfo.FindStringSubmatch(m)
		scheme, info := sub[1], sub[2]
		if user, _, ok := strings.Cut(info, ":"); ok {
			return scheme + user + ":" + Mask + "@"
		}
		switch strings.ToLower(scheme) {
		case "nats://", "tls://", "ws://", "wss://":
			return scheme + Mask + "@" // NATS's lone user info is a token: the secret
		}
		return m // elsewhere, a user name without a password
	})
	return param.ReplaceAllString(s, "${1}${2}"+Mask)
}
