// Search box: an ARIA 1.2 combobox over the wiki's split index (written by
// internal/build/search.go, which describes the files). The first focus
// fetches _search/meta.json; a query then fetches only the term files of
// its words and the document files of the hits it shows. No framework, no
// external requests; without JavaScript the form submits to an index page.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || !window.fetch || !window.Promise) return;
  var input = form.querySelector("[role=combobox]");
  var list = form.querySelector("[role=listbox]");
  var metaURL = form.getAttribute("data-index");
  var meta = null, loading = null;
  var terms = {}, docs = {}; // file number → promise of its contents
  var results = [], active = -1, seq = 0;
  var MAX = 10;

  // Must split text as searchWords in search.go does.
  var WORD = /(?:[\p{L}\p{Nd}]|(?<=\p{Nd})\.(?=\p{Nd}))+/gu;
  var STOP = {};
  "a an and are as at be by for from if in is it its of on or that the this to was with".split(" ").forEach(function (w) { STOP[w] = true; });

  function words(s) { return s.toLowerCase().match(WORD) || []; }
  function isWord(w) { return !STOP[w] && (w.length > 1 || /\d/.test(w)); }

  // key and bucket are searchKey and searchBucket: FNV-1a of the first
  // two characters, or three when the first two are split.
  function key(term) {
    var c = Array.from(term.slice(0, 6)).map(function (r) { return /[a-z0-9]/.test(r) ? r : "_"; });
    var k = c.slice(0, 2).join("");
    return meta.split[k] ? c.slice(0, 3).join("") : k;
  }
  function bucket(term) {
    var k = key(term), h = 0x811c9dc5;
    for (var i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0;
    return h % meta.buckets;
  }

  function get(name) {
    return fetch(metaURL.replace(/meta\.json$/, name) + "?v=" + meta.v).then(function (r) {
      if (!r.ok) throw new Error(name + ": " + r.status);
      return r.json();
    });
  }
  function load() {
    if (!loading) {
      loading = fetch(metaURL).then(function (r) { return r.json(); }).then(function (m) {
        meta = m;
        var id = -1;
        meta.x = {};
        m.unofficial.forEach(function (d) { meta.x[id += d] = true; });
        meta.collections.forEach(function (c) { c.words = words(c.key + " " + c.name); });
        var split = {};
        m.split.forEach(function (k) { split[k] = true; });
        meta.split = split;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }
  function termFile(i) {
    if (!terms[i]) {
      terms[i] = get("t" + i + ".json").then(function (t) { return { map: t, keys: Object.keys(t) }; });
      terms[i].catch(function () { delete terms[i]; });
    }
    return terms[i];
  }
  function docFile(i) {
    if (!docs[i]) {
      docs[i] = get("d" + i + ".json");
      docs[i].catch(function () { delete docs[i]; });
    }
    return docs[i];
  }

  // distance is the optimal string alignment distance of a and b, or
  // max + 1 once it is sure to exceed max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = [], prev = [], cur = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var c = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + c);
        if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
        cur[j] = d;
        if (d < low) low = d;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  // matches calls f(term, how, distance) for each term of file that t
  // matches: "exact", "prefix" (when prefix is set) or "fuzzy", with an
  // edit distance that grows with the length of t.
  function matches(file, t, prefix, f) {
    var k = key(t), maxd = t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0;
    if (file.map[t]) f(t, "exact", 0);
    for (var i = 0; i < file.keys.length; i++) {
      var term = file.keys[i];
      if (term === t || key(term) !== k) continue;
      if (prefix && t.length >= 2 && term.lastIndexOf(t, 0) === 0) {
        f(term, "prefix", term.length - t.length);
      } else if (maxd) {
        var d = distance(t, term, maxd);
        if (d <= maxd) f(term, "fuzzy", d);
      }
    }
  }

  // postings calls f(document, class) for each posting of term.
  function postings(file, term, f) {
    var p = file.map[term], id = 0;
    for (var i = 0; i < p.length; i += 2) f(id += p[i], p[i + 1]);
  }

  // rank orders the documents the query matches: a whole code, name,
  // alias or message first (matched exactly, then as a prefix or with a
  // typo), then the most words of the query matched, then the best fields
  // they matched in; standard codes before unofficial ones, then the
  // order of the wiki.
  function rank(query) {
    var all = words(query), coll = {}, rest = [];
    all.forEach(function (w) {
      var found = false;
      meta.collections.forEach(function (c, i) {
        if (c.words.indexOf(w) >= 0) { coll[i] = true; found = true; }
      });
      if (!found) rest.push(w);
    });
    var narrow = rest.length > 0 && rest.length < all.length;
    var qs = narrow ? rest : all;
    var phrases = [qs.join(" ")];
    if (narrow) phrases.push(all.join(" "));
    var ws = qs.filter(isWord);
    var need = phrases.concat(ws).map(bucket);
    return Promise.all(need.map(termFile)).then(function (files) {
      var docs = {};
      function doc(id) { return docs[id] || (docs[id] = { id: id, whole: 0, cover: 0, score: 0, best: [] }); }
      phrases.forEach(function (p, n) {
        matches(files[n], p, true, function (term, how, d) {
          if (how === "prefix" && p.indexOf(" ") < 0 && term.charAt(p.length) === " ") return;
          if (how === "fuzzy" && p.length < 4) return;
          postings(files[n], term, function (id, cls) {
            if (cls < 7) return;
            var s = how === "exact" ? cls * 100 : 300 + cls + (how === "prefix" ? 1 / (1 + d) : -d);
            var r = doc(id);
            if (s > r.whole) r.whole = s;
          });
        });
      });
      ws.forEach(function (w, n) {
        var file = files[phrases.length + n];
        matches(file, w, n === ws.length - 1, function (term, how, d) {
          var q = how === "exact" ? 1 : how === "prefix" ? 0.6 : d === 1 ? 0.5 : 0.3;
          postings(file, term, function (id, cls) {
            var r = doc(id);
            if (!(r.best[n] >= cls * q)) r.best[n] = cls * q;
          });
        });
      });
      var out = [];
      Object.keys(docs).forEach(function (id) {
        var r = docs[id];
        if (narrow && !coll[collectionOf(r.id)]) return;
        r.best.forEach(function (s) { if (s) { r.cover++; r.score += s; } });
        out.push(r);
      });
      out.sort(function (a, b) {
        return b.whole - a.whole || b.cover - a.cover || b.score - a.score ||
          (meta.x[a.id] ? 1 : 0) - (meta.x[b.id] ? 1 : 0) || a.id - b.id;
      });
      return out.slice(0, MAX).map(function (r) { return r.id; });
    });
  }

  function collectionOf(id) {
    for (var i = 0; i < meta.collections.length; i++) {
      var c = meta.collections[i];
      if (id >= c.first && id < c.first + c.count) return i;
    }
    return -1;
  }

  // hits fetches what the results show for the documents ids.
  function hits(ids) {
    return Promise.all(ids.map(function (id) { return docFile(Math.floor(id / meta.chunk)); })).then(function (files) {
      return ids.map(function (id, i) {
        var d = files[i][id % meta.chunk], c = meta.collections[collectionOf(id)];
        return { code: d[0], name: d[1], summary: d[3], coll: c.name, url: meta.base + c.key + "/" + d[2] + "/", unofficial: !!meta.x[id] };
      });
    });
  }

  function search() {
    var value = input.value, n = ++seq;
    if (!words(value).length) {
      results = [];
      show(value);
      return;
    }
    load().then(function () { return rank(value); }).then(hits).then(function (found) {
      if (n !== seq) return;
      results = found;
      show(value);
    }, function () {
      if (n !== seq) return;
      results = [];
      show(value, "Search is not available right now.");
    });
  }

  function show(value, problem) {
    list.textContent = "";
    active = results.length ? 0 : -1;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "q-result-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = r.url;
      a.tabIndex = -1;
      var title = document.createElement("strong");
      title.textContent = r.coll + " " + r.code + " " + r.name;
      a.appendChild(title);
      if (r.unofficial) {
        var badge = document.createElement("em");
        badge.textContent = " unofficial";
        a.appendChild(badge);
      }
      var summary = document.createElement("span");
      summary.textContent = r.summary;
      a.appendChild(summary);
      li.appendChild(a);
      li.addEventListener("mousemove", function () { select(i); });
      list.appendChild(li);
    });
    var open = words(value).length > 0;
    if (open && !results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = problem || "No code matches \u201c" + value + "\u201d.";
      list.appendChild(none);
    }
    list.setAttribute("data-query", value);
    input.setAttribute("aria-expanded", open ? "true" : "false");
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

  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", search);
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
    if (active >= 0 && results[active]) {
      e.preventDefault();
      window.location.href = results[active].url;
    } else if (input.value.trim()) {
      e.preventDefault();
      search();
    }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "/" && t !== input && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && !t.isContentEditable) {
      e.preventDefault();
      input.focus();
    }
  });
  // A search submitted without JavaScript, or before it ran, lands here
  // with ?q=: show its results.
  var q = new URLSearchParams(window.location.search).get("q");
  if (q && !input.value) {
    input.value = q;
    search();
  }
})();
