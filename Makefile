# Error Codes Wiki: build the site and run every test.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
ERRWIKI     := $(GO) run ./cmd/errwiki

.PHONY: site check serve test bench audit screenshots fmt fmt-check vet staticcheck actionlint lint

## site: build the shipped wiki into public/
site:
	$(ERRWIKI) build -src . -out public

## check: validate the content without building
check:
	$(ERRWIKI) check -src .

## serve: preview the wiki at http://127.0.0.1:1313/, rebuilt on every save
serve:
	$(ERRWIKI) serve -src .

## bench: Go benchmarks and whole-process timings against Hugo and a floor program;
##        make bench SIZES=100000 ROUNDS=1 times the largest size alone
SIZES  ?= 1000,10000
ROUNDS ?= 5
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...
	$(GO) run ./cmd/errwiki-bench -sizes $(SIZES) -rounds $(ROUNDS)

## audit: Lighthouse scores of the home, collection and 502 pages (needs Node.js and Chromium)
audit:
	bash .ci/audit

## test: formatting, vet, staticcheck, actionlint and every test with the race detector
test: fmt-check vet staticcheck actionlint
	$(GO) test -race -timeout 30m ./...

## fmt: format the Go code
fmt:
	gofmt -w $$(git ls-files '*.go')

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

actionlint:
	$(GO) run $(ACTIONLINT)

## lint: vet, staticcheck and actionlint on the workflows
lint: vet staticcheck actionlint

## screenshots: PNGs of the home page, the HTTP index and 502 (desktop, phone, dark) in screenshots/
screenshots:
	ERRWIKI_SCREENSHOTS=$(CURDIR)/screenshots $(GO) test -count=1 -run '^TestScreenshots$$' ./internal/build/
