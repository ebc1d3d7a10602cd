# Ledgerlink — every command a newcomer or CI needs.
#   make run    build everything, start Postgres + Redis if needed, serve on http://127.0.0.1:8080
#   make test   the whole suite: Go (real Postgres + Redis), a few seconds of each fuzz target,
#               generated-code drift, SPA unit tests, end-to-end in headless Chromium
#   make fuzz   each fuzz target in scripts/fuzz-targets for FUZZTIME (default 60s)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BIN        := bin/ledgerlink
# Puts DATABASE_URL / REDIS_URL in the recipe's shell: the ones you set, or project-local servers.
SERVICES   := svc="$$(scripts/services.sh env)"; eval "$$svc"
FRONT_SRC  := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json -type f 2>/dev/null)
# Fuzzing time per target (scripts/fuzz-targets): `make fuzz`, and the short run inside `make test`.
FUZZTIME      ?= 60s
TEST_FUZZTIME ?= 3s
GO_SRC     := $(shell find . -name '*.go' -not -path './frontend/node_modules/*' 2>/dev/null) go.mod go.sum

.PHONY: help run build test test-go test-fuzz fuzz test-frontend test-e2e check-generated generate vet lint bench services services-stop clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

run: build ## build, migrate, seed the demo account and serve API + SPA + workers (demo mode)
	@$(SERVICES); \
	  if [ -z "$${LEDGERLINK_SECRET_KEY:-}" ]; then \
	    [ -s .data/secret-key ] || { mkdir -p .data && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > .data/secret-key; }; \
	    export LEDGERLINK_SECRET_KEY="$$(cat .data/secret-key)"; \
	  fi; \
	  LEDGERLINK_DEV=$${LEDGERLINK_DEV:-1} LEDGERLINK_DEMO=$${LEDGERLINK_DEMO:-1} \
	  LEDGERLINK_ALLOW_PRIVATE_STORE_ADDRESSES=$${LEDGERLINK_ALLOW_PRIVATE_STORE_ADDRESSES:-1} exec $(BIN) run

build: $(BIN) ## build bin/ledgerlink with the SPA embedded

$(BIN): $(GO_SRC) frontend/dist/index.html
	go build -tags embedui -o $(BIN) .

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONT_SRC)
	cd frontend && npm run --silent build

test: vet lint test-go test-fuzz check-generated test-frontend test-e2e ## run everything CI runs
	@echo "make test: all suites passed"

vet: ## go vet
	go vet ./...

lint: ## golangci-lint (version pinned in go.mod as a tool, checks in .golangci.yml)
	go tool golangci-lint run ./...

test-go: ## Go tests against real Postgres and Redis (one database / Redis DB per package)
	@scripts/ensure-packages.sh xmllint:libxml2-utils
	@$(SERVICES); go test -count=1 -timeout 30m ./...

test-fuzz: ## each fuzz target for TEST_FUZZTIME (default 3s): new inputs beyond the seed corpora
	@$(SERVICES); FUZZTIME=$(TEST_FUZZTIME) scripts/fuzz.sh

fuzz: ## each fuzz target for FUZZTIME (default 60s); `make fuzz FUZZTIME=10m` to dig deeper
	@$(SERVICES); FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

check-generated: ## fail when gqlgen output or the SPA's schema or operation types drift from graph/schema and src/graphql
	scripts/check-generated.sh

test-frontend: frontend/node_modules/.installed ## SPA unit tests (Vitest)
	cd frontend && npm test --silent

test-e2e: $(BIN) ## log in as the demo user in headless Chromium against the real binary
	@scripts/ensure-packages.sh chromium:chromium
	@$(SERVICES); scripts/e2e.sh $(BIN)

# The packages whose benchmarks `make bench` runs; each benchmark reports its figures with
# internal/benchtab.Report, and the summary table prints them all (README, "Performance").
BENCH_PKGS := ./jobs/qbd/ ./jobs/ordersync/ ./jobs/rules/ ./jobs/invpush/ ./jobs/shopify/ ./jobs/ssexport/ ./server/

bench: ## benchmarks at small sizes (BENCH_FULL=1: full sizes), then one table of every figure next to its baseline
	@$(SERVICES); rows="$$(mktemp)"; out="$$(mktemp)"; trap 'rm -f "$$rows" "$$out"' EXIT; start=$$(date +%s); load0="$$(cut -d' ' -f1-3 /proc/loadavg)"; status=0; \
	  LEDGERLINK_BENCH_SUMMARY="$$rows" go test -run '^$$' -bench . -benchtime 1x -timeout 60m $(BENCH_PKGS) 2>&1 | tee "$$out" || status=$$?; \
	  go run ./internal/benchtab/cmd/benchtab "$$rows"; \
	  echo "Per package (each test binary's own run, compiling aside; go test runs $$(nproc) at a time):"; \
	  grep -E '^(ok|FAIL)[[:space:]]' "$$out" | sed 's/^/  /' || true; \
	  echo "make bench: $$(( $$(date +%s) - start )) s wall time, load average $$load0 at the start, $$(cut -d' ' -f1-3 /proc/loadavg) at the end, on $$(nproc) cores"; \
	  exit $$status

generate: ## regenerate gqlgen code, the SPA's schema types and its operation types (checked against the schema)
	go tool gqlgen generate
	go run ./graph/tsgen/cmd -out frontend/src/graphql/schema.ts -ops frontend/src/graphql/operations.ts

services: ## start (or reuse) Postgres and Redis and print their URLs
	@scripts/services.sh env

services-stop: ## stop the project-local Postgres and Redis (data kept in .data/)
	@scripts/services.sh stop

clean: ## remove build output (not .data/)
	rm -rf bin frontend/dist
