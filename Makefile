# trawler: make test runs everything CI runs; make bench the long measurements.
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s

.PHONY: all build test test-short vet fmt fuzz bench demo clean

all: vet test

build:
	$(GO) build -o bin/trawler ./cmd/trawler

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

# The whole suite with the race detector; -short skips the slow end-to-end tests.
test: vet
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short -race -count=1 $(PKGS)

# Bounded fuzzing of the parser and the URL normalizer.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzNormalize$$' -fuzztime $(FUZZTIME) ./internal/urlnorm
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./parser

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -timeout 30m ./internal/bench/ ./parser/

# Serve the fixture news site on 127.0.0.1 and crawl it with trawler run.
DEMO_DATA ?= demo-data
demo: build
	$(GO) build -o bin/demosite ./internal/sitetest/demosite
	rm -rf $(DEMO_DATA)
	bin/demosite bin/trawler run --seed '{url}/' --data $(DEMO_DATA) --allow-private \
	  --host-delay 20ms --host-parallelism 4 --exit-when-idle
	@echo "demo: the articles are in $(DEMO_DATA)/articles.jsonl"

clean:
	rm -rf bin trawler-data demo-data

# Extraction quality and speed on the shared real-page set (issue #3): one
# table per source and overall, go-trafilatura measured in the same run.
EVAL_DATA ?= ../shared/bench/extraction
.PHONY: eval eval-check eval-baseline
eval:
	$(GO) run ./internal/eval/cmd/eval -data $(EVAL_DATA)

# The regression gate: fails when overall body F1, title or date accuracy
# fall more than 0.005 below internal/eval/baseline.json.
eval-check:
	$(GO) run ./internal/eval/cmd/eval -data $(EVAL_DATA) -compare=false -repeat 1 -check internal/eval/baseline.json

# Re-measure and rewrite the baseline after a deliberate improvement.
eval-baseline:
	$(GO) run ./internal/eval/cmd/eval -data $(EVAL_DATA) -compare=false -repeat 1 -write-baseline internal/eval/baseline.json
