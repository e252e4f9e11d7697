package deploy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// runtimeInstructions returns the instructions of a Dockerfile's last stage
// that shape the running container (LABEL, ENV, WORKDIR, USER, EXPOSE,
// STOPSIGNAL, ENTRYPOINT, CMD), continuation lines joined, in order.
func runtimeInstructions(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	var cur strings.Builder
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if body, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(strings.TrimSpace(body) + " ")
			continue
		}
		cur.WriteString(line)
		lines = append(lines, cur.String())
		cur.Reset()
	}
	var out []string
	keep := regexp.MustCompile(`^(LABEL|ENV|WORKDIR|USER|EXPOSE|STOPSIGNAL|ENTRYPOINT|CMD)\s`)
	for _, l := range lines {
		if strings.HasPrefix(l, "FROM ") {
			out = nil // only the last stage counts
		}
		if keep.MatchString(l) {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return out
}

// The image `make image` builds with podman (deploy/podman/Containerfile)
// runs like deploy/Dockerfile's: same labels, environment, user, working
// directory, port, stop signal and command, and a binary built the same way.
func TestPodmanContainerfile(t *testing.T) {
	docker := runtimeInstructions(t, "Dockerfile")
	podman := runtimeInstructions(t, "podman/Containerfile")
	if len(docker) == 0 || !slices.Equal(docker, podman) {
		t.Errorf("podman/Containerfile's runtime settings differ from the Dockerfile's:\nDockerfile:    %q\nContainerfile: %q", docker, podman)
	}
	if !slices.Contains(podman, "USER 65532:65532") {
		t.Errorf("podman/Containerfile does not run as 65532: %q", podman)
	}

	script, err := os.ReadFile("podman/image")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`go build -trimpath -ldflags="-s -w -X main.version=$version"`,
		"CGO_ENABLED=0",
		// Settings under the build folder, never /etc.
		`default_ulimits = []`, `cgroup_manager = "cgroupfs"`, `runtime = "runc"`,
		`export CONTAINERS_CONF=$build/containers.conf`,
		"github.com/nats-io/nats-server/v2",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("podman/image lacks %s", want)
		}
	}
	if strings.Contains(string(script), "/etc/containers") {
		t.Error("podman/image writes podman's settings under /etc")
	}
}
