/* The Casebook's classic script (lightbox.js is the other, a module). Three jobs:
   1. Printing (Ctrl+P, and the build's PDF step in casebook/pdf.py): open every collapsible block,
      load every lazy image, use the light palette and let a figure that would leave a gap at a
      page's foot float past the next paragraphs, as LaTeX does; afterwards put the page back.
   2. Accessibility of widgets the theme creates at run time: give each code block's button bar a
      name of its own (axe: landmark-unique), and make a region that scrolls sideways (a wide table,
      a long formula, a notebook cell) reachable from the keyboard (axe: scrollable-region-focusable)
      and visibly wider than it looks (a fading edge on the side with more to show). */
(function () {
  "use strict";

  /* -- 1. Printing ------------------------------------------------------------------------------ */
  var restore = [];
  var printing = false;

  function prepare() {
    showAll();
    restore = [];
    // On paper nothing scrolls: the screen's scroll marks go (and stay gone until undo), so that a
    // print never depends on when the screen last measured its boxes (fonts arriving, a collapsible
    // opened just above firing its toggle event).
    printing = true;
    clearScrollMarks();
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
    placeFigures();
  }

  /* Figures float, like LaTeX's. A figure is never cut across pages (print.css), so one that does
     not fit in what is left of a page moves whole to the next, and leaves the rest of the page empty.
     Where that gap would be large, the paragraphs that follow the figure move up into it and the
     figure follows them, keeping its number and caption; a figure never leaves its section (no
     heading is crossed) and never overtakes another figure. Where pages break is measured by laying
     the article out as columns one printed page high: the browser's fragmentation engine breaks the
     columns by the same rules as the pages (break-inside, break-after, orphans and widows). */
  var GAP_LIMIT = 1 / 6;  // of the page's text height: smaller gaps are left (the figure stays by its text)
  var STOPS = /^(H[1-6]|FIGURE|HR)$/;

  function pageHeight() {
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;height:var(--casebook-text-height, 0px)";
    document.body.appendChild(probe);
    var height = probe.getBoundingClientRect().height;
    probe.remove();
    return height;
  }

  function placeFigures() {
    var article = document.querySelector("article.md-typeset");
    var height = pageHeight();
    var plots = article ? Array.prototype.filter.call(
      article.querySelectorAll(".jp-CodeCell > .jp-Cell-outputWrapper"),
      function (output) { return output.querySelector("img.casebook-plot"); }) : [];
    if (!article || !(height > 0) || !(article.querySelector(":scope > figure") || plots.length)) return;
    var style = article.getAttribute("style");
    var width = article.getBoundingClientRect().width;
    article.style.cssText += ";column-width:" + width + "px;column-gap:0;column-fill:auto;height:" + height + "px";
    var origin = article.getBoundingClientRect();

    function fragments(element) {  // [{page, top, bottom}] of an element's boxes, in page coordinates
      return Array.prototype.map.call(element.getClientRects(), function (box) {
        return { page: Math.floor((box.left - origin.left + 1) / width), top: box.top - origin.top,
                 bottom: box.bottom - origin.top };
      }).filter(function (box) { return box.bottom > box.top; });
    }

    function gapBefore(figure) {  // the empty space at the foot of the page before the figure's page
      var first = fragments(figure)[0];
      // Only a figure that opens its page (at most a heading above it) left the page before it short.
      if (!first || first.page === 0 || first.top > height * 0.2) return 0;
      for (var element = figure.previousElementSibling; element; element = element.previousElementSibling) {
        var boxes = fragments(element);
        if (boxes.length && boxes[boxes.length - 1].page < first.page) return height - boxes[boxes.length - 1].bottom;
      }
      return 0;
    }

    // Move the content after a float above it, one block at a time, while the page before the float
    // is left short. next() gives the block that may move (or null), insert() puts it above the float.
    function lift(float, next, insert) {
      var moved = 0;
      while (gapBefore(float) > height * GAP_LIMIT && moved < 12) {
        var block = next();
        if (!block) break;
        var page = fragments(float)[0].page;
        (function (element, parent, after) {
          restore.push(function () { parent.insertBefore(element, after); });
        })(block, block.parentNode, block.nextSibling);
        insert(block);
        moved += 1;
        var boxes = fragments(block);
        if (boxes.length && boxes[boxes.length - 1].page >= page) break;  // the gap is filled
      }
    }

    var figures = article.querySelectorAll(":scope > figure");
    try {
      Array.prototype.forEach.call(figures, function (figure) {
        lift(figure, function () {
          var next = figure.nextElementSibling;
          return next && !STOPS.test(next.tagName) ? next : null;
        }, function (block) { figure.parentNode.insertBefore(block, figure); });
      });
      // A lab's plot is its code cell's output: the Markdown cells after the code cell (which describe
      // the plot) may move up between the code and its output; a heading or another code cell may not.
      plots.forEach(function (output) {
        var cell = output.parentNode;
        lift(output, function () {
          var next = null;  // the next cell: nbconvert wraps each code cell in a second code cell
          for (var e = cell; e && !next && !e.classList.contains("jp-Notebook"); e = e.parentElement) {
            next = e.nextElementSibling;
          }
          return next && next.classList.contains("jp-MarkdownCell") && !next.querySelector("h1, h2, h3, h4, h5, h6")
            ? next : null;
        }, function (block) { cell.insertBefore(block, output); });
      });
    } finally {
      if (style === null) article.removeAttribute("style");
      else article.setAttribute("style", style);
    }
  }

  function undo() {
    restore.reverse().forEach(function (step) { step(); });  // the last change first
    restore = [];
    printing = false;
    reachScrollers();
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

  function moreOf(element) {  // reads the layout only
    var left = element.scrollLeft > 1;
    var right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
    return left && right ? "both" : left ? "left" : right ? "right" : null;
  }

  function setMore(element, more) {  // writes only
    if (more) {
      if (element.getAttribute("data-casebook-more") !== more) element.setAttribute("data-casebook-more", more);
    } else if (element.hasAttribute("data-casebook-more")) {
      element.removeAttribute("data-casebook-more");
    }
  }

  function markMore(element) {
    if (printing) return;
    setMore(element, moreOf(element));
  }

  function scrollsSideways(element) {
    if (element.clientWidth < 2 || element.scrollWidth <= element.clientWidth + 1) return false;
    var overflow = getComputedStyle(element).overflowX;
    return overflow === "auto" || overflow === "scroll";
  }

  function clearScrollMarks() {
    document.querySelectorAll("[data-casebook-scroll], [data-casebook-more]").forEach(function (element) {
      if (element.hasAttribute("data-casebook-scroll")) element.removeAttribute("tabindex");
      element.removeAttribute("data-casebook-scroll");
      element.removeAttribute("data-casebook-more");
    });
  }

  var INSIDE_ONLY = /(^| )katex-(html|mathml)( |$)/;

  function reachScrollers(blocks) {  // blocks: only these (just shown) and what they hold; else the page
    if (printing) return;
    var elements = [];
    (Array.isArray(blocks) ? blocks : [document.querySelector(".md-content") || document.body]).forEach(function (block) {
      if (Array.isArray(blocks)) elements.push(block);
      // Not inside a formula's own markup, a drawing or a code block's tokens: thousands of boxes
      // that never scroll (the formula, the drawing's frame and the code block itself are measured).
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_ELEMENT, {
        acceptNode: function (node) {
          return INSIDE_ONLY.test(node.getAttribute("class") || "") || node.tagName === "svg" || node.parentElement.tagName === "CODE"
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      for (var node = walker.nextNode(); node; node = walker.nextNode()) elements.push(node);
    });
    // Measure every box first and change attributes after: a change between two measurements would
    // make the browser lay the page out again for the next one (on a long page, most of a phone's
    // work after the first paint).
    var found = [];
    elements.forEach(function (element) {
      var scrolls = scrollsSideways(element);
      if (scrolls || element.hasAttribute("data-casebook-scroll") || element.hasAttribute("data-casebook-more")) {
        found.push([element, scrolls, scrolls || element.hasAttribute("data-casebook-more") ? moreOf(element) : null]);
      }
    });
    found.forEach(function (entry) {
      var element = entry[0], scrolls = entry[1];
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
      if (scrolls || element.hasAttribute("data-casebook-more")) setMore(element, entry[2]);
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
  if (document.fonts) {
    document.fonts.ready.then(reachScrollers);
    document.fonts.addEventListener("loadingdone", reachScrollers);  // faces a later layout asked for
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
  window.addEventListener("load", fix);

  /* -- 3. The sections below a long page's fold --------------------------------------------------- */
  var BUDGET = 150;  // elements shown per frame: each frame's layout stays a short task on a phone
  var root = document.documentElement;

  function waiting() {  // the fold and the blocks after it that are not shown yet
    var fold = document.querySelector(".md-content__inner > .casebook-fold");
    var blocks = [];
    for (var block = fold; block; block = block.nextElementSibling) {
      if (!block.classList.contains("casebook-shown")) blocks.push(block);
    }
    return blocks;
  }

  function finish() {  // the footer last; the root's class stays (changing it would restyle the page)
    if (root.hasAttribute("data-casebook-shown")) return;
    var footer = document.querySelector(".md-footer");
    if (footer) footer.classList.add("casebook-shown");
    root.setAttribute("data-casebook-shown", "");
  }

  function pending() {
    return root.classList.contains("casebook-progressive") && !root.hasAttribute("data-casebook-shown");
  }

  function showAll() {
    if (!pending()) return;
    var blocks = waiting();
    blocks.forEach(function (block) { block.classList.add("casebook-shown"); });
    finish();
    reachScrollers();
  }

  function showInSteps() {
    var previous = [];
    function step() {
      if (!pending()) return;  // shown whole meanwhile
      // The blocks shown in the last step have been laid out by now (in the browser's own frame):
      // measuring them costs no layout of its own.
      if (previous.length) reachScrollers(previous);
      // Looked up afresh each time: the theme wraps a table in a block of its own as it goes.
      var blocks = waiting();
      if (!blocks.length) {
        finish();
        return;
      }
      var shown = [];
      var count = 0;
      for (var i = 0; i < blocks.length; i++) {
        var size = 1 + blocks[i].getElementsByTagName("*").length;
        if (shown.length && count + size > BUDGET) break;
        count += size;
        shown.push(blocks[i]);
      }
      shown.forEach(function (block) { block.classList.add("casebook-shown"); });
      previous = shown;
      requestAnimationFrame(function () { setTimeout(step, 0); });
    }
    setTimeout(step, 0);
  }


  if (root.classList.contains("casebook-progressive")) {
    if (!document.querySelector(".md-content__inner > .casebook-fold")) {
      finish();
    } else {
      // A jump inside the page (the contents, a footnote, a cross-reference) finds its target shown.
      document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest('a[href*="#"]');
        if (link && link.pathname === location.pathname) showAll();
      }, true);
      window.addEventListener("hashchange", showAll);
      window.addEventListener("beforeprint", showAll);
      showInSteps();
    }
  }
})();
