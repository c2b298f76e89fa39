package content

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The wiki ships its own content; these tests hold it to the bar of the
// collection it claims to be.

func loadShipped(t *testing.T) *Site {
	t.Helper()
	site, err := Load(os.DirFS("../.."), Options{})
	if err != nil {
		t.Fatalf("shipped content does not load:\n%v", err)
	}
	return site
}

func TestShippedContentHasNoWarnings(t *testing.T) {
	site := loadShipped(t)
	if warns := Lint(site); len(warns) > 0 {
		t.Errorf("%d warning(s):\n%v", len(warns), warns)
	}
}

func TestEveryHTTPStatusHasAnArticle(t *testing.T) {
	col := loadShipped(t).Collection("http")
	if col == nil {
		t.Fatal("no http collection")
	}
	have := map[string]*Article{}
	for _, a := range col.Articles {
		have[a.Code] = a
	}
	for code := 100; code <= 599; code++ {
		text := http.StatusText(code)
		if text == "" {
			continue
		}
		if have[strconv.Itoa(code)] == nil {
			t.Errorf("no article for HTTP %d %s", code, text)
		}
	}
	for _, code := range []string{"306", "440", "444", "449", "460", "463", "494", "495", "496", "497", "499",
		"509", "520", "521", "522", "523", "524", "525", "526", "527", "530", "561", "598", "599"} {
		if have[code] == nil {
			t.Errorf("no article for HTTP %s", code)
		}
	}
}

// sendRequired are the frameworks every standard 2xx–5xx article shows.
var sendRequired = [][]string{{"go"}, {"express"}, {"flask", "django"}, {"spring"}, {"dotnet"}, {"nginx"}}

func TestHTTPArticlesCarryTypedFields(t *testing.T) {
	for _, a := range loadShipped(t).Collection("http").Articles {
		code, _ := strconv.Atoi(a.Code)
		if a.Fault == "" {
			t.Errorf("%s: no fault", a.File)
		}
		if a.Example == nil {
			t.Errorf("%s: no example", a.File)
		}
		if a.Standard() && http.StatusText(code) != "" && a.Source != "" {
			t.Errorf("%s: standard code marked with source %q", a.File, a.Source)
		}
		if !a.Standard() && http.StatusText(code) != "" {
			t.Errorf("%s: net/http knows %s, yet the article says %s defines it", a.File, a.Code, a.Source)
		}
		if !a.Standard() || code < 200 || a.Code == "306" {
			continue
		}
		langs := map[string]bool{}
		for _, s := range a.Send {
			langs[s.Lang] = true
		}
		for _, any := range sendRequired {
			found := false
			for _, l := range any {
				found = found || langs[l]
			}
			if !found {
				t.Errorf("%s: send has no %v entry", a.File, any)
			}
		}
	}
}

// requireCodes fails for every code of want that the collection lacks, and
// for every article whose name differs from the one the source list gives.
func requireCodes(t *testing.T, key string, want map[string]string) {
	t.Helper()
	col := loadShipped(t).Collection(key)
	if col == nil {
		t.Fatalf("no %s collection", key)
	}
	have := map[string]*Article{}
	for _, a := range col.Articles {
		have[a.Code] = a
	}
	for code, name := range want {
		a := have[code]
		switch {
		case a == nil:
			t.Errorf("%s: no article for %s %s", key, code, name)
		case name != "" && a.Name != name:
			t.Errorf("%s: %s is named %q, want %q", a.File, code, a.Name, name)
		}
	}
}

// TestGRPCCodes walks the 17 canonical gRPC status codes (grpc/grpc
// doc/statuscodes.md).
func TestGRPCCodes(t *testing.T) {
	requireCodes(t, "grpc", map[string]string{
		"0": "OK", "1": "CANCELLED", "2": "UNKNOWN", "3": "INVALID_ARGUMENT", "4": "DEADLINE_EXCEEDED",
		"5": "NOT_FOUND", "6": "ALREADY_EXISTS", "7": "PERMISSION_DENIED", "8": "RESOURCE_EXHAUSTED",
		"9": "FAILED_PRECONDITION", "10": "ABORTED", "11": "OUT_OF_RANGE", "12": "UNIMPLEMENTED",
		"13": "INTERNAL", "14": "UNAVAILABLE", "15": "DATA_LOSS", "16": "UNAUTHENTICATED",
	})
}

// TestWebSocketCloseCodes walks RFC 6455 §7.4.1 and the IANA registry's
// codes 1012–1015.
func TestWebSocketCloseCodes(t *testing.T) {
	want := map[string]string{}
	for code := 1000; code <= 1015; code++ {
		want[strconv.Itoa(code)] = ""
	}
	requireCodes(t, "websocket", want)
}

// TestSMTPReplyCodes walks the basic reply codes of RFC 5321 §4.2.2 and
// §4.2.3, with 521 and 556 of RFC 7504.
func TestSMTPReplyCodes(t *testing.T) {
	want := map[string]string{}
	for _, code := range []string{"211", "214", "220", "221", "250", "251", "252", "354", "421", "450", "451",
		"452", "455", "500", "501", "502", "503", "504", "521", "550", "551", "552", "553", "554", "555", "556"} {
		want[code] = ""
	}
	requireCodes(t, "smtp", want)
}

// markedStatus are the codes whose defining document marks them unused or
// deprecated: RFC 9110 §15.4.6 (305 "is now deprecated"), §15.4.7 (306
// "is no longer used, and the code is reserved"), §15.5.19 (418 "is
// reserved"), and RFC 6455 §7.4.1 (1004 "Reserved").
var markedStatus = map[string]string{
	"http/305": "deprecated", "http/306": "unused", "http/418": "unused",
	"websocket/1004": "unused",
}

func TestShippedStatuses(t *testing.T) {
	for _, a := range loadShipped(t).Articles() {
		key := a.Collection.Key + "/" + a.Code
		want := markedStatus[key]
		switch {
		case want == "" && a.Source != "":
			want = "unofficial"
		case want == "":
			want = "standard"
		}
		if a.Status != want {
			t.Errorf("%s: status %q, want %q", a.File, a.Status, want)
		}
	}
}

// TestShippedMessagesAreQuoted checks that every message an article lists
// for search is quoted, byte for byte, somewhere a reader sees it: the
// body, a cause, a detail, an answer or the example.
func TestShippedMessagesAreQuoted(t *testing.T) {
	site := loadShipped(t)
	n := 0
	for _, a := range site.Articles() {
		if err := a.ReadBody(); err != nil {
			t.Fatal(err)
		}
		seen := []string{string(a.Body), a.Summary, a.QuickAnswer.Answer}
		seen = append(append(append(seen, a.Causes...), a.Details...), a.Steps...)
		for _, qa := range a.FAQ {
			seen = append(seen, qa.Question, qa.Answer)
		}
		if a.Example != nil {
			seen = append(seen, a.Example.Request, a.Example.Response)
		}
		for _, m := range a.Messages {
			n++
			if !slices.ContainsFunc(seen, func(s string) bool { return strings.Contains(s, m) }) {
				t.Errorf("%s: message %q is not quoted on the page", a.File, m)
			}
		}
	}
	if n < 30 {
		t.Errorf("%d messages in the shipped wiki; search relies on more", n)
	}
}
