// Command errwiki builds and checks an Error Codes Wiki.
//
// Usage:
//
//	errwiki build [-src DIR] [-out DIR] [-base-url URL] [-drafts] [-dry-run]
//	errwiki check [-src DIR] [-drafts] [-format text|json|github] [-git]
//	errwiki serve [-src DIR] [-addr 127.0.0.1:1313] [-drafts] [-render-timeout 5s]
//	errwiki new [-src DIR] COLLECTION CODE
//	errwiki version
//
// Exit status: 0 on success, 1 on content errors, 2 on usage errors.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/errwiki/errwiki/internal/build"
	"github.com/errwiki/errwiki/internal/content"
)

const usage = `errwiki builds and checks an Error Codes Wiki.

Usage:
  errwiki build [-src DIR] [-out DIR] [-base-url URL] [-drafts] [-dry-run]
  errwiki check [-src DIR] [-drafts] [-format text|json|github] [-git]
  errwiki serve [-src DIR] [-addr 127.0.0.1:1313] [-drafts] [-render-timeout 5s]
  errwiki new [-src DIR] COLLECTION CODE
  errwiki version

Run "errwiki COMMAND -h" for a command's flags.
`

// errUsage marks errors that exit with status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "build":
		err = runBuild(args[1:], stdout, stderr)
	case "check":
		err = runCheck(args[1:], stdout, stderr)
	case "serve":
		err = runServe(args[1:], stdout, stderr)
	case "new":
		err = runNew(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "errwiki", version())
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "errwiki: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var list content.ErrorList
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	case errors.As(err, &list):
		return 1 // already printed
	default:
		fmt.Fprintln(stderr, "errwiki:", err)
		return 1
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("errwiki "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage // the flag package has printed what is wrong
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", stderr)
	var opts build.Options
	fs.StringVar(&opts.Src, "src", ".", "site source `directory`, holding content/")
	fs.StringVar(&opts.Out, "out", "public", "output `directory`, replaced on success")
	fs.StringVar(&opts.BaseURL, "base-url", "", "override the site's base_url, e.g. https://user.github.io/repo/")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include draft articles")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "render and minify everything but write nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	tuneGC(os.Getenv, build.CacheSize(opts.Out))
	start := time.Now()
	stats, err := build.Site(opts)
	if err != nil {
		printErrors(stderr, err)
		return err
	}
	if opts.DryRun {
		fmt.Fprintf(stdout, "rendered %d pages, %d files (dry run, nothing written) in %v\n",
			stats.Pages, stats.Files, time.Since(start).Round(time.Millisecond))
		return nil
	}
	fmt.Fprintf(stdout, "built %d pages, %d files (%d rendered, %d written, %d unchanged) into %s in %v\n",
		stats.Pages, stats.Files, stats.Rendered, stats.Written, stats.Reused, opts.Out, time.Since(start).Round(time.Millisecond))
	return nil
}

// A build's heap is mostly the garbage of the pages it makes, around a
// site held lean (see content.Cache.Lean): the collector's default, which
// lets the heap grow to twice what is live, runs it often on a small site
// and lets a large one use twice the memory it needs. A build collects
// when its heap is four times what is live, and at most at buildMemory,
// a soft limit: near it the collector runs as often as it must. A
// rebuild also holds the cache it read (see build.CacheSize) and the
// entries and articles made from it, about as large again, so its limit
// is higher by twice the cache's size: a limit the live heap nearly
// fills would have the collector run all the time. GOGC and GOMEMLIMIT
// in the environment are kept as they are.
const (
	buildGCPercent = 300
	buildMemory    = 200 << 20
)

func tuneGC(getenv func(string) string, cache int64) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(buildGCPercent)
	debug.SetMemoryLimit(buildMemory + 2*cache)
}

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	src := fs.String("src", ".", "site source `directory`, holding content/")
	drafts := fs.Bool("drafts", true, "check draft articles too")
	format := fs.String("format", "text", "output `format`: text, json or github (workflow annotations)")
	gitDates := fs.Bool("git", false, "warn about articles whose file changed in git after their updated date")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" && *format != "github" {
		fmt.Fprintf(stderr, "errwiki check: unknown -format %q; use text, json or github\n", *format)
		return errUsage
	}
	opts := content.Options{Drafts: *drafts}
	if *gitDates {
		changed, err := content.GitDates(*src, time.Now())
		if err != nil {
			return fmt.Errorf("check -git: %w", err)
		}
		opts.Changed = changed
	}
	source := build.DirSource(*src)
	site, err := content.Load(source.Content, opts)
	if err == nil {
		err = build.Check(source, site)
	}
	var errs, warns content.ErrorList
	if err != nil && !errors.As(err, &errs) {
		return err
	}
	if err == nil {
		warns = content.Lint(site)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		report := struct {
			Errors   content.ErrorList `json:"errors"`
			Warnings content.ErrorList `json:"warnings"`
		}{append(content.ErrorList{}, errs...), append(content.ErrorList{}, warns...)}
		if err := enc.Encode(report); err != nil {
			return err
		}
	case "github":
		for _, e := range errs {
			printAnnotation(stdout, "error", e)
		}
		for _, e := range warns {
			printAnnotation(stdout, "warning", e)
		}
	default:
		printErrors(stderr, err)
		for _, e := range warns {
			fmt.Fprintln(stderr, "warning:", printable(e.Error()))
		}
	}
	if err != nil {
		return err
	}
	if *format == "text" {
		fmt.Fprintf(stdout, "ok: %d articles in %d collections, %d warning(s)\n", len(site.Articles()), len(site.Collections), len(warns))
	}
	return nil
}

// annotation is the message of a GitHub workflow command, escaped as the
// workflow syntax requires.
func annotation(e *content.Error) string {
	msg := e.Msg
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	return escapeData(msg)
}

// Workflow commands take "%", CR and LF escaped in their message, and also
// ":" and "," in a property's value: a file name must not be able to end
// the command and start another.
var (
	escapeData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace
	escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
)

// printAnnotation prints a problem as a workflow command of kind "error"
// or "warning".
func printAnnotation(w io.Writer, kind string, e *content.Error) {
	fmt.Fprintf(w, "::%s file=%s,line=%d::%s\n", kind, escapeProperty(e.File), max(e.Line, 1), annotation(e))
}

// printable is s with control characters written as Go escapes, so that a
// file name cannot rewrite the terminal or forge a line of output.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// printErrors prints content errors one per line, and other errors once.
func printErrors(w io.Writer, err error) {
	var list content.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, printable(e.Error()))
		}
		fmt.Fprintf(w, "%d problem(s) found\n", len(list))
	}
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
