package sink

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// MaxNameLen bounds a sink name (name= in a spec), so that the consumer
// named after it stays a short JetStream name.
const MaxNameLen = 64

// Name splits the name a sink spec gives itself, name=NAME, from the rest
// of the spec, which is what the sink is opened with: a JSONL option
// (jsonl:PATH?name=NAME), a query parameter of a PostgreSQL URL
// (postgres://…?name=NAME) or a keyword of a key=value DSN (name=NAME). The
// name is the sink's identity in the pipeline (its durable consumer) and
// never reaches the sink: pgx would send an unknown parameter to the server
// as a setting, which the server refuses. Without name=, name is "" and
// rest is spec. NAME is letters, digits, - and _, at most MaxNameLen.
func Name(spec string) (name, rest string, err error) {
	var names []string
	switch {
	case strings.HasPrefix(spec, "jsonl:"), strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		names, rest, err = nameFromQuery(spec)
	case strings.Contains(spec, "=") && !strings.Contains(spec, "://"):
		names, rest = nameFromKeywords(spec)
	default:
		return "", spec, nil
	}
	if err != nil {
		return "", spec, fmt.Errorf("sink %q: name=: %w", Redact(spec), err)
	}
	switch {
	case len(names) == 0:
		return "", spec, nil
	case len(names) > 1:
		return "", spec, fmt.Errorf("sink %q: name= given %d times", Redact(spec), len(names))
	}
	if err := checkName(names[0]); err != nil {
		return "", spec, fmt.Errorf("sink %q: name=%s: %w", Redact(spec), names[0], err)
	}
	return names[0], rest, nil
}

// checkName accepts a name JetStream takes in a consumer name and a
// Prometheus label shows as it is.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen || strings.IndexFunc(name, func(r rune) bool {
		return r > unicode.MaxASCII || !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) >= 0 {
		return fmt.Errorf("want 1 to %d letters, digits, - or _", MaxNameLen)
	}
	return nil
}

// nameFromQuery takes the name= parameters out of the query of a URL-like
// spec (everything after the first ?), leaving the other parameters as
// they were written.
func nameFromQuery(spec string) (names []string, rest string, err error) {
	base, query, ok := strings.Cut(spec, "?")
	if !ok {
		return nil, spec, nil
	}
	query, fragment, hasFragment := strings.Cut(query, "#")
	var kept []string
	for _, p := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(p, "=")
		if k != "name" {
			kept = append(kept, p)
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			return nil, spec, err
		}
		names = append(names, v)
	}
	if names == nil {
		return nil, spec, nil
	}
	rest = base
	if len(kept) > 0 {
		rest += "?" + strings.Join(kept, "&")
	}
	if hasFragment {
		rest += "#" + fragment
	}
	return names, rest, nil
}

// nameFromKeywords takes the name keywords out of a key=value DSN (keyword
// = value pairs separated by spaces; a value may be single-quoted, with
// backslash escapes, as libpq reads them).
func nameFromKeywords(dsn string) (names []string, rest string) {
	var b strings.Builder
	i := 0
	for i < len(dsn) {
		start := i
		for i < len(dsn) && isSpace(dsn[i]) {
			i++
		}
		k := i
		for i < len(dsn) && dsn[i] != '=' && !isSpace(dsn[i]) {
			i++
		}
		key := dsn[k:i]
		for i < len(dsn) && isSpace(dsn[i]) {
			i++
		}
		if i < len(dsn) && dsn[i] == '=' {
			i++
		}
		for i < len(dsn) && isSpace(dsn[i]) {
			i++
		}
		var value strings.Builder
		if i < len(dsn) && dsn[i] == '\'' {
			for i++; i < len(dsn) && dsn[i] != '\''; i++ {
				if dsn[i] == '\\' && i+1 < len(dsn) {
					i++
				}
				value.WriteByte(dsn[i])
			}
			i++ // the closing quote
		} else {
			for ; i < len(dsn) && !isSpace(dsn[i]); i++ {
				if dsn[i] == '\\' && i+1 < len(dsn) {
					i++
				}
				value.WriteByte(dsn[i])
			}
		}
		i = min(i, len(dsn))
		if key == "name" {
			names = append(names, value.String())
			continue
		}
		b.WriteString(dsn[start:i])
	}
	if names == nil {
		return nil, dsn
	}
	return names, strings.TrimSpace(b.String())
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// WithName returns spec with name=NAME added in its own form (a JSONL
// option, a URL query parameter or a DSN keyword), for a name given apart
// from the spec (the --sink-name flag of a spec kept in a secret). A spec
// that already names itself keeps its name if it is the same, and is
// refused if not.
func WithName(spec, name string) (string, error) {
	if err := checkName(name); err != nil {
		return spec, fmt.Errorf("sink name %q: %w", name, err)
	}
	had, _, err := Name(spec)
	switch {
	case err != nil:
		return spec, err
	case had == name:
		return spec, nil
	case had != "":
		return spec, fmt.Errorf("sink %q names itself %s, not %s", Redact(spec), had, name)
	}
	switch {
	case strings.HasPrefix(spec, "jsonl:"), strings.Contains(spec, "://"):
		base, fragment, hasFragment := strings.Cut(spec, "#")
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		spec = base + sep + "name=" + name
		if hasFragment {
			spec += "#" + fragment
		}
		return spec, nil
	case strings.Contains(spec, "="):
		return spec + " name=" + name, nil
	}
	return spec, fmt.Errorf("sink %q: want jsonl:PATH, a postgres:// URL or a key=value DSN to name", Redact(spec))
}
