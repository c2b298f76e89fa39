// Command errwiki-bench measures how fast errwiki builds a large wiki,
// against Hugo building the same content and against a floor program that
// does only the unavoidable work.
//
// Usage:
//
//	errwiki-bench [-rounds N] [-sizes 1000,10000] [-work DIR] [-hugo PATH,...]
//	errwiki-bench floor -src DIR [-out DIR]
//	errwiki-bench gen -n N -out DIR
//
// With no command it generates the corpora (internal/benchcorpus), builds
// errwiki once, and times whole processes, interleaved round by round, then
// prints a table of medians and spread. "floor" is the floor program itself;
// "gen" writes one corpus, for trying it by hand.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/errwiki/errwiki/internal/benchcorpus"
)

const usage = `errwiki-bench times errwiki against Hugo and a floor program.

Usage:
  errwiki-bench [-rounds N] [-sizes 1000,10000] [-work DIR] [-hugo PATH,...]
  errwiki-bench floor -src DIR [-out DIR]
  errwiki-bench gen -n N -out DIR

Run "errwiki-bench -h" or "errwiki-bench COMMAND -h" for the flags.
`

var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case len(args) > 0 && args[0] == "floor":
		err = runFloor(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "gen":
		err = runGen(args[1:], stdout, stderr)
	case len(args) > 0 && (args[0] == "help" || args[0] == "--help"):
		fmt.Fprint(stdout, usage)
	default:
		err = runBench(args, stdout, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	default:
		fmt.Fprintln(stderr, "errwiki-bench:", err)
		return 1
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(strings.TrimSpace("errwiki-bench "+name), flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", stderr)
	n := fs.Int("n", 1000, "number of `articles`")
	out := fs.String("out", "", "`directory` to write the site to; it then holds content/ (required)")
	seed := fs.Uint64("seed", 1, "random `seed`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || *n < 1 {
		fmt.Fprintln(stderr, "errwiki-bench gen: -out is required and -n must be at least 1")
		return errUsage
	}
	start := time.Now()
	if err := benchcorpus.WriteDir(*out, benchcorpus.Options{Articles: *n, Seed: *seed}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d articles to %s in %v\n", *n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
