// The directory page's progressive enhancement, served as /assets/directory.js (a script file
// the CSP allows by nonce; no inline handlers). Without it every link and the form work as
// plain navigation; with it, paging, chips, the empty state's suggestions and the search and
// filter forms fetch the next page's HTML and swap the page's main part, keeping history (pushState, popstate) so the back
// button still means "the previous results". It also offers "use my location" for `near`,
// which only a script can read.
export const DIRECTORY_SCRIPT = `"use strict";
(function () {
  var SWAPPED = "nav.pages, nav.chips, ul.suggestions, p.past-last";
  var busy = null;
  // The URL whose results are on screen; a history step that changes only the #fragment (the
  // skip link) needs no fetch.
  var shown = location.href.split("#")[0];

  function swap(doc) {
    var next = doc.getElementById("main");
    var cur = document.getElementById("main");
    if (!next || !cur) return false;
    cur.replaceWith(document.adoptNode(next));
    var header = doc.querySelector("header.site");
    var curHeader = document.querySelector("header.site");
    if (header && curHeader) curHeader.replaceWith(document.adoptNode(header));
    document.title = doc.title;
    var links = document.querySelectorAll("link[rel=alternate]");
    for (var i = 0; i < links.length; i++) links[i].remove();
    var alts = doc.querySelectorAll("link[rel=alternate]");
    for (var j = 0; j < alts.length; j++) document.head.appendChild(document.adoptNode(alts[j]));
    return true;
  }

  function load(url, push) {
    if (busy) busy.abort();
    var ctl = new AbortController();
    busy = ctl;
    document.documentElement.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { accept: "text/html" }, signal: ctl.signal })
      .then(function (res) {
        return res.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          if (!swap(doc)) throw new Error("no main");
          if (push) history.pushState({ directory: true }, "", url);
          shown = url.split("#")[0];
          setup();
          var results = document.getElementById("results");
          if (results) {
            results.focus({ preventScroll: true });
            results.scrollIntoView({ block: "start" });
          }
        });
      })
      .catch(function (e) {
        if (e && e.name === "AbortError") return;
        location.assign(url);
      })
      .finally(function () {
        if (busy === ctl) busy = null;
        document.documentElement.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    var a = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!a || !a.closest(SWAPPED)) return;
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/directory") return;
    e.preventDefault();
    load(url.toString(), true);
  });

  // The search form and the filter form are GET forms: submitting one fetches the same URL a
  // plain submit would load (empty fields left out) and swaps it in.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    var url = new URL(form.getAttribute("action") || location.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/directory") return;
    var data;
    try {
      data = new FormData(form, e.submitter);
    } catch (err) {
      data = new FormData(form);
    }
    var params = new URLSearchParams();
    data.forEach(function (v, k) {
      if (typeof v === "string" && v !== "") params.append(k, v);
    });
    url.search = params.toString();
    e.preventDefault();
    load(url.toString(), true);
  });

  window.addEventListener("popstate", function () {
    if (location.pathname !== "/directory") return;
    if (location.href.split("#")[0] !== shown) load(location.href, false);
  });

  function setup() {
    var button = document.getElementById("locate");
    var input = document.querySelector("input[name=near]");
    var hint = document.getElementById("near-hint");
    if (!button || !input || !hint || !("geolocation" in navigator)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      hint.textContent = button.getAttribute("data-locating") || "";
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          input.value = pos.coords.latitude.toFixed(4) + "," + pos.coords.longitude.toFixed(4);
          hint.textContent = "";
          input.focus();
        },
        function () {
          hint.textContent = button.getAttribute("data-failed") || "";
        },
        { timeout: 10000, maximumAge: 600000 },
      );
    });
  }

  setup();
})();
`;
