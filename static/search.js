// Search box: filters the wiki's search.json as you type. No framework, no
// external requests; the page works without it (the form stays hidden).
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input");
  var list = form.querySelector("[role=listbox]");
  var index = null;
  var loading = null;
  var results = [];
  var active = -1;
  form.hidden = false;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) { return r.json(); })
        .then(function (rows) {
          index = rows.map(function (r) {
            r.cl = r.c.toLowerCase();
            r.nl = r.n.toLowerCase();
            r.al = (r.a || []).map(function (a) { return a.toLowerCase(); });
            r.sl = r.s.toLowerCase();
            r.all = [r.cl, r.nl, r.k.toLowerCase(), r.sl].concat(r.al).join(" ");
            return r;
          });
        });
    }
    return loading;
  }

  // wordAt reports whether q starts a word of s.
  function wordAt(s, q) {
    var i = s.indexOf(q);
    while (i >= 0) {
      if (i === 0 || !/[a-z0-9]/.test(s.charAt(i - 1))) return true;
      i = s.indexOf(q, i + 1);
    }
    return false;
  }

  // score ranks one row for query q (already lower-cased); 0 means no match.
  // Ties keep the index order: collections in order, codes in natural order.
  function score(r, q, terms) {
    for (var t = 0; t < terms.length; t++) {
      if (r.all.indexOf(terms[t]) < 0) return 0;
    }
    var s = 1;
    if (r.cl === q) s += 1000;
    else if (r.cl.indexOf(q) === 0) s += 400;
    if (r.nl === q) s += 800;
    else if (wordAt(r.nl, q)) s += 200;
    for (var i = 0; i < r.al.length; i++) {
      if (r.al[i] === q) { s += 600; break; }
      if (wordAt(r.al[i], q)) { s += 100; break; }
    }
    if (wordAt(r.sl, q)) s += 20;
    return s;
  }

  function search() {
    var q = input.value.toLowerCase().replace(/\s+/g, " ").trim();
    results = [];
    if (q && index) {
      var terms = q.split(" ");
      var scored = [];
      for (var i = 0; i < index.length; i++) {
        var s = score(index[i], q, terms);
        if (s > 0) scored.push({ s: s, i: i });
      }
      scored.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
      results = scored.slice(0, 10).map(function (x) { return index[x.i]; });
    }
    show(q);
  }

  function show(q) {
    list.textContent = "";
    active = results.length ? 0 : -1;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "q-result-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = r.u;
      a.tabIndex = -1;
      var title = document.createElement("strong");
      title.textContent = r.k + " " + r.c + " " + r.n;
      var summary = document.createElement("span");
      summary.textContent = r.s;
      a.appendChild(title);
      if (r.x) {
        var badge = document.createElement("em");
        badge.textContent = " unofficial";
        a.appendChild(badge);
      }
      a.appendChild(summary);
      li.appendChild(a);
      li.addEventListener("mousemove", function () { select(i); });
      list.appendChild(li);
    });
    if (q && !results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No code matches \u201c" + input.value + "\u201d.";
      list.appendChild(none);
    }
    input.setAttribute("aria-expanded", q ? "true" : "false");
    select(active);
  }

  function select(i) {
    var items = list.querySelectorAll("[role=option]");
    for (var j = 0; j < items.length; j++) {
      items[j].setAttribute("aria-selected", j === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", "q-result-" + i);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load().then(search); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && results.length) {
      e.preventDefault();
      select((active + 1) % results.length);
    } else if (e.key === "ArrowUp" && results.length) {
      e.preventDefault();
      select((active - 1 + results.length) % results.length);
    } else if (e.key === "Escape") {
      input.value = "";
      search();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (active >= 0 && results[active]) window.location.href = results[active].u;
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "/" && t !== input && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
      e.preventDefault();
      input.focus();
    }
  });
})();
