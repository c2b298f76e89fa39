package build

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validators is where .ci/validate's package.json installs the HTML
// validators (npm ci --prefix .ci/validate).
const validators = "../../.ci/validate"

// requireValidator finds one validator, or skips t without it (a failure
// when ERRWIKI_BROWSER_TESTS=require, as in CI).
func requireValidator(t *testing.T, what, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	msg := what + " not installed: run npm ci --prefix .ci/validate to validate the pages"
	if os.Getenv("ERRWIKI_BROWSER_TESTS") == "require" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// writeShipped builds the shipped wiki and writes its HTML pages under a
// temporary directory, which it returns.
func writeShipped(t *testing.T) string {
	t.Helper()
	_, out := buildShipped(t)
	dir := t.TempDir()
	n := 0
	for _, name := range out.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		data, _ := out.File(name)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n < 150 {
		t.Fatalf("only %d pages written", n)
	}
	return dir
}

// TestValidate checks every page of the shipped wiki with the W3C Nu HTML
// Checker (vnu.jar, which needs Java) and with html-validate's recommended
// rules (.ci/validate/htmlvalidate.json says which style rules give way to
// the minifier); neither may report an error. Without the validators it is
// skipped, unless ERRWIKI_BROWSER_TESTS=require.
func TestValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("validators skipped in -short mode")
	}
	vnu := filepath.Join(validators, "node_modules/vnu-jar/build/dist/vnu.jar")
	htmlValidate := filepath.Join(validators, "node_modules/.bin/html-validate")
	requireValidator(t, "vnu.jar", vnu)
	requireValidator(t, "html-validate", htmlValidate)
	java, err := exec.LookPath("java")
	if err != nil {
		requireValidator(t, "java", "")
	}
	dir := writeShipped(t)

	t.Run("vnu", func(t *testing.T) {
		cmd := exec.Command(java, "-jar", vnu, "--errors-only", "--format", "json", "--skip-non-html", dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run() // exits 1 when it reports errors; the report says which
		var report struct {
			Messages []struct {
				Type, URL, Message, Extract string
				LastLine                    int
			}
		}
		if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
			t.Fatalf("vnu: %v\n%s", err, stderr.Bytes())
		}
		for _, m := range report.Messages {
			t.Errorf("%s:%d: %s: %s (%q)", strings.TrimPrefix(m.URL, "file:"+dir), m.LastLine, m.Type, m.Message, m.Extract)
		}
	})

	t.Run("html-validate", func(t *testing.T) {
		config, err := filepath.Abs(filepath.Join(validators, "htmlvalidate.json"))
		if err != nil {
			t.Fatal(err)
		}
		// Node may exit before a large report has gone through a pipe: the
		// report goes to a file.
		out := filepath.Join(t.TempDir(), "report.json")
		cmd := exec.Command(htmlValidate, "--config", config, "--formatter", "json="+out, dir)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run() // exits 1 when it reports errors; the report says which
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("html-validate: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
		}
		var report []struct {
			FilePath string
			Messages []struct {
				RuleID, Message, Selector string
				Line                      int
			}
		}
		if err := json.Unmarshal(data, &report); err != nil {
			t.Fatalf("html-validate: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
		}
		for _, f := range report {
			for _, m := range f.Messages {
				t.Errorf("%s:%d: %s: %s (%s)", f.FilePath, m.Line, m.RuleID, m.Message, m.Selector)
			}
		}
	})
}
