package parser

import (
	"slices"
	"strings"
	"testing"
)

func TestDropRepeats(t *testing.T) {
	a := "The first paragraph of the story, long enough to count as one."
	b := "The second paragraph of the story, also long enough to count."
	c := "A third paragraph that only appears once in the whole page text."
	step := "Eat 60 to 90 minutes before your workout, every single day."
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"story twice", []string{a, b, c, "Headline again", a, b, c}, []string{a, b, c, "Headline again"}},
		{"third copy from the middle", []string{a, b, c, a, b, b, c}, []string{a, b, c}},
		{"repeated lines of a plan are kept", []string{a, b, c, step, "x", step}, []string{a, b, c, step, "x", step}},
		{"short lines repeat", []string{a, "Yes", b, "Yes"}, []string{a, "Yes", b, "Yes"}},
	} {
		if got := dropRepeats(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestTrimTail(t *testing.T) {
	story := []string{strings.Repeat("Story text goes on and on. ", 10), strings.Repeat("More of the story text. ", 10)}
	headlines := map[string]bool{}
	teasers := []string{"Gronk may have found his true calling", "The Cowboys owner had a chance to hire him", "NFL office pool picks for Week 12", "Pats place Olszewski on IR", "Playoff picture: Raiders in pursuit"}
	for _, h := range []int{0, 2, 3, 4} {
		headlines[squash(teasers[h])] = true
	}
	for _, tc := range []struct {
		name string
		in   []string
		want []string
	}{
		{"teaser list with blurbs", append(slices.Clone(story), teasers...), story},
		{"newsletter and copyright lines", append(slices.Clone(story), "Get the latest updates right in your inbox. Subscribe to NJ.com’s newsletters.", "© 2024 Example Media. All rights reserved."), story},
		{"Arabic rights line", append(slices.Clone(story), "جميع الحقوق محفوظة لموقع المثال ٢٠٢٤"), story},
		{"follow and paywall lines", append(slices.Clone(story), "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner.", "If you’re already a subscriber, you can log in for immediate access.", "This entry was posted in News and tagged harbour."), story},
		{"a reader's follow-up stays", append(slices.Clone(story), "Residents who follow the council on Facebook saw the vote live."), append(slices.Clone(story), "Residents who follow the council on Facebook saw the vote live.")},
		{"a closing sentence stays", append(slices.Clone(story), "He said the council would vote again in May."), append(slices.Clone(story), "He said the council would vote again in May.")},
		{"a closing line and the short lines after it", append(slices.Clone(story), "While you are here…", "If you enjoyed reading this post – would you consider supporting our work? Just click here. Thanks!", "All the best, Max Steinbeis"), append(slices.Clone(story), "While you are here…")},
		{"a paywall's perks", append(slices.Clone(story), "To view the full story, please subscribe.", "— Instant access to special reports", "— Local news from our communities"), story},
		{"a closing line above prose stays", append(slices.Clone(story), "If you enjoyed this story, share it.", strings.Repeat("The story goes on after it. ", 10)), append(slices.Clone(story), "If you enjoyed this story, share it.", strings.Repeat("The story goes on after it. ", 10))},
		{"two linked headlines are not a list", append(slices.Clone(story), teasers[2], teasers[3]), append(slices.Clone(story), teasers[2], teasers[3])},
	} {
		if got := trimTail(tc.in, headlines, nil); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestDropPictureCredits checks that picture credits leave an article's
// body, in several languages and forms, and that text naming a picture
// agency or a source stays.
func TestDropPictureCredits(t *testing.T) {
	paras := []string{
		"The council voted on Tuesday.",
		"Foto: MDR/Bernd Cramer",
		"Crédit photo : KB / Bondy Blog",
		"Image: Thinkstock",
		"Paul Morigi/Getty Images",
		"SolStock/E+ via Getty Images",
		"© Shutterstock",
		"Supports Unsplash",
		"Source: NewVantage Partners",
		"Photos of the flood were shared widely: Getty Images had none.",
		"The vote was close.",
	}
	want := []string{
		"The council voted on Tuesday.",
		"Supports Unsplash",
		"Source: NewVantage Partners",
		"Photos of the flood were shared widely: Getty Images had none.",
		"The vote was close.",
	}
	if got := dropPictureCredits(paras); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestDropLabelledTail checks the cut at a heading of what follows an
// article, in German and Spanish as in English, and that a heading with
// prose after it, or a label inside the story, stays.
func TestDropLabelledTail(t *testing.T) {
	story := []string{strings.Repeat("The story goes on. ", 12), strings.Repeat("And it ends here. ", 12)}
	long := strings.Repeat("A section that is part of the article and runs long enough to be prose. ", 3)
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"read more list", append(slices.Clone(story), "Zum Weiterlesen:", "Wie Teams besser arbeiten", "Was Führung heute heißt"), story},
		{"Spanish label", append(slices.Clone(story), "Le puede interesar", "Otra noticia del día"), story},
		{"most discussed", append(slices.Clone(story), "meist-diskutiert", "Ein Thema", "Noch eins"), story},
		{"prose after the heading", append(slices.Clone(story), "Related", long), append(slices.Clone(story), "Related", long)},
		{"only the heading", []string{"Recommended"}, []string{"Recommended"}},
	} {
		if got := dropLabelledTail(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
