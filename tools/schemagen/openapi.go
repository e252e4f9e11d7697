package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Definitions whose OpenAPI form is narrower than what the API server
// accepts from YAML: a quantity may be written as a number (cpu: 2), an
// IntOrString as either.
const (
	quantityDef = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	objectMeta  = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)

// openAPI is the definitions section of an OpenAPI v2 document.
type openAPI struct {
	defs map[string]schema
}

func loadOpenAPI(path string) (*openAPI, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Definitions map[string]schema `json:"definitions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Definitions[objectMeta] == nil {
		return nil, fmt.Errorf("%s: no %s definition; not a Kubernetes OpenAPI v2 document", path, objectMeta)
	}
	return &openAPI{defs: doc.Definitions}, nil
}

// schemas returns the strict standalone schema of every kind the document
// defines, by kubeconform file name. Definitions shared by every group
// (DeleteOptions, WatchEvent) are not manifests and are skipped.
func (o *openAPI) schemas() (map[string]schema, error) {
	out := map[string]schema{}
	for name, def := range o.defs {
		gvks := list(def["x-kubernetes-group-version-kind"])
		if len(gvks) != 1 {
			continue
		}
		gvk, _ := gvks[0].(schema)
		group, _ := gvk["group"].(string)
		version, _ := gvk["version"].(string)
		kind, _ := gvk["kind"].(string)
		if version == "" || kind == "" {
			return nil, fmt.Errorf("%s: incomplete x-kubernetes-group-version-kind %v", name, gvk)
		}
		s, err := o.resolve(schema{"$ref": "#/definitions/" + name}, nil)
		if err != nil {
			return nil, err
		}
		strictify(s)
		if err := merge(out, map[string]schema{fileName(group, version, kind): s}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// objectMeta returns the strict schema of metadata, for the custom
// resources, whose CRDs leave it open.
func (o *openAPI) objectMeta() schema {
	s, err := o.resolve(schema{"$ref": "#/definitions/" + objectMeta}, nil)
	if err != nil {
		panic(err) // loadOpenAPI checked the definition exists
	}
	strictify(s)
	return s
}

// resolve returns a deep copy of s with every $ref replaced by its
// definition. A reference back into a definition being expanded (only
// JSONSchemaProps, a CRD's own schema, does that) becomes an open schema.
func (o *openAPI) resolve(s schema, stack []string) (schema, error) {
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		if !ok {
			return nil, fmt.Errorf("unsupported $ref %q", ref)
		}
		if slices.Contains(stack, name) {
			return schema{}, nil
		}
		def, ok := o.defs[name]
		if !ok {
			return nil, fmt.Errorf("$ref to unknown definition %q", name)
		}
		switch {
		case name == quantityDef:
			return schema{"oneOf": []any{schema{"type": "string"}, schema{"type": "number"}}}, nil
		case def["format"] == "int-or-string":
			return schema{"oneOf": []any{schema{"type": "string"}, schema{"type": "integer"}}}, nil
		}
		// A clipped stack: sibling expansions must not share its backing array.
		return o.resolve(def, append(slices.Clip(stack), name))
	}
	out := make(schema, len(s))
	for k, v := range s {
		c, err := o.resolveValue(v, stack)
		if err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, nil
}

func (o *openAPI) resolveValue(v any, stack []string) (any, error) {
	switch v := v.(type) {
	case schema:
		return o.resolve(v, stack)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			c, err := o.resolveValue(e, stack)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}
