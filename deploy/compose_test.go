package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCompose(t *testing.T) {
	docs := readYAML(t, "compose.yaml")
	services, _ := docs[0]["services"].(map[string]any)
	prom := readYAML(t, "prometheus/prometheus.yml")[0]
	var promNames []string
	var promPort int
	var promRules []string
	for _, r := range list(prom["rule_files"]) {
		promRules = append(promRules, str(r))
	}
	for _, sc := range list(prom["scrape_configs"]) {
		if str(get(sc, "job_name")) != "trawler" {
			continue
		}
		for _, n := range list(get(sc, "dns_sd_configs", 0, "names")) {
			promNames = append(promNames, str(n))
		}
		promPort, _ = get(sc, "dns_sd_configs", 0, "port").(int)
	}
	slices.Sort(promNames)
	if !slices.Equal(promNames, stages) {
		t.Errorf("prometheus.yml scrapes %v, want the worker services %v", promNames, stages)
	}

	entrypoint := dockerfileEntrypoint(t)
	for name, s := range services {
		// Relative paths are relative to this directory, like compose's.
		if ctx := str(get(s, "build", "context")); ctx != "" {
			if _, err := os.Stat(filepath.Join(ctx, str(get(s, "build", "dockerfile")))); err != nil {
				t.Errorf("service %s: build: %v", name, err)
			}
		}
		for _, v := range list(get(s, "volumes")) {
			src, dst, _ := strings.Cut(str(v), ":")
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(src); err != nil {
					t.Errorf("service %s: volume %s: %v", name, src, err)
				}
				if name == "prometheus" && strings.HasSuffix(src, "alerts.yaml") && !slices.Contains(promRules, strings.TrimSuffix(dst, ":ro")) {
					t.Errorf("prometheus mounts the alerts at %s, prometheus.yml reads %v", dst, promRules)
				}
			}
		}
	}
	for _, stage := range stages {
		s := services[stage]
		if s == nil {
			t.Errorf("no service %s", stage)
			continue
		}
		if str(get(s, "command", 0)) != stage {
			t.Errorf("service %s: command %v", stage, get(s, "command"))
		}
		if p := metricsPort(t, str(get(s, "environment", "TRAWLER_METRICS_ADDR"))); p != promPort {
			t.Errorf("service %s serves metrics on %d, prometheus.yml scrapes %d", stage, p, promPort)
		}
		grace, err := time.ParseDuration(str(get(s, "stop_grace_period")))
		if err != nil || grace < messageTimeout+10*time.Second {
			t.Errorf("service %s: stop_grace_period %v does not cover the %v per-message timeout", stage, get(s, "stop_grace_period"), messageTimeout)
		}
		if get(s, "deploy", "replicas") == nil {
			t.Errorf("service %s: no deploy.replicas", stage)
		}
	}
	if r := get(services, "sink", "deploy", "replicas"); r != 1 {
		t.Errorf("sink replicas %v: replicas of one jsonl spec would append to the same file", r)
	}
	sinkSpec := str(get(services, "sink", "environment", "TRAWLER_SINK"))
	var onVolume bool
	for _, v := range list(get(services, "sink", "volumes")) {
		_, dst, _ := strings.Cut(str(v), ":")
		onVolume = onVolume || strings.HasPrefix(sinkSpec, "jsonl:"+strings.TrimSuffix(dst, "/")+"/")
	}
	if !onVolume {
		t.Errorf("sink spec %q is not on a volume", sinkSpec)
	}
	if ep := list(get(services, "seed", "entrypoint")); len(ep) != 2 || str(ep[0]) != entrypoint || str(ep[1]) != "seed" {
		t.Errorf("seed entrypoint %v, want [%s seed]", ep, entrypoint)
	}
}

// dockerfileEntrypoint checks the runtime stage of the Dockerfile and
// returns the binary's path.
func dockerfileEntrypoint(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	stages := strings.Split(src, "\nFROM ")
	final := stages[len(stages)-1]
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags="-s -w"`} {
		if !strings.Contains(src, want) {
			t.Errorf("Dockerfile: the build does not use %s", want)
		}
	}
	if !strings.Contains(final[:strings.Index(final, "\n")], "nonroot") {
		t.Error("Dockerfile: the runtime image is not a nonroot base")
	}
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(final)
	if user == nil || user[1] == "0" || strings.HasPrefix(user[1], "root") || strings.HasPrefix(user[1], "0:") {
		t.Errorf("Dockerfile: the runtime USER is root or unset (%q)", user)
	}
	copyBin := regexp.MustCompile(`(?m)^COPY --from=build /out/trawler (\S+)`).FindStringSubmatch(final)
	entry := regexp.MustCompile(`(?m)^ENTRYPOINT \["([^"]+)"\]`).FindStringSubmatch(final)
	if copyBin == nil || entry == nil || copyBin[1] != entry[1] {
		t.Fatalf("Dockerfile: ENTRYPOINT %v is not the copied binary %v", entry, copyBin)
	}
	expose := regexp.MustCompile(`(?m)^EXPOSE (\d+)`).FindStringSubmatch(final)
	addr := regexp.MustCompile(`TRAWLER_METRICS_ADDR=(\S+)`).FindStringSubmatch(final)
	if expose == nil || addr == nil {
		t.Error("Dockerfile: no EXPOSE or no ENV TRAWLER_METRICS_ADDR in the runtime stage")
	} else if strconv.Itoa(metricsPort(t, addr[1])) != expose[1] {
		t.Errorf("Dockerfile: EXPOSE %s and TRAWLER_METRICS_ADDR=%s disagree", expose[1], addr[1])
	}
	return entry[1]
}
