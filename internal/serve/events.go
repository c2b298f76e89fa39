package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// An event is one Server-Sent Event: "reload" with the new build's ID, or
// "error" with the build error.
type event struct {
	name, data string
}

// A hub hands events to every open event stream.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]bool
}

// subscribe returns a channel that receives the events sent from now on.
// Only the latest unread event is kept: a page that missed a reload still
// reloads, and one that missed an error sees the newest one.
func (h *hub) subscribe() chan event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients == nil {
		h.clients = map[chan event]bool{}
	}
	c := make(chan event, 1)
	h.clients[c] = true
	return c
}

func (h *hub) unsubscribe(c chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.clients, c)
}

// send gives e to every subscriber without waiting for any of them.
func (h *hub) send(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case <-c: // replace what it has not read yet
		default:
		}
		c <- e // cannot block: only send writes, under h.mu
	}
}

// keepAlive is how often an idle stream gets a comment, so that a closed
// page is noticed and its stream ended.
const keepAlive = 30 * time.Second

// serveEvents streams build events to one page until it goes away or the
// server stops.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	c := s.events.subscribe()
	defer s.events.unsubscribe(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	// Subscribed before the headers go out, so that nothing built after
	// the page's "open" event (when it asks /status) is missed.
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 1000\n\n")
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case e := <-c:
			// JSON keeps the data on one line, as the format needs.
			data, _ := json.Marshal(e.data)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, data)
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// status is what the page's script asks for when its event stream opens.
type status struct {
	Build string `json:"build"` // the ID of the build being served; "" before the first
	Error string `json:"error"` // why the last build failed; "" after a good one
}

func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	snap, msg := s.state()
	st := status{Error: msg}
	if snap != nil {
		st.Build = snap.id
	}
	data, _ := json.Marshal(st)
	serveBytes(w, r, http.StatusOK, "application/json", data)
}
