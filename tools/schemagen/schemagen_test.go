package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A miniature OpenAPI document: a kind with a nested object, a map, a
// list, an IntOrString, a Quantity, a recursive definition and ObjectMeta.
const openAPIDoc = `{"definitions": {
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    "type": "object", "properties": {
      "name": {"type": "string"},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}}}},
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
  "io.example.Node": {"type": "object", "properties": {"child": {"$ref": "#/definitions/io.example.Node"}}},
  "io.example.Spec": {"type": "object", "required": ["port"], "description": "dropped",
    "properties": {
      "port": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
      "memory": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
      "tags": {"type": "array", "items": {"type": "object", "properties": {"k": {"type": "string"}}}},
      "tree": {"$ref": "#/definitions/io.example.Node"},
      "raw": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}}}},
  "io.example.Widget": {"type": "object",
    "x-kubernetes-group-version-kind": [{"group": "widgets.example.io", "version": "v1beta1", "kind": "Widget"}],
    "properties": {
      "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
      "spec": {"$ref": "#/definitions/io.example.Spec"}}},
  "io.example.Core": {"type": "object",
    "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Core"}],
    "properties": {"data": {"type": "string"}}},
  "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": {"type": "object",
    "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "DeleteOptions"},
      {"group": "apps", "version": "v1", "kind": "DeleteOptions"}],
    "properties": {"dryRun": {"type": "string"}}}
}}`

const crdDoc = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: keda.sh
  names: {kind: ScaledThing}
  versions:
    - name: v1alpha1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            metadata: {type: object}
            spec:
              type: object
              required: [target]
              properties:
                target: {type: string}
                window: {type: integer, nullable: true}
                triggers:
                  type: array
                  items:
                    type: object
                    properties:
                      metadata: {type: object, additionalProperties: {type: string}}
`

func generate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	openapi := filepath.Join(dir, "swagger.json")
	crds := filepath.Join(dir, "crds")
	if err := os.MkdirAll(crds, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(openapi, []byte(openAPIDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(crds, "keda.sh_scaledthings.yaml"), []byte(crdDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := run([]string{"-out", out, "-openapi", openapi, "-crds", crds}, io.Discard); err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, dir, name string) schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func at(s any, path ...string) any {
	for _, p := range path {
		m, _ := s.(schema)
		s = m[p]
	}
	return s
}

func TestFiles(t *testing.T) {
	dir := generate(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// kubeconform's "{{ .ResourceKind }}{{ .KindSuffix }}.json": the first
	// label of the group; kinds shared by every group are skipped.
	want := []string{"core-v1.json", "scaledthing-keda-v1alpha1.json", "widget-widgets-v1beta1.json"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
}

func TestOpenAPIStrict(t *testing.T) {
	w := load(t, generate(t), "widget-widgets-v1beta1.json")
	tests := []struct {
		name string
		path []string
		want any
	}{
		{"top level is closed", []string{"additionalProperties"}, false},
		{"nested objects are closed", []string{"properties", "spec", "additionalProperties"}, false},
		{"metadata is closed", []string{"properties", "metadata", "additionalProperties"}, false},
		{"list items are closed", []string{"properties", "spec", "properties", "tags", "items", "additionalProperties"}, false},
		{"maps stay maps", []string{"properties", "metadata", "properties", "labels", "additionalProperties"}, schema{"type": "string"}},
		{"preserved unknown fields stay open", []string{"properties", "spec", "properties", "raw", "additionalProperties"}, nil},
		{"descriptions are dropped", []string{"properties", "spec", "description"}, nil},
		{"optional fields take null", []string{"properties", "spec", "properties", "tags", "type"}, []any{"array", "null"}},
		{"required fields do not", []string{"properties", "spec", "properties", "port", "oneOf"}, []any{schema{"type": "string"}, schema{"type": "integer"}}},
		{"quantities take numbers", []string{"properties", "spec", "properties", "memory", "oneOf"}, []any{schema{"type": "string"}, schema{"type": "number"}, schema{"type": "null"}}},
		{"recursion ends open", []string{"properties", "spec", "properties", "tree", "properties", "child"}, schema{}},
	}
	for _, tt := range tests {
		if got := at(w, tt.path...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v = %#v, want %#v", tt.name, tt.path, got, tt.want)
		}
	}
}

func TestCRDStrict(t *testing.T) {
	s := load(t, generate(t), "scaledthing-keda-v1alpha1.json")
	tests := []struct {
		name string
		path []string
		want any
	}{
		{"spec is closed", []string{"properties", "spec", "additionalProperties"}, false},
		{"list items are closed", []string{"properties", "spec", "properties", "triggers", "items", "additionalProperties"}, false},
		{"string maps stay maps", []string{"properties", "spec", "properties", "triggers", "items", "properties", "metadata", "additionalProperties"}, schema{"type": "string"}},
		{"metadata is ObjectMeta", []string{"properties", "metadata", "additionalProperties"}, false},
		{"metadata knows labels", []string{"properties", "metadata", "properties", "labels", "type"}, []any{"object", "null"}},
		{"nullable becomes null", []string{"properties", "spec", "properties", "window", "type"}, []any{"integer", "null"}},
		{"required stays non-null", []string{"properties", "spec", "properties", "target", "type"}, "string"},
	}
	for _, tt := range tests {
		if got := at(s, tt.path...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v = %#v, want %#v", tt.name, tt.path, got, tt.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, tt := range []struct{ group, version, kind, want string }{
		{"", "v1", "Service", "service-v1"},
		{"apps", "v1", "Deployment", "deployment-apps-v1"},
		{"monitoring.coreos.com", "v1", "PodMonitor", "podmonitor-monitoring-v1"},
		{"autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2"},
	} {
		if got := fileName(tt.group, tt.version, tt.kind); got != tt.want {
			t.Errorf("fileName(%q, %q, %q) = %q, want %q", tt.group, tt.version, tt.kind, got, tt.want)
		}
	}
}

func TestRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "swagger.json")
	if err := os.WriteFile(bad, []byte(`{"definitions": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-out", filepath.Join(dir, "out"), "-openapi", bad}, io.Discard); err == nil {
		t.Error("a document without ObjectMeta was accepted as the Kubernetes API")
	}
	if err := run([]string{"-openapi", bad}, io.Discard); err == nil {
		t.Error("no -out was accepted")
	}
}
