package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/errwiki/errwiki/internal/serve"
)

// stopGrace is how long serve may take to stop after Ctrl+C or SIGTERM
// before it exits regardless.
const stopGrace = 500 * time.Millisecond

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	var opts serve.Options
	fs.StringVar(&opts.Src, "src", ".", "site source `directory`, holding content/")
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on; the default takes connections from this machine only")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include draft articles")
	fs.DurationVar(&opts.RenderTimeout, "render-timeout", serve.DefaultRenderTimeout, "how long a page may take to render before it is reported as an error")
	if err := parse(fs, args); err != nil {
		return err
	}
	if opts.RenderTimeout <= 0 {
		fmt.Fprintf(stderr, "errwiki serve: -render-timeout must be positive\n")
		return errUsage
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
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		stop() // a second Ctrl+C ends the process at once
		select {
		case <-done:
		case <-time.After(stopGrace):
			// The server honours ctx; this is for what it cannot stop.
			fmt.Fprintf(stderr, "errwiki serve: not stopped after %v; exiting\n", stopGrace)
			os.Exit(1)
		}
	}()
	opts.Log = stdout
	return serve.New(opts).Run(ctx, ln)
}
