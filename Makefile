# trawler: make test runs everything CI runs; make bench the long measurements.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test test-short vet fmt fuzz bench bench-memory demo clean

all: vet test

build:
	$(GO) build -o bin/trawler ./cmd/trawler

# gofmt, go vet and staticcheck, pinned and run with go run: the only network
# it needs is the Go module proxy, once, to fill the module cache (offline
# after that: GOPROXY=file://$(go env GOMODCACHE)/cache/download).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

# The whole suite with the race detector; -short skips the slow end-to-end tests.
# The fault tests run alone, after the rest: they start a dozen race-built
# processes, and beside them the timing checks of other packages (the
# politeness budget at 100 ms, lease renewals) measure the machine's load
# rather than trawler.
FAULTS := ./internal/faults
test: vet
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list $(PKGS) | grep -v '/internal/faults$$')
	$(GO) test -race -count=1 -timeout 20m $(FAULTS)

test-short:
	$(GO) test -short -race -count=1 $(PKGS)

# Bounded fuzzing of the parser and the URL normalizer.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzNormalize$$' -fuzztime $(FUZZTIME) ./internal/urlnorm
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./parser

bench:
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkRunMemory$$' -benchtime 3x -timeout 30m ./internal/bench/ ./parser/
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkSeenBucketMemory$$' -benchtime 2000x ./internal/frontier/
	$(GO) test -run '^$$' -bench '^BenchmarkSeenBucketMemory$$' -benchtime 100000x ./internal/frontier/

# trawler run's peak RSS at 1,000 and 20,000 real pages (15 to 25 minutes;
# TRAWLER_BENCH_GOMEMLIMIT=300MiB gives trawler, not the site, a soft limit).
bench-memory:
	$(GO) test -run '^$$' -bench '^BenchmarkRunMemory$$' -benchtime 1x -timeout 60m -v ./internal/bench/

# Serve the fixture news site on 127.0.0.1 and crawl it with trawler run.
DEMO_DATA ?= demo-data
demo: build
	$(GO) build -o bin/demosite ./tools/demosite
	rm -rf $(DEMO_DATA)
	bin/demosite bin/trawler run --seed '{url}/' --data $(DEMO_DATA) --allow-private \
	  --host-delay 20ms --host-parallelism 4 --exit-when-idle
	@echo "demo: the articles are in $(DEMO_DATA)/articles.jsonl"

clean:
	rm -rf bin trawler-data demo-data

# Containers: one image for every stage (podman, offline; or Docker), and a
# local cluster with three NATS servers, PostgreSQL, Prometheus and Grafana.
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
CREATED  ?= $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo 1970-01-01T00:00:00Z)
COMPOSE  ?= docker compose -f deploy/compose.yaml
.PHONY: image docker-image container-test up down deploy-check nats-secrets nats-certs
# A random NATS password per user (deploy/nats/nats.conf) in deploy/secrets/:
# nats.env for the servers, <user>.env (TRAWLER_NATS_PASSWORD) for each
# worker; existing ones are kept.
nats-secrets:
	@test -e deploy/secrets/nats.env || { umask 077; for u in crawler parser sink admin; do \
	  pw=$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n'); \
	  echo "TRAWLER_NATS_PASSWORD=$$pw" > deploy/secrets/$$u.env; \
	  echo "NATS_$$(echo $$u | tr a-z A-Z)_PASSWORD=$$pw" >> deploy/secrets/nats.env; done; }
# localhost/trawler:dev and localhost/trawler-nats:dev in the local podman
# storage, offline (binaries built on the host, FROM scratch images); it
# installs podman and runc when missing and writes build/podman/containers.conf.
image:
	VERSION=$(VERSION) REVISION=$(REVISION) CREATED=$(CREATED) deploy/podman/image
# The same image with a Docker engine and registry access (distroless base).
docker-image:
	docker build -f deploy/Dockerfile --build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) \
	  --build-arg CREATED=$(CREATED) -t trawler:$(VERSION) -t trawler:dev .
