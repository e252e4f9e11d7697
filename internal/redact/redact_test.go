package redact

import (
	"strings"
	"testing"
	"unicode"
)

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"nats://user:s3cret@nats:4222":                          "nats://user:xxxxx@nats:4222",
		"nats://s3cret@nats:4222":                               "nats://xxxxx@nats:4222",
		"nats://a:s3cret@n1:4222,nats://b:s3cret@n2:4222":       "nats://a:xxxxx@n1:4222,nats://b:xxxxx@n2:4222",
		"postgres://u:p@ss:s3cret@db/t?sslmode=disable":         "postgres://u:xxxxx@db/t?sslmode=disable",
		"postgres://db/t?user=u&password=s3cret&sslmode=x":      "postgres://db/t?user=u&password=xxxxx&sslmode=x",
		"postgres://db/t?sslpassword=s3cret&sslkey=/k/s3cret":   "postgres://db/t?sslpassword=xxxxx&sslkey=xxxxx",
		"host=db user=u password=s3cret dbname=t":               "host=db user=u password=xxxxx dbname=t",
		"host=db password='s3 cret' dbname=t":                   "host=db password=xxxxx dbname=t",
		`connect "postgres://u:s3cret@127.0.0.1:1/db": refused`: `connect "postgres://u:xxxxx@127.0.0.1:1/db": refused`,
		"http://proxy-user:s3cret@proxy:3128":                   "http://proxy-user:xxxxx@proxy:3128",
		"https://news.example/story?id=3":                       "https://news.example/story?id=3",
		"no secret here":                                        "no secret here",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

// A secret planted in any of the forms never survives.
func FuzzString(f *testing.F) {
	for _, s := range []string{"s3cret", "p@ss:w0rd", "a b", "x'y", "tok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, secret string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "@/?#&,;:=\"'\\") ||
			strings.ContainsFunc(secret, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			t.Skip() // not a secret these forms can carry unescaped
		}
		for _, form := range []string{
			"nats://user:%s@h:4222", "nats://%s@h:4222", "postgres://u:%s@h/db",
			"postgres://h/db?password=%s", "host=h password=%s user=u", "host=h sslpassword=%s",
		} {
			in := strings.Replace(form, "%s", secret, 1)
			if out := String(in); strings.Contains(out, secret) {
				t.Errorf("String(%q) = %q keeps the secret", in, out)
			}
		}
	})
}
