package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/errwiki/errwiki/internal/content"
)

func runNew(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("new", stderr)
	src := fs.String("src", ".", "site source `directory`, holding content/")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: errwiki new [-src DIR] COLLECTION CODE\n\n"+
			"new writes content/COLLECTION/code.md, the code lower-cased, with every field\n"+
			"explained and the ones to fill in marked TODO. It never replaces a file.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage // the flag package has printed what is wrong
	}
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "errwiki new: want a collection and a code, e.g. errwiki new http 418; got %d argument(s)\n", fs.NArg())
		return errUsage
	}
	collection, code := fs.Arg(0), fs.Arg(1)
	name, err := content.ScaffoldFile(os.DirFS(*src), collection, code)
	if err != nil {
		return err
	}
	data, err := content.Scaffold(collection, code)
	if err != nil {
		return err
	}
	// O_EXCL: a file that exists, even one created a moment ago, is never replaced.
	f, err := os.OpenFile(filepath.Join(*src, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; edit it, or choose another code", name)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	fmt.Fprintf(stdout, "created %s: fill in the fields marked TODO, then run make check\n", name)
	return nil
}
