package trawler_test

import (
	"errors"
	"go/build"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The module's layers, as docs/architecture.md draws them, lowest first:
//
//   - contract: the root package, the wire contract, stdlib only;
//   - domain: crawler, parser, discover, sink (and sinktest), internal/urlnorm,
//     internal/archive, internal/redact:
//     plain packages that know the contract and each other, not NATS;
//   - messaging: internal/wire, natsutil, worker, frontier, deadletter;
//   - assembly: internal/pipeline, which wires the stages to the streams;
//   - binaries: cmd/ and tools/, which nothing imports.
//
// Test support (natstest, sitetest, testkit, eval…) sits beside them and,
// like every package below the assembly, never depends on it.
const module = "github.com/trawler/trawler"

const pipelinePkg = module + "/internal/pipeline"

// domain is the layer that knows neither NATS nor anything above it.
var domain = []string{
	module,
	module + "/crawler",
	module + "/discover",
	module + "/internal/archive",
	module + "/internal/redact",
	module + "/internal/urlnorm",
	module + "/parser",
	module + "/sink",
	module + "/sink/sinktest",
}

// modulePackages returns the import path of every package of the module
// and the imports of its non-test files (for this GOOS and GOARCH).
func modulePackages(t *testing.T) map[string][]string {
	t.Helper()
	if _, err := os.Stat("go.mod"); err != nil {
		t.Fatalf("run from the module root: %v", err)
	}
	pkgs := map[string][]string{}
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if dir != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); dir != "." && err == nil {
			return filepath.SkipDir // another module
		}
		p, err := build.ImportDir(dir, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		pkgs[path.Join(module, filepath.ToSlash(dir))] = p.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append([]string{pipelinePkg, module + "/cmd/trawler"}, domain...) {
		if _, ok := pkgs[p]; !ok {
			t.Fatalf("package %s not found: update the layers here and in docs/architecture.md", p)
		}
	}
	return pkgs
}

// within reports whether p is dir or a package under it.
func within(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// depChain returns, for every module package p depends on (p included),
// the chain of imports from p to it.
func depChain(pkgs map[string][]string, p string) map[string][]string {
	chains := map[string][]string{p: {p}}
	queue := []string{p}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, imp := range pkgs[cur] {
			if _, ok := pkgs[imp]; !ok {
				continue // stdlib or another module
			}
			if _, seen := chains[imp]; !seen {
				chains[imp] = append(slices.Clone(chains[cur]), imp)
				queue = append(queue, imp)
			}
		}
	}
	return chains
}

// Nothing below internal/pipeline depends on it, and nothing depends on a
// binary: the storage, crawling and messaging layers can be read, tested and
// reused without the orchestration above them.
func TestNothingBelowThePipelineImportsIt(t *testing.T) {
	pkgs := modulePackages(t)
	binaries := []string{module + "/cmd", module + "/tools"}
	for _, p := range slices.Sorted(maps.Keys(pkgs)) {
		above := p == pipelinePkg || slices.ContainsFunc(binaries, func(b string) bool { return within(p, b) })
		chains := depChain(pkgs, p)
		for _, dep := range slices.Sorted(maps.Keys(chains)) {
			chain := chains[dep]
			if dep == p {
				continue
			}
			if dep == pipelinePkg && !above {
				t.Errorf("%s depends on internal/pipeline: %s; only cmd/ and tools/ assemble stages",
					p, strings.Join(chain, " → "))
			}
			for _, b := range binaries {
				if within(dep, b) {
					t.Errorf("%s depends on the binary %s: %s", p, dep, strings.Join(chain, " → "))
				}
			}
		}
	}
}

// The contract is stdlib only, and the domain packages know neither NATS
// nor any module package outside their layer.
func TestDomainKnowsNoMessaging(t *testing.T) {
	pkgs := modulePackages(t)
	for _, imp := range pkgs[module] {
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
			t.Errorf("the root package (the wire contract) imports %s: it is stdlib only", imp)
		}
	}
	for _, p := range domain {
		chains := depChain(pkgs, p)
		for _, dep := range slices.Sorted(maps.Keys(chains)) {
			chain := chains[dep]
			if !slices.Contains(domain, dep) {
				t.Errorf("%s depends on %s, above the domain layer: %s", p, dep, strings.Join(chain, " → "))
				continue
			}
			for _, imp := range pkgs[dep] {
				if within(imp, "github.com/nats-io") {
					t.Errorf("%s depends on NATS (%s): %s", p, imp, strings.Join(append(chain, imp), " → "))
				}
			}
		}
	}
}
