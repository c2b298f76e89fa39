package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/errwiki/errwiki/internal/benchcorpus"
)

// A tool is one thing timed in every round.
type tool struct {
	name    string
	pages   int                            // pages it produces, or articles it renders
	writes  bool                           // writes an output tree; compared with floor render+write
	hugo    bool                           // is the first full Hugo build, the baseline of "× hugo"
	hugos   bool                           // is a full Hugo build, of any version
	measure func() (sample, string, error) // one timed run; returns the output tree, if any

	samples []sample
	files   int // files in its output tree, counted after the first run
	err     error
}

// bench holds the state of one full run.
type bench struct {
	root    string // module root: cmd/errwiki, testdata/hugo and static/ are here
	work    string
	errwiki string // the errwiki binary
	self    string // this program, for the floor
	hugos   []hugoBin
	dryRun  bool
	timer   *timer
	trash   string
	trashed int
	log     io.Writer
}

type hugoBin struct{ path, version string }

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("", stderr)
	rounds := fs.Int("rounds", 5, "timed `rounds`; each runs every tool once, in turn")
	sizesFlag := fs.String("sizes", "1000,10000", "corpus `sizes` in articles, comma-separated")
	work := fs.String("work", filepath.Join(os.TempDir(), "errwiki-bench"), "work `directory` for corpora, binaries and outputs; corpora are reused")
	hugoFlag := fs.String("hugo", "", "Hugo `binaries` to compare, comma-separated; default: hugo on PATH")
	if err := parse(fs, args); err != nil {
		return err
	}
	var sizes []int
	for _, s := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10 {
			fmt.Fprintf(stderr, "errwiki-bench: size %q is not a number of at least 10\n", s)
			return errUsage
		}
		sizes = append(sizes, n)
	}
	if *rounds < 1 {
		fmt.Fprintln(stderr, "errwiki-bench: -rounds must be at least 1")
		return errUsage
	}

	b := &bench{work: *work, log: stderr}
	if err := b.setUp(*hugoFlag, stdout); err != nil {
		return err
	}
	defer b.emptyTrash()
	for _, n := range sizes {
		tools, pages, err := b.prepare(n)
		if err != nil {
			return err
		}
		for r := 1; r <= *rounds; r++ {
			for _, t := range tools {
				if t.err != nil {
					continue
				}
				s, out, err := t.measure()
				if err != nil {
					t.err = err
					fmt.Fprintf(stderr, "%d articles, round %d: %s failed: %v\n", n, r, t.name, err)
					continue
				}
				if r == 1 && out != "" {
					t.files = countFiles(out)
				}
				t.samples = append(t.samples, s)
				fmt.Fprintf(stderr, "%d articles, round %d/%d: %-28s %8.3fs %7.1f MiB\n", n, r, *rounds, t.name, s.Wall.Seconds(), float64(s.MaxRSS)/1024)
			}
		}
		fmt.Fprintln(stdout)
		printTable(stdout, n, pages, tools)
		fmt.Fprintf(stdout, "load average after the runs: %s\n", loadAverage())
	}
	fmt.Fprintln(stdout)
	printLegend(stdout, b.timer.timeBin != "")
	return nil
}

