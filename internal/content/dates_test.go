package content

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStaleDate(t *testing.T) {
	for _, tc := range []struct {
		name             string
		updated, changed string
		slack            int
		want             bool
	}{
		{"changed the same day", "2026-12-03", "2026-12-03", 2, false},
		{"changed before the date", "2026-12-03", "2026-11-28", 2, false},
		{"changed within the slack", "2026-11-28", "2026-11-30", 2, false},
		{"changed a day past the slack", "2026-11-28", "2026-12-01", 2, true},
		{"changed five days later", "2026-11-28", "2026-12-03", 2, true},
		{"no slack, next day", "2026-11-28", "2026-11-29", 0, true},
		{"no slack, same day", "2026-11-28", "2026-11-28", 0, false},
		{"across a year", "2025-12-31", "2026-01-03", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := staleDate(day(tc.updated), day(tc.changed), tc.slack); got != tc.want {
				t.Errorf("staleDate(%s, %s, %d) = %v, want %v", tc.updated, tc.changed, tc.slack, got, tc.want)
			}
		})
	}
}

func TestParseGitLog(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      map[string]string
		err       string
	}{
		{
			name: "newest commit first",
			out:  "2026-12-01\x00\ncontent/http/502.md\x00content/http/404.md\x002026-11-20\x00\ncontent/http/502.md\x00",
			want: map[string]string{"content/http/502.md": "2026-12-01", "content/http/404.md": "2026-12-01"},
		},
		{
			name: "older commit listed first keeps the newest date",
			out:  "2026-11-20\x00\ncontent/http/502.md\x002026-12-01\x00\ncontent/http/502.md\x00",
			want: map[string]string{"content/http/502.md": "2026-12-01"},
		},
		{
			name: "path with a space and a newline",
			out:  "2026-12-01\x00\ncontent/http/b c\n.md\x00",
			want: map[string]string{"content/http/b c\n.md": "2026-12-01"},
		},
		{
			name: "a merge lists no paths",
			out:  "2026-12-02\x002026-12-01\x00\ncontent/http/502.md\x00",
			want: map[string]string{"content/http/502.md": "2026-12-01"},
		},
		{name: "empty history", out: "", want: map[string]string{}},
		{name: "path before a date", out: "content/http/502.md\x00", err: `git log: path "content/http/502.md" before any date`},
		{name: "not a date", out: "yesterday\x00\ncontent/http/502.md\x00", err: `git log: "yesterday" is neither a date nor a path under content/`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseGitLog([]byte(tc.out))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Errorf("got %d files, want %d: %v", len(got), len(tc.want), got)
			}
			for f, d := range tc.want {
				if got[f] != day(d) {
					t.Errorf("%q: got %s, want %s", f, got[f].Format(time.DateOnly), d)
				}
			}
		})
	}
}

// TestLoadChanged loads a site of 502, dated 2026-11-28 on line 14, and 404,
// undated, with the days their files changed.
func TestLoadChanged(t *testing.T) {
	dated := strings.Replace(validArticle, "related: [\"404\"]\n", "related: [\"404\"]\nupdated: 2026-11-28\n", 1)
	fsys := fstest.MapFS{
		"content/_index.md":      {Data: []byte(siteIndex)},
		"content/http/_index.md": {Data: []byte(httpIndex)},
		"content/http/404.md":    {Data: []byte(otherArticle)},
		"content/http/502.md":    {Data: []byte(dated)},
	}
	for _, tc := range []struct {
		name    string
		changed map[string]time.Time
		want    string
	}{
		{
			name:    "changed after the slack",
			changed: map[string]time.Time{"content/http/502.md": day("2026-12-03")},
			want:    "content/http/502.md:14: updated: 2026-11-28, but the file changed in git on 2026-12-03; if that change matters to a reader, set updated: 2026-12-03",
		},
		{name: "changed within the slack", changed: map[string]time.Time{"content/http/502.md": day("2026-11-30")}},
		{name: "undated article", changed: map[string]time.Time{"content/http/404.md": day("2026-12-03")}},
		{name: "no history for the file", changed: map[string]time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, err := Load(fsys, Options{Changed: tc.changed})
			if err != nil {
				t.Fatal(err)
			}
			var dates ErrorList
			for _, w := range Lint(site) {
				if w.Field == "updated" {
					dates = append(dates, w)
				}
			}
			if got := dates.Error(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestGitDates makes a repository with known commit dates, so that it does
// not depend on the history of the checkout the test runs in.
func TestGitDates(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	site := filepath.Join(repo, "site")
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=e", "-c", "user.email=e@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE="+date+"T12:00:00Z", "GIT_AUTHOR_DATE="+date+"T12:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("2026-11-20", "init", "-q")
	write("content/http/502.md", "a")
	write("content/http/404.md", "b")
	write("README.md", "outside content/")
	git("2026-11-20", "add", ".")
	git("2026-11-20", "commit", "-q", "-m", "first")
	write("content/http/502.md", "a2")
	write("README.md", "changed outside content/")
	git("2026-12-01", "commit", "-q", "-a", "-m", "second")
	write("content/http/404.md", "b2")
	write("content/http/new.md", "untracked")

	today := time.Date(2026, 12, 3, 23, 30, 0, 0, time.FixedZone("", 3600))
	got, err := GitDates(site, today)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"content/http/502.md": "2026-12-01", // its newest commit
		"content/http/404.md": "2026-12-03", // changed, not committed: today
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for f, d := range want {
		if got[f] != day(d) {
			t.Errorf("%s: got %s, want %s", f, got[f].Format(time.DateOnly), d)
		}
	}

	if _, err := GitDates(t.TempDir(), today); !errors.Is(err, ErrNoHistory) {
		t.Errorf("outside a checkout: err = %v, want ErrNoHistory", err)
	}
	shallow := filepath.Join(t.TempDir(), "shallow")
	git("2026-12-01", "clone", "-q", "--depth=1", "file://"+repo, shallow)
	if _, err := GitDates(filepath.Join(shallow, "site"), today); !errors.Is(err, ErrNoHistory) {
		t.Errorf("shallow clone: err = %v, want ErrNoHistory", err)
	}
}
