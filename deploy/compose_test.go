package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"gopkg.in/yaml.v3"

	"github.com/trawler/trawler/internal/natsutil"
)

// Tests of docker compose (compose.yaml and the files it mounts), the
// image (Dockerfile, ../.dockerignore) and ko's build (../.ko.yaml) against
// one another and the code. The compose file's schema is checked by
// compose-go in CI (see README.md); these check what a schema cannot.

// interpolate applies compose's ${VAR:-default} with every variable unset.
var interpolation = regexp.MustCompile(`\$\{([A-Z_][A-Z0-9_]*)(?::?-([^}]*))?\}`)

func interpolate(s string) string {
	return interpolation.ReplaceAllString(s, "$2")
}

// composeServices returns compose.yaml's services.
func composeServices(t *testing.T) map[string]any {
	t.Helper()
	services, _ := readYAML(t, "compose.yaml")[0]["services"].(map[string]any)
	if len(services) == 0 {
		t.Fatal("compose.yaml: no services")
	}
	return services
}

// isTrawler reports whether a service runs the trawler image.
func isTrawler(s any) bool { return get(s, "build", "dockerfile") != nil }

func TestCompose(t *testing.T) {
	services := composeServices(t)
	prom := readYAML(t, "prometheus/prometheus.yml")[0]
	var promNames []string
	var promPort int
	var promRules []string
	for _, r := range list(prom["rule_files"]) {
		// Prometheus resolves relative rule files against the directory of
		// its config file, which compose mounts at /etc/prometheus/.
		promRules = append(promRules, path.Join("/etc/prometheus", str(r)))
	}
	for _, sc := range list(prom["scrape_configs"]) {
		if str(get(sc, "job_name")) != "trawler" {
			continue
		}
		for _, n := range list(get(sc, "dns_sd_configs", 0, "names")) {
			promNames = append(promNames, str(n))
		}
		promPort, _ = get(sc, "dns_sd_configs", 0, "port").(int)
		// The alert rules and the dashboard select on component.
		var component bool
		for _, rc := range list(get(sc, "relabel_configs")) {
			component = component || (str(get(rc, "target_label")) == "component" && str(get(rc, "source_labels", 0)) == "__meta_dns_name")
		}
		if !component {
			t.Error("prometheus.yml: the trawler job does not set component from the service name")
		}
	}
	slices.Sort(promNames)
	if !slices.Equal(promNames, stages) {
		t.Errorf("prometheus.yml scrapes %v, want the worker services %v", promNames, stages)
	}

	entrypoint := dockerfileEntrypoint(t)
	flags := flagEnvVars(t)
	var build any
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
				if !strings.HasSuffix(str(v), ":ro") {
					t.Errorf("service %s: %s is mounted writable", name, src)
				}
				if name == "prometheus" && strings.HasSuffix(src, "alerts.yaml") && !slices.Contains(promRules, strings.TrimSuffix(dst, ":ro")) {
					t.Errorf("prometheus mounts the alerts at %s, prometheus.yml reads %v", dst, promRules)
				}
			}
		}
		// Every service that can, runs on a read-only root filesystem.
		if get(s, "read_only") != true {
			t.Errorf("service %s: no read_only: true", name)
		}
		for dep, d := range mapOf(get(s, "depends_on")) {
			if services[dep] == nil {
				t.Errorf("service %s depends on %s, which is no service", name, dep)
			} else if str(get(d, "condition")) == "service_healthy" && get(services[dep], "healthcheck", "test") == nil {
				t.Errorf("service %s waits for %s to be healthy, which has no healthcheck", name, dep)
			}
		}
		if !isTrawler(s) {
			continue
		}
		// One image for every stage: the subcommand picks the role.
		if build == nil {
			build = get(s, "build")
		} else if fmt.Sprint(get(s, "build")) != fmt.Sprint(build) || str(get(s, "image")) != "trawler:dev" {
			t.Errorf("service %s: image %v, build %v: not the one trawler image", name, get(s, "image"), get(s, "build"))
		}
		for k := range mapOf(get(s, "environment")) {
			if flags[k] == "" && !strings.HasPrefix(k, "GO") {
				t.Errorf("service %s: %s is not the variable of any flag of cmd/trawler", name, k)
			}
		}
		grace, err := time.ParseDuration(str(get(s, "stop_grace_period")))
		if err != nil || grace < messageTimeout+10*time.Second {
			t.Errorf("service %s: stop_grace_period %v does not cover the %v per-message timeout", name, get(s, "stop_grace_period"), messageTimeout)
		}
		if !slices.ContainsFunc(list(get(s, "cap_drop")), func(c any) bool { return str(c) == "ALL" }) {
			t.Errorf("service %s: capabilities not dropped", name)
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
		if get(s, "deploy", "replicas") == nil {
			t.Errorf("service %s: no deploy.replicas", stage)
		}
	}
	for _, stage := range []string{"crawl", "parse"} {
		if r, _ := get(services, stage, "deploy", "replicas").(int); r < 2 {
			t.Errorf("service %s: %d replicas, want at least 2 to show the stage scaling out", stage, r)
		}
	}
	if ep := list(get(services, "seed", "entrypoint")); len(ep) != 2 || str(ep[0]) != entrypoint || str(ep[1]) != "seed" {
		t.Errorf("seed entrypoint %v, want [%s seed]", ep, entrypoint)
	}
	if !slices.ContainsFunc(list(get(services, "seed", "profiles")), func(p any) bool { return str(p) != "" }) {
		t.Error("seed has no profile: `up` would start it without seeds")
	}
}

