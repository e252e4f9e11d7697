package parser

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// metaScanLen is how far into the document a <meta charset> is looked for.
// WHATWG says 1024 bytes; real pages put it later, behind scripts and comments.
const metaScanLen = 8 << 10

// detectScanLen bounds the bytes handed to the statistical detector.
const detectScanLen = 64 << 10

var (
	// rxMetaCharset matches both <meta charset=x> and the http-equiv form
	// <meta http-equiv=Content-Type content="text/html; charset=x">.
	rxMetaCharset = regexp.MustCompile(`(?is)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

	boms = []struct {
		bom  []byte
		name string
	}{
		{[]byte{0xEF, 0xBB, 0xBF}, "utf-8"},
		{[]byte{0xFE, 0xFF}, "utf-16be"},
		{[]byte{0xFF, 0xFE}, "utf-16le"},
	}
)

// charsetDecision is the outcome of decideCharset: the encoding to decode
// with, its canonical name and which rule chose it (for tests and debugging).
type charsetDecision struct {
	enc  encoding.Encoding
	name string
	rule string // "bom", "utf8", "header", "meta", "detect" or "default"
}

// decodeHTML converts body to valid UTF-8 text using decideCharset.
func decodeHTML(body []byte, contentType string) (string, charsetDecision) {
	d := decideCharset(body, contentType)
	if d.rule == "bom" {
		for _, b := range boms {
			if bytes.HasPrefix(body, b.bom) {
				body = body[len(b.bom):]
				break
			}
		}
	}
	if d.name == "utf-8" {
		return strings.ToValidUTF8(string(body), "\uFFFD"), d
	}
	out, err := d.enc.NewDecoder().Bytes(body)
	if err != nil {
		// Legacy decoders substitute U+FFFD rather than fail; if one fails
		// anyway, the bytes as UTF-8 are the best partial answer.
		return strings.ToValidUTF8(string(body), "\uFFFD"), charsetDecision{encoding.Nop, "utf-8", "default"}
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), d
}

// decideCharset picks the encoding of an HTML document: BOM, then the bytes
// themselves when they are valid UTF-8 with non-ASCII content (a declaration
// that disagrees with such bytes is wrong far more often than the bytes are),
// then the Content-Type charset, then <meta>, then statistical detection.
func decideCharset(body []byte, contentType string) charsetDecision {
	for _, b := range boms {
		if bytes.HasPrefix(body, b.bom) {
			return lookupCharset(b.name, "bom")
		}
	}
	ascii, validUTF8 := scanUTF8(body)
	if validUTF8 && !ascii {
		return lookupCharset("utf-8", "utf8")
	}
	if d, ok := declaredCharset(body, contentType, ascii, validUTF8); ok {
		return d
	}
	if validUTF8 { // pure ASCII: UTF-8 decodes it as well as anything
		return lookupCharset("utf-8", "default")
	}
	return detectCharset(body)
}

// declaredCharset returns the charset named by the header or, failing that,
// by a <meta> element, when it is usable for these bytes.
func declaredCharset(body []byte, contentType string, ascii, validUTF8 bool) (charsetDecision, bool) {
	candidates := []struct{ label, rule string }{
		{headerCharset(contentType), "header"},
		{metaCharset(body), "meta"},
	}
	for _, c := range candidates {
		if c.label == "" {
			continue
		}
		d := lookupCharset(c.label, c.rule)
		if d.enc == nil {
			continue
		}
		switch {
		case strings.HasPrefix(d.name, "utf-16") && !validUTF8 && c.rule == "header":
			return d, true
		case strings.HasPrefix(d.name, "utf-16"):
			// Without a BOM, a UTF-16 label on ASCII-compatible bytes is a
			// lie (WHATWG treats <meta charset=utf-16> as UTF-8).
			continue
		case d.name == "utf-8" && !validUTF8 && mostlyInvalidUTF8(body):
			// Declared UTF-8, but the bytes are a legacy encoding.
			continue
		}
		return d, true
	}
	return charsetDecision{}, false
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

func metaCharset(body []byte) string {
	if len(body) > metaScanLen {
		body = body[:metaScanLen]
	}
	m := rxMetaCharset.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// detectCharset guesses the encoding of bytes that are not UTF-8 and declare
// nothing usable, falling back to windows-1252 as browsers do.
func detectCharset(body []byte) charsetDecision {
	if len(body) > detectScanLen {
		body = body[:detectScanLen]
	}
	if r, err := chardet.NewHtmlDetector().DetectBest(body); err == nil && r.Confidence >= 10 {
		if d := lookupCharset(r.Charset, "detect"); d.enc != nil && !strings.HasPrefix(d.name, "utf-") {
			return d
		}
	}
	return lookupCharset("windows-1252", "default")
}

func lookupCharset(label, rule string) charsetDecision {
	e, name := charset.Lookup(label)
	if e == nil {
		return charsetDecision{rule: rule}
	}
	if name == "utf-8" {
		e = encoding.Nop
	}
	return charsetDecision{enc: e, name: name, rule: rule}
}

// scanUTF8 reports whether b is pure ASCII and whether it is valid UTF-8.
func scanUTF8(b []byte) (ascii, valid bool) {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false, utf8.Valid(b)
		}
	}
	return true, true
}

// mostlyInvalidUTF8 reports whether more non-ASCII bytes fail to decode as
// UTF-8 than succeed: a page declared UTF-8 with a few broken bytes stays
// UTF-8, one in a legacy encoding does not.
func mostlyInvalidUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good += size
		}
		b = b[size:]
	}
	return bad > good
}
