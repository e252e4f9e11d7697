package eval

// Days scores published days on the pages that have a ground-truth day:
// how many fall on it, and how many give a date at all. Coverage tells a
// parser that is right when it answers from one that answers often.
type Days struct {
	Pages int // pages with a ground-truth day
	Right int // on the ground-truth day
	Given int // with any published date
}

// Add scores one page; a page without a ground-truth day is not counted.
func (d *Days) Add(truth, pred string) {
	if truth == "" {
		return
	}
	d.Pages++
	if pred != "" {
		d.Given++
	}
	if SameDay(truth, pred) {
		d.Right++
	}
}

// Accuracy is the share of dated pages given the right day.
func (d Days) Accuracy() float64 { return share(d.Right, d.Pages) }

// Coverage is the share of dated pages given a date, right or wrong.
func (d Days) Coverage() float64 { return share(d.Given, d.Pages) }
