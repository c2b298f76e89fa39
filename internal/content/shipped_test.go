package content

import (
	"net/http"
	"os"
	"strconv"
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
