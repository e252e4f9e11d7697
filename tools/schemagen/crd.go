package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// crd is the part of a CustomResourceDefinition that names and describes
// its resources.
type crd struct {
	Kind string `yaml:"kind"`
	Spec struct {
		Group string `yaml:"group"`
		Names struct {
			Kind string `yaml:"kind"`
		} `yaml:"names"`
		Versions []struct {
			Name   string `yaml:"name"`
			Schema struct {
				OpenAPIV3Schema schema `yaml:"openAPIV3Schema"`
			} `yaml:"schema"`
		} `yaml:"versions"`
	} `yaml:"spec"`
}

// crdSchemas returns the strict schema of every version of every
// CustomResourceDefinition in the YAML files of dir. CRDs leave metadata
// open; it gets the Kubernetes ObjectMeta schema, so a misspelled metadata
// field fails there too.
func crdSchemas(dir string, meta schema) (map[string]schema, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml CustomResourceDefinition files", dir)
	}
	out := map[string]schema{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var c crd
			err := dec.Decode(&c)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if c.Kind != "CustomResourceDefinition" {
				continue
			}
			for _, v := range c.Spec.Versions {
				s := v.Schema.OpenAPIV3Schema
				if s == nil {
					return nil, fmt.Errorf("%s: %s %s has no openAPIV3Schema", f, c.Spec.Names.Kind, v.Name)
				}
				strictify(s)
				if props, ok := s["properties"].(schema); ok && meta != nil {
					props["metadata"] = withNull(meta)
				}
				name := fileName(c.Spec.Group, v.Name, c.Spec.Names.Kind)
				if err := merge(out, map[string]schema{name: s}); err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
			}
		}
	}
	return out, nil
}

// withNull returns a shallow copy of s that also accepts null.
func withNull(s schema) schema {
	c := make(schema, len(s))
	for k, v := range s {
		c[k] = v
	}
	allowNull(c)
	return c
}
