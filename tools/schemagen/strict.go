package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// schema is a decoded JSON schema node.
type schema = map[string]any

// fileName is kubeconform's name for the schema of kind in group/version:
// the kind, then the first label of the group (none for the core group),
// then the version, lower-cased (see kubeconform's registry.schemaPath).
func fileName(group, version, kind string) string {
	name := kind
	if group != "" {
		label, _, _ := strings.Cut(group, ".")
		name += "-" + label
	}
	return strings.ToLower(name + "-" + version)
}

// strictify rewrites a resolved schema node in place: objects with listed
// properties reject unknown ones (unless the spec preserves unknown fields),
// optional properties accept null (the API server treats null as unset),
// descriptions and vendor extensions are dropped to keep the files small.
func strictify(s schema) {
	preserve, _ := s["x-kubernetes-preserve-unknown-fields"].(bool)
	for k := range s {
		if k == "description" || strings.HasPrefix(k, "x-") {
			delete(s, k)
		}
	}
	if nullable, _ := s["nullable"].(bool); nullable {
		allowNull(s)
	}
	delete(s, "nullable")
	if props, ok := s["properties"].(schema); ok {
		required := map[string]bool{}
		for _, r := range list(s["required"]) {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
		for name, p := range props {
			ps, ok := p.(schema)
			if !ok {
				continue
			}
			strictify(ps)
			if !required[name] {
				allowNull(ps)
			}
		}
		if _, set := s["additionalProperties"]; !set && !preserve {
			s["additionalProperties"] = false
		}
	}
	if ap, ok := s["additionalProperties"].(schema); ok {
		strictify(ap)
	}
	if items, ok := s["items"].(schema); ok {
		strictify(items)
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		for _, sub := range list(s[key]) {
			if ss, ok := sub.(schema); ok {
				strictify(ss)
			}
		}
	}
}

// allowNull makes s accept null as well as what it accepts now.
func allowNull(s schema) {
	switch t := s["type"].(type) {
	case string:
		s["type"] = []any{t, "null"}
		return
	case []any:
		if !slices.Contains(t, any("null")) {
			s["type"] = append(t, "null")
		}
		return
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		if alts, ok := s[key].([]any); ok {
			s[key] = append(alts, schema{"type": "null"})
			return
		}
	}
	// No type: the node accepts anything already.
}

func list(v any) []any { l, _ := v.([]any); return l }

// merge adds the schemas of src to dst; two different schemas under one
// file name are an error, since kubeconform could read only one of them.
func merge(dst, src map[string]schema) error {
	for name, s := range src {
		if prev, ok := dst[name]; ok {
			a, _ := json.Marshal(prev)
			b, _ := json.Marshal(s)
			if string(a) != string(b) {
				return fmt.Errorf("two different schemas named %s", name)
			}
		}
		dst[name] = s
	}
	return nil
}

// write stores every schema as DIR/NAME.json.
func write(dir string, schemas map[string]schema) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, s := range schemas {
		data, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