// setUp finds the tools, builds errwiki and prints what the machine is.
func (b *bench) setUp(hugoFlag string, stdout io.Writer) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return fmt.Errorf("run errwiki-bench inside the errwiki module (go env GOMOD: %v)", err)
	}
	b.root = filepath.Dir(strings.TrimSpace(string(gomod)))
	if b.self, err = os.Executable(); err != nil {
		return err
	}
	// Trash that earlier runs left, interrupted or still being deleted
	// as one exits, goes now, before anything is timed. Each run has a
	// trash of its own, which a run that exits deletes and no other.
	if err := removeTrash(b.work); err != nil {
		return err
	}
	b.trash = filepath.Join(b.work, fmt.Sprintf("trash-%d", os.Getpid()))
	for _, d := range []string{b.trash, filepath.Join(b.work, "bin"), filepath.Join(b.work, "out")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	b.timer = newTimer(b.work)

	b.errwiki = filepath.Join(b.work, "bin", "errwiki")
	fmt.Fprintf(b.log, "building %s\n", b.errwiki)
	build := exec.Command("go", "build", "-o", b.errwiki, "./cmd/errwiki")
	build.Dir = b.root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/errwiki: %v\n%s", err, out)
	}
	help, _ := exec.Command(b.errwiki, "build", "-h").CombinedOutput()
	b.dryRun = bytes.Contains(help, []byte("-dry-run"))

	var hugoPaths []string
	if hugoFlag != "" {
		hugoPaths = strings.Split(hugoFlag, ",")
	} else if p, err := exec.LookPath("hugo"); err == nil {
		hugoPaths = []string{p}
	}
	for _, p := range hugoPaths {
		out, err := exec.Command(p, "version").Output()
		if err != nil {
			return fmt.Errorf("%s version: %v", p, err)
		}
		b.hugos = append(b.hugos, hugoBin{p, strings.TrimSpace(string(out))})
	}

	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Fprintf(stdout, "machine:  %d CPUs (nproc), %s\n", runtime.NumCPU(), cpuModel())
	fmt.Fprintf(stdout, "load:     %s (other work on the machine skews the timings)\n", loadAverage())
	fmt.Fprintf(stdout, "go:       %s\n", strings.TrimSpace(string(goVersion)))
	if len(b.hugos) == 0 {
		fmt.Fprintln(stdout, "hugo:     not found on PATH; Hugo runs skipped (install it with: apt-get install -y hugo)")
	}
	for _, h := range b.hugos {
		fmt.Fprintf(stdout, "hugo:     %s (%s)\n", h.version, h.path)
	}
	if b.timer.timeBin != "" {
		fmt.Fprintln(stdout, "measured: /usr/bin/time -v (peak RSS); wall clock around each process")
	} else {
		fmt.Fprintln(stdout, "measured: /usr/bin/time missing; wall clock around each process, peak RSS from wait4's rusage")
	}
	if !b.dryRun {
		fmt.Fprintln(stdout, "errwiki build has no -dry-run flag: the dry-run row is skipped")
	}
	return nil
}

// loadAverage is the 1, 5 and 15 minute load average of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.Lines(string(data)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// fresh returns the path of an output directory named name that does not
// exist, with nothing of a previous build beside it. A previous output of
// that name is moved into the trash, never deleted here: deleting trees on
// these disks is slow and would bleed into the next timing.
func (b *bench) fresh(name string) (string, error) {
	p := filepath.Join(b.work, "out", name)
	return p, b.moveToTrash(p)
}

// moveToTrash moves p into the trash if it exists, and with it the hidden
// files a build keeps beside its output (".<name>.*", such as errwiki's
// ".public.errwiki-cache"), so that the next build into p starts cold.
func (b *bench) moveToTrash(p string) error {
	beside, err := filepath.Glob(filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".*"))
	if err != nil {
		return err
	}
	for _, q := range append([]string{p}, beside...) {
		if _, err := os.Lstat(q); err != nil {
			continue
		}
		b.trashed++
		if err := os.Rename(q, filepath.Join(b.trash, fmt.Sprintf("%06d-%s", b.trashed, filepath.Base(q)))); err != nil {
			return err
		}
	}
	return nil
}

// removeTrash deletes the trash directories in work.
func removeTrash(work string) error {
	dirs, err := filepath.Glob(filepath.Join(work, "trash*"))
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}

// emptyTrash deletes every output moved aside, once nothing is timed any more.
func (b *bench) emptyTrash() {
	start := time.Now()
	if err := os.RemoveAll(b.trash); err != nil {
		fmt.Fprintln(b.log, "errwiki-bench: empty trash:", err)
		return
	}
	fmt.Fprintf(b.log, "deleted %d old outputs in %v\n", b.trashed, time.Since(start).Round(time.Millisecond))
}

// corpus returns the directory of the n-article corpus, generating it unless
// the one on disk is byte for byte what the generator gives.
func (b *bench) corpus(n int) (string, error) {
	dir := filepath.Join(b.work, fmt.Sprintf("corpus-%d", n))
	opts := benchcorpus.Options{Articles: n}
	if same, err := sameCorpus(dir, opts); err != nil {
		return "", err
	} else if same {
		fmt.Fprintf(b.log, "reusing %s\n", dir)
		return dir, nil
	}
	if err := b.moveToTrash(dir); err != nil {
		return "", err
	}
	start := time.Now()
	if err := benchcorpus.WriteDir(dir, opts); err != nil {
		return "", err
	}
	fmt.Fprintf(b.log, "generated %s in %v\n", dir, time.Since(start).Round(time.Millisecond))
	return dir, nil
}

