package build

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/static"
	"github.com/errwiki/errwiki/templates"
	"golang.org/x/tools/txtar"
)

// TestSites builds every testdata/sites/*.txtar archive. An archive holds
// the input tree (content/, templates/, static/) and what to expect:
//
//	want/errors             the exact error output, when the build must fail
//	want/files              every output file, one per line
//	want/has/<file>         lines that must each appear in <file>
//	want/hasnot/<file>      lines that must not appear in <file>
//
// A file named "options" may set "base-url URL" and "drafts".
func TestSites(t *testing.T) {
	archives, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no test sites")
	}
	for _, name := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			input := fstest.MapFS{}
			want := map[string]string{}
			var opts content.Options
			for _, f := range ar.Files {
				switch {
				case strings.HasPrefix(f.Name, "want/"):
					want[strings.TrimPrefix(f.Name, "want/")] = string(f.Data)
				case f.Name == "options":
					for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						key, value, _ := strings.Cut(line, " ")
						switch key {
						case "base-url":
							opts.BaseURL = value
						case "drafts":
							opts.Drafts = true
						default:
							t.Fatalf("unknown option %q", key)
						}
					}
				default:
					input[f.Name] = &fstest.MapFile{Data: f.Data}
				}
			}
			sub := func(dir string) fs.FS {
				s, err := fs.Sub(input, dir)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			src := Source{
				Content:   input,
				Templates: overlay{sub("templates"), templates.FS},
				Static:    overlay{sub("static"), static.FS},
			}
			var out Memory
			site, r, err := Load(src, opts)
			if err == nil {
				_, err = Generate(site, r, src.Static, &out)
			}
			if wantErr, ok := want["errors"]; ok {
				if err == nil {
					t.Fatalf("build succeeded; want errors:\n%s", wantErr)
				}
				if got := err.Error() + "\n"; got != wantErr {
					t.Errorf("errors:\n%s\nwant:\n%s", got, wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if files, ok := want["files"]; ok {
				if got := strings.Join(out.Names(), "\n") + "\n"; got != files {
					t.Errorf("files:\n%s\nwant:\n%s", got, files)
				}
			}
			for key, lines := range want {
				has, file := strings.HasPrefix(key, "has/"), key[strings.Index(key, "/")+1:]
				if !has && !strings.HasPrefix(key, "hasnot/") {
					continue
				}
				data, ok := out.File(file)
				if !ok {
					t.Errorf("%s: not in the output", file)
					continue
				}
				for _, line := range strings.Split(strings.TrimSpace(lines), "\n") {
					if bytes.Contains(data, []byte(line)) != has {
						t.Errorf("%s: has %q = %v, want %v", file, line, !has, has)
					}
				}
			}
		})
	}
}
