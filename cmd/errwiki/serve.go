package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/errwiki/errwiki/internal/serve"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	var opts serve.Options
	fs.StringVar(&opts.Src, "src", ".", "site source `directory`, holding content/")
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on; the default takes connections from this machine only")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include draft articles")
	if err := parse(fs, args); err != nil {
		return err
	}
	if host, _, err := net.SplitHostPort(*addr); err == nil {
		if ip := net.ParseIP(host); host == "" || (ip != nil && !ip.IsLoopback()) {
			fmt.Fprintf(stderr, "errwiki serve: listening beyond this machine (%s): anyone who can reach it can read the preview\n", *addr)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts.Log = stdout
	return serve.New(opts).Run(ctx, ln)
}
