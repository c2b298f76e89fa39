// Live reload for errwiki serve; never part of a built site.
//
// The server adds <script src=".../_errwiki/reload.js" data-build="ID"> to
// every page it serves. This script listens to .../_errwiki/events and
// reloads the page on a "reload" event; on an "error" event it shows the
// build error in an overlay, filled with textContent only. Each time the
// stream (re)connects it asks .../_errwiki/status whether the page is still
// the latest build, so an edit made while it was not listening, or a server
// restart, is not missed.
(function () {
	"use strict";
	var script = document.currentScript;
	if (!script || !window.EventSource) {
		return;
	}
	var dir = script.src.slice(0, script.src.lastIndexOf("/") + 1);
	var build = script.getAttribute("data-build");
	var overlay = null;

	function show(message) {
		if (!overlay) {
			overlay = document.createElement("pre");
			overlay.id = "errwiki-build-error";
			overlay.setAttribute("role", "alert");
			overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
				"max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;box-sizing:border-box;" +
				"background:#2b0a0a;color:#ffe3e3;border-top:4px solid #e5484d;" +
				"font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;";
			document.body.appendChild(overlay);
		}
		overlay.textContent = "errwiki serve: the last edit does not build; this page is the last good build.\n\n" + message;
	}

	function clear() {
		if (overlay) {
			overlay.remove();
			overlay = null;
		}
	}

	function check() {
		fetch(dir + "status", {cache: "no-store"})
			.then(function (r) { return r.json(); })
			.then(function (s) {
				if (s.build && s.build !== build) {
					location.reload();
				} else if (s.error) {
					show(s.error);
				} else {
					clear();
				}
			})
			.catch(function () {});
	}

	var events = new EventSource(dir + "events");
	events.addEventListener("open", check);
	events.addEventListener("reload", function () {
		location.reload();
	});
	// The stream's own connection errors arrive as "error" events too, but
	// without data; EventSource reconnects by itself after those.
	events.addEventListener("error", function (e) {
		if (typeof e.data === "string") {
			show(JSON.parse(e.data));
		}
	});
})();