// TestComposeSink checks the sink's spec against the service it writes to.
func TestComposeSink(t *testing.T) {
	services := composeServices(t)
	spec := interpolate(str(get(services, "sink", "environment", "TRAWLER_SINK")))
	switch {
	case strings.HasPrefix(spec, "jsonl:"):
		// Replicas of one jsonl spec would append to the same file.
		if r := get(services, "sink", "deploy", "replicas"); r != 1 {
			t.Errorf("sink replicas %v with a jsonl spec", r)
		}
		var onVolume bool
		for _, v := range list(get(services, "sink", "volumes")) {
			_, dst, _ := strings.Cut(str(v), ":")
			onVolume = onVolume || strings.HasPrefix(spec, "jsonl:"+strings.TrimSuffix(dst, "/")+"/")
		}
		if !onVolume {
			t.Errorf("sink spec %q is not on a volume", spec)
		}
	case strings.HasPrefix(spec, "postgres://"):
		u, err := url.Parse(spec)
		if err != nil {
			t.Fatalf("TRAWLER_SINK: %v", err)
		}
		host, port, _ := net.SplitHostPort(u.Host)
		db := services[host]
		if db == nil || !strings.HasPrefix(str(get(db, "image")), "postgres:") {
			t.Fatalf("TRAWLER_SINK names host %q, not a postgres service", host)
		}
		if port != "5432" {
			t.Errorf("TRAWLER_SINK port %s, PostgreSQL listens on 5432", port)
		}
		env := func(k string) string { return interpolate(str(get(db, "environment", k))) }
		pass, _ := u.User.Password()
		if u.User.Username() != env("POSTGRES_USER") || pass != env("POSTGRES_PASSWORD") || strings.TrimPrefix(u.Path, "/") != env("POSTGRES_DB") {
			t.Errorf("TRAWLER_SINK %s does not log in as the postgres service's POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB", spec)
		}
		// The DSN and POSTGRES_PASSWORD must follow the same variable.
		if !strings.Contains(str(get(services, "sink", "environment", "TRAWLER_SINK")), str(get(db, "environment", "POSTGRES_PASSWORD"))) {
			t.Errorf("TRAWLER_SINK and the postgres service take the password from different places")
		}
		if str(get(services, "sink", "depends_on", host, "condition")) != "service_healthy" {
			t.Errorf("sink does not wait for %s to be healthy", host)
		}
		if hc := fmt.Sprint(get(db, "healthcheck", "test")); !strings.Contains(hc, "pg_isready") {
			t.Errorf("%s healthcheck %s does not ask pg_isready", host, hc)
		}
	default:
		t.Errorf("sink spec %q: want jsonl: or postgres://", spec)
	}
}

