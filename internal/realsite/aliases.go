package realsite

import (
	"fmt"
	"strings"
)

// printLayout is the print-layout parameter of some CMSs
// (?ot=….PrintPageLayout.ot).
const printLayout = "ot=site.PrintPageLayout.ot"

// alias gives some articles other addresses and a foreign canonical to
// two, and makes links use aliases, tracking parameters and session ids.
func (b *builder) alias() {
	order := b.rng.Perm(len(b.arts))
	// Two syndicated copies name one original on another site as their
	// canonical (a template that credits one story for both): each is
	// still an article of its own.
	foreign := b.arts[order[0]].Original
	if foreign == "" {
		foreign = "https://syndication.example.net/story/" + b.arts[order[0]].ID
	}
	b.arts[order[0]].ForeignCanonical = foreign
	b.arts[order[1]].ForeignCanonical = foreign
	a := func(n int) *entry { return b.arts[order[2+n]] }

	for p := 2; p <= 8; p++ {
		a(0).addAlias(withQuery(a(0).Path, fmt.Sprintf("p=%d", p)), AliasPage)
	}
	a(0).addAlias("/amp"+a(0).Path, AliasAMP)
	for p := 2; p <= 3; p++ {
		a(1).addAlias(withQuery(a(1).Path, fmt.Sprintf("p=%d", p)), AliasPage)
	}
	a(2).addAlias(withQuery(a(2).Path, "print=1"), AliasPrint)
	a(2).addAlias(withQuery(a(2).Path, printLayout), AliasPrint)
	a(3).addAlias(withQuery(a(3).Path, printLayout), AliasPrint)
	a(4).addAlias(fmt.Sprintf("/?p=%d", 4000+b.rng.IntN(6000)), AliasCanonical) // a WordPress shortlink
	a(5).addAlias(fmt.Sprintf("/node/%d", 1000+b.rng.IntN(9000)), AliasCanonical)
	a(6).addAlias("/amp"+a(6).Path, AliasAMP)

	// Other pages link the AMP copies, the canonical aliases and page 2,
	// as social posts and old stories do.
	for n := range 7 {
		e := a(n)
		for _, al := range e.Aliases {
			if al.Kind == AliasAMP || al.Kind == AliasCanonical || al.Kind == AliasPage && strings.HasSuffix(al.Path, "p=2") {
				s := b.arts[b.linker(order[2+n])]
				s.out = append(s.out, target{to: order[2+n], path: al.Path})
			}
		}
	}

	// Tracking parameters and session ids: each kind on at least one link,
	// then on about one link in eight.
	var plain []*target
	for _, e := range b.arts {
		for k := range e.out {
			if t := &e.out[k]; t.to >= 0 && t.path == b.arts[t.to].Path {
				plain = append(plain, t)
			}
		}
	}
	b.rng.Shuffle(len(plain), func(i, j int) { plain[i], plain[j] = plain[j], plain[i] })
	for k, t := range plain {
		kind := k
		if k >= len(trackingKinds) {
			if b.rng.IntN(8) != 0 {
				continue
			}
			kind = b.rng.IntN(len(trackingKinds))
		}
		t.path = trackingKinds[kind](b, t.path)
		b.arts[t.to].Tracking = append(b.arts[t.to].Tracking, t.path)
	}

	// Each page robots.txt disallows is linked from two articles.
	for h := range b.hidden {
		for _, i := range b.rng.Perm(len(b.arts))[:2] {
			b.arts[i].out = append(b.arts[i].out, target{to: -1, hidden: h, path: b.hidden[h].path})
		}
	}
	for _, e := range b.arts {
		b.rng.Shuffle(len(e.out), func(i, j int) { e.out[i], e.out[j] = e.out[j], e.out[i] })
	}
}

// addAlias records another address of e. Pages served under another
// directory use no document-relative links: those would resolve elsewhere.
func (e *entry) addAlias(p string, kind AliasKind) {
	e.Aliases = append(e.Aliases, Alias{Path: p, Kind: kind})
	if kind == AliasAMP || kind == AliasCanonical {
		e.noRelative = true
	}
}

// trackingKinds add tracking parameters or a session id to an address.
var trackingKinds = []func(b *builder, p string) string{
	func(b *builder, p string) string {
		return withQuery(p, "utm_source=related&utm_medium=referral&utm_campaign=more-stories")
	},
	func(b *builder, p string) string { return withQuery(p, "fbclid=IwAR"+b.random(alnum, 24)) },
	func(b *builder, p string) string { return withQuery(p, "gclid=Cj0KCQiA"+b.random(alnum, 20)) },
	func(b *builder, p string) string { return withQuery(p, "PHPSESSID="+b.random(lowerAlnum, 26)) },
	func(b *builder, p string) string { return withPathParam(p, "jsessionid="+b.random(upperHex, 32)) },
	// An opaque session id: hex, with letters, unlike a numeric ?sid=123.
	func(b *builder, p string) string { return withQuery(p, "sid=a"+b.random(lowerHex, 31)) },
}

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperHex   = "0123456789ABCDEF"
	lowerHex   = "0123456789abcdef"
)

// random returns n characters drawn from alphabet.
func (b *builder) random(alphabet string, n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[b.rng.IntN(len(alphabet))]
	}
	return string(out)
}
