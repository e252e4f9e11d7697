package frontier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/urlnorm"
)

// Alias reasons, bounded labels for metrics and the alias records.
const (
	// AliasCanonical: the page's canonical URL names an article already
	// written from another address (an AMP copy, a URL with extra
	// parameters).
	AliasCanonical = "canonical"
	// AliasContent: the page's body is one already written on the same
	// site (pagination, print, sort or search variants of one article).
	AliasContent = "content"
)

// Content identity is only trusted for bodies long enough not to be a
// template's boilerplate, and with the same title: a paywall teaser, an
// error text or a policy block that the extractor took for the body of
// every page of a site must not merge that site's articles.
const minContentIdentity = 200 // bytes of body

// Verdict is what Identify makes of a parsed article.
type Verdict struct {
	// Of is the key of the article the page is another address of; empty
	// when the page is the article itself (new, or the same page again).
	Of     string
	Reason string // AliasCanonical or AliasContent when Of is set
}

// Identify decides, cluster-wide and once, whether art is an article of its
// own or another address of one already written, and makes the seen bucket
// learn its canonical URL so that links to it are not fetched. Two claims
// in the seen bucket decide:
//
//   - "h.<site>.<body hash>" → the key of the first article with that body
//     on that site (content identity);
//   - "a.<key>" → the URL of the page that first wrote the article of that
//     key (canonical identity).
//
// Both are Creates: among pages racing for one identity, one wins. A page
// that finds its own claims (the same page parsed again after a crash or a
// refetch) is the article itself again.
func (f *Frontier) Identify(ctx context.Context, art *trawler.Article) (Verdict, error) {
	ctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
	defer cancel()
	key := art.Key()
	if hkey, ok := contentKey(art); ok {
		first, err := f.claim(ctx, hkey, key+"\n"+art.Title)
		if err != nil {
			return Verdict{}, fmt.Errorf("content identity of %s: %w", art.URL, err)
		}
		ofKey, ofTitle, _ := strings.Cut(first, "\n")
		if ofKey != key && ofTitle == art.Title {
			return Verdict{Of: ofKey, Reason: AliasContent}, nil
		}
	}
	first, err := f.claim(ctx, "a."+Key(key), art.URL)
	if err != nil {
		return Verdict{}, fmt.Errorf("identity of %s: %w", art.URL, err)
	}
	if first != art.URL {
		return Verdict{Of: key, Reason: AliasCanonical}, nil
	}
	if key != art.URL {
		// Learn the canonical: a link to it is a duplicate from now on.
		if _, err := f.seen.Create(ctx, Key(key), []byte(stateCanonical)); err != nil && !errors.Is(err, jetstream.ErrKeyExists) {
			return Verdict{}, fmt.Errorf("mark canonical %s seen: %w", key, err)
		}
	}
	return Verdict{}, nil
}

// stateCanonical marks a URL learned as an article's canonical address
// rather than enqueued.
const stateCanonical = "canonical"

// claim creates key with value v and returns v, or returns the value
// already there.
func (f *Frontier) claim(ctx context.Context, key, v string) (string, error) {
	_, err := f.seen.Create(ctx, key, []byte(v))
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return "", err
	}
	e, err := f.seen.Get(ctx, key)
	if err != nil {
		return "", err
	}
	return string(e.Value()), nil
}

// contentKey is the bucket key of art's body on its site, when the body is
// long enough to identify an article.
func contentKey(art *trawler.Article) (string, bool) {
	if len(art.Body) < minContentIdentity || len(art.ContentHash) < 32 {
		return "", false
	}
	u, err := url.Parse(art.URL)
	if err != nil {
		return "", false
	}
	return "h." + Key(urlnorm.Site(u)) + "." + art.ContentHash[:32], true
}