// TestComposeNATS checks the NATS cluster: every server runs nats.conf
// under its own name with its own volume, the routes name exactly those
// servers, the workers know them all and create streams with one replica
// per server, and the payload limit is the one the code assumes.
func TestComposeNATS(t *testing.T) {
	services := composeServices(t)
	setNATSPasswords(t)
	opts, err := server.ProcessConfigFile("nats/nats.conf")
	if err != nil {
		t.Fatalf("nats/nats.conf: %v", err)
	}
	if opts.MaxPayload != natsutil.MaxPayload {
		t.Errorf("nats.conf max_payload %d, the code assumes %d (natsutil.MaxPayload)", opts.MaxPayload, natsutil.MaxPayload)
	}
	if !opts.JetStream || opts.StoreDir == "" {
		t.Errorf("nats.conf: JetStream off or without store_dir")
	}
	if opts.Cluster.Port == 0 || opts.Cluster.Name == "" {
		t.Errorf("nats.conf: no named cluster with a port")
	}
	var routes []string
	for _, r := range opts.Routes {
		if r.Port() != strconv.Itoa(opts.Cluster.Port) {
			t.Errorf("nats.conf: route %s is not to the cluster port %d", r, opts.Cluster.Port)
		}
		routes = append(routes, r.Hostname())
	}
	slices.Sort(routes)

	top := readYAML(t, "compose.yaml")[0]
	var servers []string
	volumes := map[string]string{}
	for name, s := range services {
		if !strings.HasPrefix(str(get(s, "image")), "nats:") {
			continue
		}
		servers = append(servers, name)
		cmd := list(get(s, "command"))
		if i := slices.IndexFunc(cmd, func(a any) bool { return str(a) == "--server_name" || str(a) == "-n" || str(a) == "--name" }); i < 0 || i+1 >= len(cmd) || str(cmd[i+1]) != name {
			t.Errorf("service %s: command %v does not name the server %s", name, cmd, name)
		}
		var conf, store bool
		for _, v := range list(get(s, "volumes")) {
			src, dst, _ := strings.Cut(strings.TrimSuffix(str(v), ":ro"), ":")
			conf = conf || (src == "./nats/nats.conf" && slices.Contains(cmd, any(dst)))
			if dst == opts.StoreDir {
				store = true
				if other, ok := volumes[src]; ok {
					t.Errorf("services %s and %s share the JetStream volume %s", other, name, src)
				}
				volumes[src] = name
				if _, ok := get(top, "volumes").(map[string]any)[src]; !ok {
					t.Errorf("service %s: volume %s is not a named volume", name, src)
				}
			}
		}
		if !conf || !store {
			t.Errorf("service %s: nats.conf not mounted where -c reads it (%v), or no volume on %s (%v)", name, conf, opts.StoreDir, store)
		}
		if get(s, "healthcheck", "test") == nil {
			t.Errorf("service %s: no healthcheck", name)
		}
	}
	slices.Sort(servers)
	if len(servers) != 3 {
		t.Errorf("NATS servers %v, want three", servers)
	}
	if !slices.Equal(routes, servers) {
		t.Errorf("nats.conf routes to %v, the NATS services are %v", routes, servers)
	}

	for name, s := range services {
		if !isTrawler(s) {
			continue
		}
		var urls []string
		for _, u := range strings.Split(str(get(s, "environment", "TRAWLER_NATS")), ",") {
			p, err := url.Parse(u)
			if err != nil || p.Port() != strconv.Itoa(opts.Port) {
				t.Errorf("service %s: TRAWLER_NATS %q is not a client URL on port %d", name, u, opts.Port)
				continue
			}
			urls = append(urls, p.Hostname())
		}
		slices.Sort(urls)
		if !slices.Equal(urls, servers) {
			t.Errorf("service %s: TRAWLER_NATS names %v, want every server %v", name, urls, servers)
		}
		if r := str(get(s, "environment", "TRAWLER_REPLICAS")); r != strconv.Itoa(len(servers)) {
			t.Errorf("service %s: TRAWLER_REPLICAS %q, want one replica per server (%d)", name, r, len(servers))
		}
		for _, srv := range servers {
			if str(get(s, "depends_on", srv, "condition")) != "service_healthy" {
				t.Errorf("service %s does not wait for %s to be healthy", name, srv)
			}
		}
	}
}

// TestComposePorts checks the published ports: on the loopback interface
// only, each host port once, each to a port the service listens on.
func TestComposePorts(t *testing.T) {
	services := composeServices(t)
	setNATSPasswords(t)
	opts, err := server.ProcessConfigFile("nats/nats.conf")
	if err != nil {
		t.Fatalf("nats/nats.conf: %v", err)
	}
	listens := map[string][]int{
		"prometheus": {9090},
		"grafana":    {3000},
	}
	seen := map[string]string{}
	for name, s := range services {
		ours := listens[name]
		if strings.HasPrefix(str(get(s, "image")), "nats:") {
			ours = []int{opts.Port, opts.HTTPPort}
		}
		for _, p := range list(get(s, "ports")) {
			spec := interpolate(str(p))
			parts := strings.Split(spec, ":")
			if len(parts) != 3 || parts[0] != "127.0.0.1" {
				t.Errorf("service %s: port %q is not published on 127.0.0.1 only", name, p)
				continue
			}
			if other, ok := seen[parts[1]]; ok {
				t.Errorf("host port %s published by %s and %s", parts[1], other, name)
			}
			seen[parts[1]] = name
			c, err := strconv.Atoi(parts[2])
			if err != nil || !slices.Contains(ours, c) {
				t.Errorf("service %s: port %q goes to %s, which the service does not listen on (%v)", name, p, parts[2], ours)
			}
		}
	}
	for _, want := range []string{"prometheus", "grafana"} {
		if !slices.Contains(slices.Collect(maps.Values(seen)), want) {
			t.Errorf("service %s publishes no port", want)
		}
	}
}

