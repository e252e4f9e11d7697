package pipeline

import (
	"strings"
	"testing"
)

// sinkNames is SinkNames for specs a test knows to be valid.
func sinkNames(t testing.TB, specs ...string) []string {
	t.Helper()
	names, err := SinkNames(specs)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// A consumer name is on every /metrics scrape: it must tell nothing about
// a password, whichever form the spec gives it in.
func TestSinkNameHidesSecrets(t *testing.T) {
	pairs := [][2]string{
		{"postgres://u:s3cret@db/news?sslmode=disable", "postgres://u:other@db/news?sslmode=disable"},
		{"postgres://db/news?user=u&password=s3cret", "postgres://db/news?user=u&password=other"},
		{"postgresql://u:s3cret@db/news?sslpassword=k3y", "postgresql://u:other@db/news?sslpassword=other"},
	}
	for _, p := range pairs {
		a, b := sinkNames(t, p[0])[0], sinkNames(t, p[1])[0]
		if a != b {
			t.Errorf("specs differing only in secrets get %s and %s: the name depends on the password", a, b)
		}
		if !strings.HasPrefix(a, "sink_postgres_") || len(a) != len("sink_postgres_")+12 {
			t.Errorf("SinkName(%q) = %s, want sink_postgres_ and 12 hex digits", p[0], a)
		}
	}
	// Different databases are different sinks.
	if a, b := sinkNames(t, "postgres://u:pw@db/a")[0], sinkNames(t, "postgres://u:pw@db/b")[0]; a == b {
		t.Errorf("two databases share the consumer %s", a)
	}
}

func TestSinkNameTakesTheGivenName(t *testing.T) {
	for spec, want := range map[string]string{
		"postgres://u:s3cret@db/news?name=main":   "sink_postgres_main",
		"postgresql://u:s3cret@db/news?name=main": "sink_postgres_main",
		"postgres://u:other@db2/x?name=main&a=b":  "sink_postgres_main",
		"jsonl:out/?rotate=1h&name=hourly":        "sink_jsonl_hourly",
		"jsonl:articles.jsonl?name=Main-2":        "sink_jsonl_Main-2",
	} {
		got, err := SinkName(spec)
		if err != nil || got != want {
			t.Errorf("SinkName(%q) = %s, %v; want %s", spec, got, err, want)
		}
	}
	if _, err := SinkName("jsonl:a.jsonl?name=a.b"); err == nil {
		t.Error("SinkName took name=a.b")
	}
}

func TestSinkNamesRefusesSharedConsumers(t *testing.T) {
	for _, specs := range [][]string{
		{"jsonl:a.jsonl", "jsonl:a.jsonl"},
		{"jsonl:a.jsonl?name=x", "jsonl:b.jsonl?name=x"},
		{"postgres://u:s3cret@db/news", "postgres://u:other@db/news"},
	} {
		_, err := SinkNames(specs)
		if err == nil || !strings.Contains(err.Error(), "name=NAME") {
			t.Errorf("SinkNames(%q) = %v, want a refusal asking for name=", specs, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("SinkNames: error shows the password: %v", err)
		}
	}
	// The same name for two kinds is two consumers.
	if _, err := SinkNames([]string{"jsonl:a.jsonl?name=x", "postgres://db/news?name=x"}); err != nil {
		t.Errorf("jsonl and postgres both named x: %v", err)
	}
}
