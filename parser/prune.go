package parser

// prune cuts the blocks that are not the article (comments, tickers,
// related lists, share bars, footers…) out of the document, so that neither
// the extractor nor the text date search can take anything from them. It
// runs after links and metadata have been read from the whole page.
func prune(blocks []block) {
	for _, b := range blocks {
		detach(b.node)
		for _, s := range b.siblings {
			detach(s)
		}
	}
}
