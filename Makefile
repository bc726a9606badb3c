# Essor — see README.md. `make run` starts everything; `make test` tests everything.
SHELL := /bin/bash
GO        ?= go
BIN       := bin/essor
GOBIN     := $(shell $(GO) env GOPATH)/bin
export PATH := $(PATH):$(GOBIN)
# Tests create (and drop) their own databases on this server.
ESSOR_TEST_DATABASE_URL ?= postgres://localhost:5432/postgres
export ESSOR_TEST_DATABASE_URL

.PHONY: run build build-lite test test-go test-browser lint bench bench-go load tools clean record-histories demo-accounts demo

run: build
	@.ci/ensure-postgres
	./$(BIN) serve

build:
	$(GO) build -o $(BIN) ./cmd/essor

# A binary without the embedded Temporal server (~60 MB lighter, ~120 MB less
# memory): for worker and web processes run against an external Temporal.
build-lite:
	$(GO) build -tags noembed -ldflags="-s -w" -o bin/essor-lite ./cmd/essor

test: test-go test-browser

test-go:
	@.ci/ensure-postgres
	$(GO) test -count=1 -timeout 15m ./...

test-browser: build
	@.ci/ensure-postgres
	@.ci/ensure-browser
	cd web/tests && ESSOR_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1

tools:
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	@command -v workflowcheck >/dev/null || $(GO) install go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

lint: tools
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt à appliquer :"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	staticcheck ./...
	workflowcheck ./workflows/...

# Micro-benchmarks of the hot paths (domain rules, storage, HTTP).
bench-go:
	@.ci/ensure-postgres
	$(GO) test -run '^$$' -bench . -benchmem ./...

# The load generator: N needs through the whole pipeline with C clients.
load: build
	@.ci/ensure-postgres
	./$(BIN) bench -needs 2000 -clients 32

bench: bench-go load

clean:
	rm -rf bin data

# Record real workflow histories for the replay test (workflows/testdata).
# Only when a workflow change is meant to break compatibility on purpose.
record-histories:
	@.ci/ensure-postgres
	ESSOR_RECORD_HISTORIES=1 $(GO) test -count=1 -run TestRecordHistories ./internal/server/

# Demo accounts for trying Essor locally (password: essor-demo-2026). Never in production.
demo-accounts: build
	@.ci/ensure-postgres
	@for a in "admin@essor.local|Adèle Admin|admin|Région" "acteur@essor.local|Alice Acteur|actor|Mairie de Dole" \
	          "acteur2@essor.local|Bruno Bénévole|actor|Centre social de Lure" "charge@essor.local|Olivier Chargé|officer|FCA" \
	          "comite1@essor.local|Claire Comité|committee|Région" "comite2@essor.local|Cédric Comité|committee|État" \
	          "comite3@essor.local|Camille Comité|committee|Caisse des dépôts" \
	          "organisateur@essor.local|Odile Organisatrice|organiser|FACT" "jury@essor.local|Jules Juré|jury|RIFIC"; do \
	  IFS='|' read -r email name role org <<< "$$a"; \
	  echo essor-demo-2026 | ./$(BIN) user add --email "$$email" --name "$$name" --role "$$role" --organisation "$$org" || true; \
	done

# A living product to look at: a few dozen needs of the region's plan moved
# through every stage by the real workflows, over the API of the Essor that
# `make run` started (another terminal), with the demo accounts. Run it twice:
# nothing changes (idempotency keys).
demo: demo-accounts
	./$(BIN) demo