# A CA of its own (key in deploy/nats/ca-key.pem, mounted nowhere) and the
# NATS servers' certificate it signs, for compose's TLS; existing ones are kept.
nats-certs:
	@test -e deploy/nats/ca/ca.pem || { cd deploy/nats && umask 077 && \
	  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
	    -subj /CN=trawler-nats-ca -keyout ca-key.pem -out ca/ca.pem && \
	  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=nats \
	    -keyout tls/server-key.pem -out tls/server.csr && \
	  printf 'subjectAltName=DNS:nats-1,DNS:nats-2,DNS:nats-3,DNS:localhost,IP:127.0.0.1\n' > tls/ext.cnf && \
	  openssl x509 -req -in tls/server.csr -CA ca/ca.pem -CAkey ca-key.pem -CAcreateserial \
	    -days 825 -extfile tls/ext.cnf -out tls/server.pem && \
	  rm -f tls/server.csr tls/ext.cnf ca/ca.srl ca.srl && chmod 644 ca/ca.pem; }
# compose.yaml's pipeline in real containers (podman, host network), the
# one-process mode and the image's probes: deploy/container_test.go.
# TRAWLER_CONTAINER_TEST=require fails instead of skipping where podman
# cannot run containers.
TRAWLER_CONTAINER_TEST ?= 1
container-test: image
	CONTAINERS_CONF=$(CURDIR)/build/podman/containers.conf TRAWLER_CONTAINER_TEST=$(TRAWLER_CONTAINER_TEST) \
	  $(GO) test -count=1 -timeout 10m -run '^TestContainer' -v ./deploy/
up: nats-secrets nats-certs
	VERSION=$(VERSION) REVISION=$(REVISION) CREATED=$(CREATED) $(COMPOSE) up -d --build
down:
	$(COMPOSE) down

# Parser quality and speed on the shared real-page sets (issues #3 and "The
# parser on pages it has never seen"): extraction (bodies, titles, dates,
# authors), dates (publication days, snippets) and pagetypes (pages that
# are not articles); per set a table per group and overall, snippet
# scores, and over all sets the page-type confusion, go-trafilatura
# measured in the same run. A set whose folder is absent is skipped.
EVAL_BENCH ?= ../shared/bench
.PHONY: eval eval-check eval-baseline
eval:
	$(GO) run ./tools/eval -bench $(EVAL_BENCH)

# The regression gate: fails when a figure of internal/eval/baseline.json
# moves the wrong way by more than 0.005 — extraction body F1, titles, date
# and date coverage; dates titles, day accuracy and coverage; authors of
# both; snippet F1 of each
# set; article recall, listing recall, and other pages written as articles
# (this one fails going up). 75 to 85 s for 1,646 pages on two shared cores.
eval-check:
	$(GO) run ./tools/eval -bench $(EVAL_BENCH) -compare=false -repeat 1 -check internal/eval/baseline.json

# Re-measure and rewrite the baseline after a deliberate change; it refuses
# to write while a set is absent, which would stop gating it.
eval-baseline:
	$(GO) run ./tools/eval -bench $(EVAL_BENCH) -compare=false -repeat 1 -write-baseline internal/eval/baseline.json

# Every check of deploy/ this machine can run without Docker or a cluster:
# Prometheus config and rules (promtool, from Debian's prometheus package),
# the Dockerfile lint (tally), the compose file against the Compose
# Specification, the Helm chart (lint, template, kubeconform against schemas
# generated from Go modules) and the image built with ko into a registry on
# 127.0.0.1. The Go tests of deploy/ run in make test.
TALLY_VERSION   ?= 0.45.0
COMPOSE_GO      ?= github.com/compose-spec/compose-go/v2/cmd@v2.16.2
deploy-check:
	promtool check config deploy/prometheus/prometheus.yml
	promtool check rules deploy/prometheus/alerts.yaml
	promtool test rules deploy/prometheus/alerts_test.yaml
	d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	  npm install --prefix "$$d" --no-save --no-audit --no-fund --loglevel=error @wharflab/tally-linux-x64@$(TALLY_VERSION) && \
	  "$$d/node_modules/@wharflab/tally-linux-x64/bin/tally" lint --slow-checks off --ignore hadolint/DL3057 --context . deploy/Dockerfile
	cd deploy && GOFLAGS= $(GO) run $(COMPOSE_GO) compose.yaml >/dev/null
	deploy/helm/check
	deploy/ko-check
