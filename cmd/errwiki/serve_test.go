package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain runs errwiki itself when errwikiMain is set, so that a test can
// run it as a process of its own and send it signals.
func TestMain(m *testing.M) {
	if os.Getenv(errwikiMain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

const errwikiMain = "ERRWIKI_TEST_RUN_MAIN"

// loop never ends: html/template has no way to stop it.
const loop = `{{define "main"}}{{range 100000000000000}}{{end}}{{end}}`

// TestServeStops sends Ctrl+C or SIGTERM to errwiki serve while a template
// loops without end, and wants it gone within two seconds, exit status 0:
// stopped by its server, not by the last resort.
func TestServeStops(t *testing.T) {
	serving := regexp.MustCompile(`serving \S+ at (http://\S+) `)
	for _, tc := range []struct {
		name     string
		template string // the file that loops
		timeout  string // -render-timeout
		sig      syscall.Signal
		// ready waits until the loop runs, given the output so far.
		ready func(t *testing.T, out *syncBuffer)
	}{
		{
			name: "render given up on", template: "404.html", timeout: "200ms", sig: syscall.SIGINT,
			ready: func(t *testing.T, out *syncBuffer) {
				waitOutput(t, out, "rendering /404.html with templates/404.html took longer than 200ms")
			},
		},
		{
			name: "first build waiting", template: "404.html", timeout: "1h", sig: syscall.SIGTERM,
			ready: func(*testing.T, *syncBuffer) {
				time.Sleep(300 * time.Millisecond) // nothing is printed until the first build ends
			},
		},
		{
			name: "request waiting", template: "collection.html", timeout: "1h", sig: syscall.SIGINT,
			ready: func(t *testing.T, out *syncBuffer) {
				m := serving.FindStringSubmatch(waitOutput(t, out, "serving "))
				if m == nil {
					t.Fatalf("no address in %q", out)
				}
				// The collection index is rendered only when asked for.
				go func() {
					if resp, err := http.Get(m[1] + "http/"); err == nil {
						resp.Body.Close()
					}
				}()
				time.Sleep(300 * time.Millisecond)
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := t.TempDir()
			for name, data := range map[string]string{
				"content/_index.md":        "---\ntitle: T\ndescription: D\nbase_url: https://example.com/\n---\n",
				"content/http/_index.md":   "---\ntitle: HTTP\nname: HTTP\ndescription: D\ncategories: [{key: 5xx, name: Server}]\n---\n",
				"content/http/502.md":      "---\ncode: \"502\"\nname: Bad Gateway\ncategory: 5xx\nsummary: S.\ncauses: [C]\nsteps: [S]\nquick_answer: {question: Q, answer: A}\n---\n",
				"templates/" + tc.template: loop,
			} {
				p := filepath.Join(site, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var out syncBuffer
			cmd := exec.Command(os.Args[0], "serve", "-src", site, "-addr", "127.0.0.1:0", "-render-timeout", tc.timeout)
			cmd.Env = append(os.Environ(), errwikiMain+"=1")
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			exited := make(chan struct{})
			go func() { waitErr = cmd.Wait(); close(exited) }()
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})

			waitListening(t, cmd.Process.Pid)
			tc.ready(t, &out)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			sent := time.Now()
			select {
			case <-exited:
				if waitErr != nil || strings.Contains(out.String(), "not stopped") {
					t.Errorf("exit after %v: %v; want status 0, stopped by the server\n%s", time.Since(sent), waitErr, &out)
				}
				t.Logf("exited %v after %v", time.Since(sent).Round(time.Millisecond), tc.sig)
			case <-time.After(2 * time.Second):
				t.Errorf("still running 2s after %v\n%s", tc.sig, &out)
			}
		})
	}
}

// waitOutput waits until out holds want and returns what out holds then.
func waitOutput(t *testing.T, out *syncBuffer, want string) string {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(end) {
			t.Fatalf("no %q in the output:\n%s", want, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return out.String()
}

// syncBuffer collects a process's output as it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitListening waits until process pid has a socket open, as Linux
// lists its files in /proc/PID/fd: serve listens just before it catches
// signals, so a signal sent to a process still starting on a loaded
// machine is not taken for one it ignored. Where there is no /proc it
// returns at once.
func waitListening(t *testing.T, pid int) {
	t.Helper()
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		fds, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && strings.HasPrefix(link, "socket:") {
				return
			}
		}
	}
	t.Fatalf("process %d has no socket open after 10s", pid)
}
