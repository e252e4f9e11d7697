// Command schemagen writes the JSON schemas kubeconform validates manifests
// against, from the Kubernetes OpenAPI document (swagger.json of the
// k8s.io/kubernetes module) and CustomResourceDefinition files (KEDA's, the
// Prometheus Operator's), so validation needs neither a cluster nor a
// network.
//
// Each schema is standalone (every $ref inlined) and strict: an object whose
// properties the spec lists rejects any other property, so a misspelled field
// fails validation instead of being dropped by the API server. Files are
// named as kubeconform's -schema-location template
// "{{ .ResourceKind }}{{ .KindSuffix }}.json" expects:
// deployment-apps-v1.json, service-v1.json, scaledobject-keda-v1alpha1.json.
//
//	schemagen -out DIR -openapi swagger.json -crds DIR [-crds DIR...]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

// dirs is a repeatable flag.
type dirs []string

func (d *dirs) String() string     { return strings.Join(*d, ",") }
func (d *dirs) Set(v string) error { *d = append(*d, v); return nil }

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("schemagen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the schemas to `DIR` (created)")
	openapi := fs.String("openapi", "", "Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json)")
	var crds dirs
	fs.Var(&crds, "crds", "`DIR` of CustomResourceDefinition YAML files (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *openapi == "" {
		return errors.New("give -out and -openapi")
	}
	k8s, err := loadOpenAPI(*openapi)
	if err != nil {
		return err
	}
	schemas, err := k8s.schemas()
	if err != nil {
		return err
	}
	for _, dir := range crds {
		s, err := crdSchemas(dir, k8s.objectMeta())
		if err != nil {
			return err
		}
		if err := merge(schemas, s); err != nil {
			return err
		}
	}
	if err := write(*out, schemas); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "schemagen: %d schemas in %s\n", len(schemas), *out)
	return nil
}
