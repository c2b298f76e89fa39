package serve

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchedDirs are the directories of a site source whose changes trigger a
// rebuild.
var watchedDirs = []string{"content", "templates", "static"}

// A watcher reports changes under the watched directories of a site source.
type watcher struct {
	src string
	fsw *fsnotify.Watcher
}

// newWatcher watches src itself, so that a templates/ or static/ created
// later is seen, and every directory under its watched directories.
func newWatcher(src string) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{src: src, fsw: fsw}
	if err := fsw.Add(src); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, dir := range watchedDirs {
		if err := w.addTree(filepath.Join(src, dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) close() error { return w.fsw.Close() }

// addTree watches dir and every directory below it; inotify and its kin
// watch one directory at a time.
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // gone again since it was listed
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if !w.relevant(p) {
			return fs.SkipDir
		}
		return w.fsw.Add(p)
	})
}

// relevant reports whether a change to name can change the site: name is
// in (or is) a watched directory, and is not a file the content loader
// skips. Those are dot files, such as the swap file Vim writes every few
// seconds while the writer types.
func (w *watcher) relevant(name string) bool {
	rel, err := filepath.Rel(w.src, name)
	if err != nil {
		return false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	if !slices.Contains(watchedDirs, segs[0]) {
		return false
	}
	if segs[0] == "content" {
		for _, seg := range segs[1:] {
			if strings.HasPrefix(seg, ".") {
				return false
			}
		}
	}
	return true
}

// run calls rebuild once the watched directories have been quiet for the
// debounce period after a change, until ctx is done or the watcher is
// closed. rebuild gets the files that changed, as slash paths relative to
// the source ("content/http/502.md"), or nil when that is not known (a lost
// event, a directory renamed). A rebuild that catches a file mid-rename
// fails, and the rename's own event brings the next one.
func (w *watcher) run(ctx context.Context, quiet time.Duration, rebuild func(changed []string), logf func(string, ...any)) {
	timer := time.NewTimer(quiet)
	timer.Stop()
	changed, unknown := map[string]bool{}, false
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || !w.relevant(ev.Name) {
				continue
			}
			if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
				unknown = true
				if ev.Has(fsnotify.Create) {
					if err := w.addTree(ev.Name); err != nil {
						logf("watch %s: %v\n", ev.Name, err)
					}
				}
			} else if rel, err := filepath.Rel(w.src, ev.Name); err == nil {
				changed[filepath.ToSlash(rel)] = true
			} else {
				unknown = true
			}
			timer.Reset(quiet)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// Events may have been lost (an overflow, for one): say so,
			// and rebuild to be sure nothing is missed.
			logf("watch: %v\n", err)
			unknown = true
			timer.Reset(quiet)
		case <-timer.C:
			var names []string
			if !unknown {
				names = slices.Collect(maps.Keys(changed))
				if names == nil {
					names = []string{}
				}
			}
			changed, unknown = map[string]bool{}, false
			rebuild(names)
		}
	}
}