// sameCorpus reports whether dir holds exactly the files opts generates.
func sameCorpus(dir string, opts benchcorpus.Options) (bool, error) {
	same, files := true, 0
	err := benchcorpus.Generate(opts, func(name string, data []byte) error {
		files++
		if same {
			have, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			same = err == nil && bytes.Equal(have, data)
		}
		return nil
	})
	if err != nil || !same {
		return false, err
	}
	return countFiles(filepath.Join(dir, "content")) == files, nil
}

func countFiles(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// prepare makes everything the n-article runs need, untimed, and returns the
// tools to time in each round.
func (b *bench) prepare(n int) ([]*tool, int, error) {
	src, err := b.corpus(n)
	if err != nil {
		return nil, 0, err
	}
	colls, err := os.ReadDir(filepath.Join(src, "content"))
	if err != nil {
		return nil, 0, err
	}
	pages := n + 2     // articles, home and 404
	var changed string // the article edited for the rebuild runs
	for _, c := range colls {
		if c.IsDir() {
			pages++
			if changed == "" {
				articles, _ := filepath.Glob(filepath.Join(src, "content", c.Name(), "[^_]*.md"))
				if len(articles) > 0 {
					changed = articles[len(articles)/2]
				}
			}
		}
	}
	tag := strconv.Itoa(n)

	// A built tree for cp -r to copy: as many files as a real build writes.
	ref := filepath.Join(b.work, "ref-"+tag)
	if err := b.moveToTrash(ref); err != nil {
		return nil, 0, err
	}
	if out, err := exec.Command(b.errwiki, "build", "-src", src, "-out", ref).CombinedOutput(); err != nil {
		return nil, 0, fmt.Errorf("errwiki build %s: %v\n%s", src, err, out)
	}

	timed := func(out string, argv ...string) (sample, string, error) {
		s, err := b.timer.run(b.work, argv...)
		return s, out, err
	}
	// rebuild builds into out untimed, edits one article, and times the
	// second build into the same out; the article is put back afterwards.
	rebuild := func(name string, build func(out string) []string, edit func([]byte) ([]byte, error)) func() (sample, string, error) {
		return func() (sample, string, error) {
			out, err := b.fresh(name)
			if err != nil {
				return sample{}, "", err
			}
			argv := build(out)
			if _, err := b.timer.run(b.work, argv...); err != nil {
				return sample{}, "", err
			}
			orig, err := os.ReadFile(changed)
			if err != nil {
				return sample{}, "", err
			}
			defer os.WriteFile(changed, orig, 0o644)
			edited, err := edit(bytes.Clone(orig))
			if err != nil {
				return sample{}, "", err
			}
			if err := os.WriteFile(changed, edited, 0o644); err != nil {
				return sample{}, "", err
			}
			return timed(out, argv...)
		}
	}
	// A paragraph added to the body changes the article's own page; a
	// new summary changes every page that lists it, and the search index.
	addParagraph := func(data []byte) ([]byte, error) {
		return append(data, "\nOne more paragraph, added to measure a rebuild.\n"...), nil
	}
	newSummary := func(data []byte) ([]byte, error) {
		edited := bytes.Replace(data, []byte("\nsummary: \""), []byte("\nsummary: \"Edited to measure a rebuild. "), 1)
		if bytes.Equal(edited, data) {
			return nil, fmt.Errorf("%s: no quoted summary to edit", changed)
		}
		return edited, nil
	}
	errwikiBuild := func(out string) []string { return []string{b.errwiki, "build", "-src", src, "-out", out} }

	tools := []*tool{{
		name: "errwiki build", pages: pages, writes: true,
		measure: func() (sample, string, error) {
			out, err := b.fresh("errwiki-" + tag)
			if err != nil {
				return sample{}, "", err
			}
			return timed(out, errwikiBuild(out)...)
		},
	}}
	if b.dryRun {
		tools = append(tools, &tool{name: "floor render", pages: n,
			measure: func() (sample, string, error) { return timed("", b.self, "floor", "-src", src) }})
		tools = append(tools, &tool{
			name: "errwiki build -dry-run", pages: pages,
			measure: func() (sample, string, error) {
				out, err := b.fresh("errwiki-dry-" + tag)
				if err != nil {
					return sample{}, "", err
				}
				s, _, err := timed("", b.errwiki, "build", "-dry-run", "-src", src, "-out", out)
				return s, "", err
			},
		})
	}
	tools = append(tools,
		&tool{name: "errwiki rebuild, 1 changed", pages: pages, writes: true,
			measure: rebuild("errwiki-rebuild-"+tag, errwikiBuild, addParagraph)},
		&tool{name: "errwiki rebuild, 1 summary changed", pages: pages, writes: true,
			measure: rebuild("errwiki-rebuild-summary-"+tag, errwikiBuild, newSummary)},
		&tool{name: "floor render+write", pages: n, writes: true,
			measure: func() (sample, string, error) {
				out, err := b.fresh("floor-" + tag)
				if err != nil {
					return sample{}, "", err
				}
				return timed(out, b.self, "floor", "-src", src, "-out", out)
			}},
		&tool{name: "floor render+highlight+write", pages: n, writes: true,
			measure: func() (sample, string, error) {
				out, err := b.fresh("floor-hl-" + tag)
				if err != nil {
					return sample{}, "", err
				}
				return timed(out, b.self, "floor", "-highlight", "-src", src, "-out", out)
			}},
		&tool{name: "cp -r (built tree)", pages: pages, writes: true,
			measure: func() (sample, string, error) {
				out, err := b.fresh("cp-" + tag)
				if err != nil {
					return sample{}, "", err
				}
				return timed(out, "cp", "-r", ref, out)
			}},
	)
	for i, h := range b.hugos {
		site, err := b.hugoSite(i)
		if err != nil {
			return nil, 0, err
		}
		label := "hugo"
		if len(b.hugos) > 1 {
			label = "hugo " + strings.Fields(h.version)[1]
		}
		hugoBuild := func(out string) []string {
			return []string{h.path, "--minify", "--quiet", "-s", site, "--contentDir", filepath.Join(src, "content"), "-d", out}
		}
		name := fmt.Sprintf("hugo%d-%s", i, tag)
		tools = append(tools,
			&tool{name: label + " --minify", pages: pages, writes: true, hugo: i == 0, hugos: true,
				measure: func() (sample, string, error) {
					out, err := b.fresh(name)
					if err != nil {
						return sample{}, "", err
					}
					return timed(out, hugoBuild(out)...)
				}},
			&tool{name: label + " rebuild, 1 changed", pages: pages, writes: true,
				measure: rebuild(name+"-rebuild", hugoBuild, addParagraph)},
		)
	}
	return tools, pages, nil
}

// hugoSite copies testdata/hugo for the i-th Hugo binary and gives it the
// site's own style sheet and icon as assets (minified by Hugo Pipes, as
// errwiki minifies them) and the other static files as they are.
func (b *bench) hugoSite(i int) (string, error) {
	dst := filepath.Join(b.work, fmt.Sprintf("hugo-site-%d", i))
	if err := b.moveToTrash(dst); err != nil {
		return "", err
	}
	if out, err := exec.Command("cp", "-r", filepath.Join(b.root, "testdata", "hugo"), dst).CombinedOutput(); err != nil {
		return "", fmt.Errorf("copy testdata/hugo: %v\n%s", err, out)
	}
	statics, err := os.ReadDir(filepath.Join(b.root, "static"))
	if err != nil {
		return "", err
	}
	for _, d := range []string{"assets", "static"} {
		if err := os.MkdirAll(filepath.Join(dst, d), 0o755); err != nil {
			return "", err
		}
	}
	for _, f := range statics {
		name := f.Name()
		if f.IsDir() || filepath.Ext(name) == ".go" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.root, "static", name))
		if err != nil {
			return "", err
		}
		to := "static"
		if name == "style.css" || name == "favicon.svg" {
			to = "assets"
		}
		if err := os.WriteFile(filepath.Join(dst, to, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return dst, nil
}
