package frontier

import "testing"

// A zero RevisitConfig takes the bounds the command's flags show.
func TestRevisitDefaults(t *testing.T) {
	c := RevisitConfig{}.withDefaults()
	if c.Min != DefaultRevisitMin || c.Max != DefaultRevisitMax {
		t.Errorf("RevisitConfig{} bounds = [%v, %v], want [%v, %v]", c.Min, c.Max, DefaultRevisitMin, DefaultRevisitMax)
	}
}