// TestComposeGrafana checks the provisioning: the datasource is the
// compose Prometheus, fixed and the default (the dashboard's datasource
// variable falls back to the default), and the dashboard is mounted where
// the provider reads.
func TestComposeGrafana(t *testing.T) {
	services := composeServices(t)
	g := services["grafana"]
	mounts := map[string]string{}
	for _, v := range list(get(g, "volumes")) {
		src, dst, _ := strings.Cut(strings.TrimSuffix(str(v), ":ro"), ":")
		mounts[dst] = src
	}
	if mounts["/etc/grafana/provisioning"] != "./grafana/provisioning" {
		t.Errorf("grafana: provisioning mounts %v", mounts)
	}

	ds := readYAML(t, "grafana/provisioning/datasources/prometheus.yaml")[0]
	var defaults int
	for _, d := range list(ds["datasources"]) {
		if get(d, "isDefault") == true {
			defaults++
		}
		if str(get(d, "uid")) == "" {
			t.Errorf("datasource %v: no fixed uid", get(d, "name"))
		}
		if str(get(d, "type")) != "prometheus" {
			continue
		}
		u, err := url.Parse(str(get(d, "url")))
		if err != nil || services[u.Hostname()] == nil || !strings.HasPrefix(str(get(services[u.Hostname()], "image")), "prom/prometheus") || u.Port() != "9090" {
			t.Errorf("datasource url %v is not the prometheus service", get(d, "url"))
		}
		interval, _ := time.ParseDuration(str(get(d, "jsonData", "timeInterval")))
		scrape, _ := time.ParseDuration(str(get(readYAML(t, "prometheus/prometheus.yml")[0], "global", "scrape_interval")))
		if interval != scrape {
			t.Errorf("datasource timeInterval %v, the scrape interval is %v ($__rate_interval depends on it)", interval, scrape)
		}
	}
	if defaults != 1 {
		t.Errorf("%d default datasources, want 1", defaults)
	}

	prov := readYAML(t, "grafana/provisioning/dashboards/trawler.yaml")[0]
	dir := str(get(prov, "providers", 0, "options", "path"))
	var dashboards int
	for dst, src := range mounts {
		if path.Dir(dst) == dir && strings.HasSuffix(src, ".json") {
			dashboards++
			if !strings.HasPrefix(src, "./grafana/") {
				t.Errorf("grafana: dashboard %s from outside deploy/grafana", src)
			}
		}
	}
	if dashboards == 0 {
		t.Errorf("grafana: no dashboard mounted in the provider's path %s (mounts %v)", dir, mounts)
	}
	if home := str(get(g, "environment", "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")); mounts[home] == "" {
		t.Errorf("grafana: home dashboard %s is not mounted", home)
	}
	// File provisioning does not fill __inputs: the dashboard must take its
	// datasource from a datasource variable.
	raw, err := os.ReadFile("grafana/trawler.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Inputs     []any `json:"__inputs"`
		Templating struct {
			List []struct {
				Type  string `json:"type"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("grafana/trawler.json: %v", err)
	}
	var dsVar bool
	for _, v := range dash.Templating.List {
		dsVar = dsVar || (v.Type == "datasource" && v.Query == "prometheus")
	}
	if len(dash.Inputs) > 0 || !dsVar {
		t.Error("grafana/trawler.json: no prometheus datasource variable, or __inputs that provisioning leaves unfilled")
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
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags="-s -w -X main.version=${VERSION}"`} {
		if !strings.Contains(src, want) {
			t.Errorf("Dockerfile: the build does not use %s", want)
		}
	}
	if !strings.Contains(final[:strings.Index(final, "\n")], "nonroot") {
		t.Error("Dockerfile: the runtime image is not a nonroot base")
	}
	if regexp.MustCompile(`(?m)^HEALTHCHECK`).MatchString(src) {
		t.Error("Dockerfile: HEALTHCHECK: probes belong to the orchestrator")
	}
	user := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindStringSubmatch(final)
	if user == nil || user[1] == "0" || strings.HasPrefix(user[1], "root") || strings.HasPrefix(user[1], "0:") {
		t.Errorf("Dockerfile: the runtime USER is root or unset (%q)", user)
	}
	for _, l := range []string{"title", "description", "source", "version", "revision", "created"} {
		if !regexp.MustCompile(`(?m)^\s*(LABEL\s+)?org\.opencontainers\.image\.` + l + `="[^",]+"`).MatchString(final) {
			// ko-check passes the labels to ko, which splits them at commas.
			t.Errorf("Dockerfile: no OCI label %s without commas in the runtime stage", l)
		}
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

// TestImageBuild checks the build settings: the Go image can build the
// module, main.version (what -X stamps) exists, and ko builds like the
// Dockerfile.
func TestImageBuild(t *testing.T) {
	docker, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)`).FindSubmatch(docker)
	modVersion := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(gomod)
	if goVersion == nil || modVersion == nil || versionLess(string(goVersion[1]), string(modVersion[1])) {
		t.Errorf("Dockerfile: golang:%s cannot build a module that needs go %s", goVersion, modVersion)
	}
	main, err := os.ReadFile("../cmd/trawler/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^var version = `).Match(main) {
		t.Error("cmd/trawler/main.go: no `var version`, which -X main.version stamps (silently ignored otherwise)")
	}

	var ko struct {
		DefaultBaseImage string `yaml:"defaultBaseImage"`
		Builds           []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	raw, err := os.ReadFile("../.ko.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &ko); err != nil {
		t.Fatalf(".ko.yaml: %v", err)
	}
	base := regexp.MustCompile(`(?m)^FROM (\S+)\s*$`).FindAllSubmatch(docker, -1)
	if len(base) == 0 || ko.DefaultBaseImage != string(base[len(base)-1][1]) {
		t.Errorf(".ko.yaml: defaultBaseImage %q, the Dockerfile's runtime image is %q", ko.DefaultBaseImage, base)
	}
	if len(ko.Builds) != 1 {
		t.Fatalf(".ko.yaml: %d builds, want the one of ./cmd/trawler", len(ko.Builds))
	}
	b := ko.Builds[0]
	ld := strings.Join(b.Ldflags, " ")
	if b.Main != "./cmd/trawler" || !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") ||
		!strings.Contains(ld, "-s -w") || !strings.Contains(ld, "-X main.version=") {
		t.Errorf(".ko.yaml: build %+v differs from the Dockerfile's (CGO_ENABLED=0, -trimpath, -s -w, -X main.version)", b)
	}
}

// versionLess compares Go versions such as 1.26 and 1.26.8.
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// TestDockerignore checks that ../.dockerignore keeps the context small
// without leaving out a file the build needs: every Go file and embedded
// file of the packages cmd/trawler is built from.
func TestDockerignore(t *testing.T) {
	raw, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []*regexp.Regexp
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			t.Fatalf(".dockerignore: exceptions (%s) are not handled by this test", line)
		}
		patterns = append(patterns, ignorePattern(line))
	}
	ignored := func(p string) bool {
		// A path is ignored when it or one of its directories matches.
		for ; p != "." && p != "/"; p = path.Dir(p) {
			for _, re := range patterns {
				if re.MatchString(p) {
					return true
				}
			}
		}
		return false
	}
	for _, p := range []string{".git", "deploy/Dockerfile", "docs/deploy.md", "parser/testdata/x.html", "sink/sink_test.go", "bin/trawler"} {
		if !ignored(p) {
			t.Errorf(".dockerignore: %s is sent to the builder", p)
		}
	}
	files := buildFiles(t)
	if len(files) < 50 {
		t.Fatalf("found %d files cmd/trawler is built from; the listing is broken", len(files))
	}
	for _, f := range files {
		if ignored(f) {
			t.Errorf(".dockerignore leaves out %s, which the build needs", f)
		}
	}
}

// ignorePattern turns a .dockerignore line into a regular expression over
// slash-separated paths relative to the context, as BuildKit reads it:
// * and ? stay within a path element, ** spans any number of them.
func ignorePattern(p string) *regexp.Regexp {
	p = strings.TrimPrefix(path.Clean(p), "/")
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// buildFiles lists the files of the main module that `go build
// ./cmd/trawler` reads, relative to the repository root.
func buildFiles(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := goList(root, "-deps", "-f", `{{if not .Standard}}{{if .Module}}{{if .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}
{{end}}{{end}}{{end}}{{end}}`, "./cmd/trawler")
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files := []string{"go.mod", "go.sum"}
	for _, f := range strings.Fields(out) {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

func mapOf(v any) map[string]any { m, _ := v.(map[string]any); return m }

// goList runs go list in dir.
func goList(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return "", fmt.Errorf("%w: %s", err, exit.Stderr)
	}
	return string(out), err
}
