/* The Casebook's classic script (lightbox.js is the other, a module). Two jobs:
   1. Printing (Ctrl+P, and the build's PDF step in casebook/pdf.py): open every collapsible block,
      load every lazy image and use the light palette; afterwards put the page back as it was.
   2. Accessibility of widgets the theme creates at run time: give each code block's button bar a
      name of its own (axe: landmark-unique), and make a region that scrolls sideways (a wide table,
      a long formula, a notebook cell) reachable from the keyboard (axe: scrollable-region-focusable)
      and visibly wider than it looks (a fading edge on the side with more to show). */
(function () {
  "use strict";

  /* -- 1. Printing ------------------------------------------------------------------------------ */
  var restore = [];

  function prepare() {
    restore = [];
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      restore.push(function () { details.open = false; });
    });
    document.querySelectorAll('img[loading="lazy"]').forEach(function (img) {
      img.loading = "eager";
    });
    // A table or formula wider than the paper is scaled down to fit (never cut, never scrolled).
    document.querySelectorAll(".md-typeset table, .katex-display > .katex").forEach(function (element) {
      var parent = getComputedStyle(element.parentElement);
      var room = element.parentElement.clientWidth - parseFloat(parent.paddingLeft) - parseFloat(parent.paddingRight);
      var needed = element.scrollWidth;
      if (room > 0 && needed > room + 1) {
        var zoom = element.style.zoom;
        element.style.zoom = String(Math.max(0.5, Math.floor((room / needed) * 100) / 100));
        restore.push(function () { element.style.zoom = zoom; });
      }
    });
    var body = document.body;
    var scheme = body.getAttribute("data-md-color-scheme");
    if (scheme && scheme !== "default") {
      body.setAttribute("data-md-color-scheme", "default");
      restore.push(function () { body.setAttribute("data-md-color-scheme", scheme); });
    }
  }

  function undo() {
    restore.forEach(function (step) { step(); });
    restore = [];
  }

  window.addEventListener("beforeprint", prepare);
  window.addEventListener("afterprint", undo);
  window.casebookPrint = { prepare: prepare, undo: undo };

  /* -- 2. Accessibility ------------------------------------------------------------------------- */
  /* Every box in the page that scrolls sideways (a wide table, a long formula, a code block, a
     notebook output): reachable from the keyboard, and marked with the side(s) that have more to show
     (data-casebook-more, which casebook.css turns into a fading edge). Found by measuring, not by a
     list of selectors, so a new kind of wide content gets the same cue. */
  var watched = new WeakSet();

  function nameCodeBars() {
    document.querySelectorAll(".md-code__nav:not([aria-label])").forEach(function (nav, index) {
      nav.setAttribute("aria-label", "Code block " + (index + 1) + " actions");
    });
  }

  function markMore(element) {
    var left = element.scrollLeft > 1;
    var right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
    var more = left && right ? "both" : left ? "left" : right ? "right" : null;
    if (more) element.setAttribute("data-casebook-more", more);
    else element.removeAttribute("data-casebook-more");
  }

  function scrollsSideways(element) {
    if (element.clientWidth < 2 || element.scrollWidth <= element.clientWidth + 1) return false;
    var overflow = getComputedStyle(element).overflowX;
    return overflow === "auto" || overflow === "scroll";
  }

  function reachScrollers() {
    var content = document.querySelector(".md-content") || document.body;
    content.querySelectorAll("*").forEach(function (element) {
      var scrolls = scrollsSideways(element);
      if (scrolls && !element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "0");
        element.setAttribute("data-casebook-scroll", "");
      } else if (!scrolls && element.hasAttribute("data-casebook-scroll")) {
        element.removeAttribute("tabindex");
        element.removeAttribute("data-casebook-scroll");
      }
      if (scrolls && !watched.has(element)) {
        watched.add(element);
        element.addEventListener("scroll", function () { markMore(element); }, { passive: true });
      }
      if (scrolls || element.hasAttribute("data-casebook-more")) markMore(element);
    });
  }

  function fix() {
    nameCodeBars();
    reachScrollers();
  }

  new MutationObserver(function (records) {
    if (records.some(function (record) { return record.addedNodes.length; })) nameCodeBars();
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", reachScrollers);
  // Content that appears later: an opened collapsible, another tab, the book's fonts arriving.
  document.addEventListener("toggle", reachScrollers, true);
  document.addEventListener("change", reachScrollers, true);
  if (document.fonts) document.fonts.ready.then(reachScrollers);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
  window.addEventListener("load", fix);
})();
