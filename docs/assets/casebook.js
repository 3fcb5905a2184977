/* The Casebook's classic script (lightbox.js is the other, a module). Four jobs:
   1. Printing (Ctrl+P, and the build's PDF step in casebook/pdf.py): open every collapsible block,
      load every lazy image, use the light palette and let a figure that would leave a gap at a
      page's foot float past the next paragraphs, as LaTeX does; afterwards put the page back.
   2. Accessibility of widgets the theme creates at run time: give each code block's button bar a
      name of its own (axe: landmark-unique), and make a region that scrolls sideways (a wide table,
      a long formula, a notebook cell) reachable from the keyboard (axe: scrollable-region-focusable)
      and visibly wider than it looks (a fading edge on the side with more to show). */
(function () {
  "use strict";
  // Where the site's assets are (this script is assets/casebook.js): the live calculator is beside it.
  var ASSETS = document.currentScript && document.currentScript.src ? new URL("./", document.currentScript.src).href : null;

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
  // Each step shows some of the hidden blocks and lays them out at once (one read of the layout), so
  // the step's whole cost is measured here: the next step's size follows the cost per element seen so
  // far, to keep every step near STEP_MS on whatever device runs it. A phone's long task starts at
  // 50 ms, and Lighthouse's simulated phone scales the test machine's time about 4x: 10 ms keeps a
  // step short on both.
  var STEP_MS = 10;
  var FIRST = 40;  // elements in the first step, before any cost is known
  var root = document.documentElement;

  function waiting() {  // the fold and the blocks after it that are not shown yet
    var fold = document.querySelector(".casebook-fold");
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
    var budget = FIRST, elements = 0, spent = 0;
    function step() {
      if (!pending()) return;  // shown whole meanwhile
      // Looked up afresh each time: the theme wraps a table in a block of its own as it goes.
      var blocks = waiting();
      if (!blocks.length) {
        finish();
        return;
      }
      // A typeface that the blocks shown so far asked for is still arriving: when it does, the
      // browser lays out again all the text set in its family, so wait for it while that text is short.
      if (document.fonts && document.fonts.status === "loading") {
        document.fonts.ready.then(next);
        return;
      }
      var started = performance.now();
      var shown = [];
      var count = 0;
      for (var i = 0; i < blocks.length; i++) {
        var size = 1 + blocks[i].getElementsByTagName("*").length;
        if (shown.length && count + size > budget) break;
        count += size;
        shown.push(blocks[i]);
      }
      shown.forEach(function (block) { block.classList.add("casebook-shown"); });
      void shown[shown.length - 1].offsetTop;  // style and layout of what was shown, in this step
      reachScrollers(shown);  // laid out already: measuring them costs no layout of its own
      elements += count;
      spent += Math.max(performance.now() - started, 0.1);
      budget = Math.max(8, Math.round(elements / spent * STEP_MS));
      next();
    }
    function next() {
      requestAnimationFrame(function () { setTimeout(step, 0); });
    }
    // The typefaces the hidden part will ask for are fetched first (never longer than FONT_WAIT_MS):
    // a face that arrives while the page is being shown makes the browser lay out again all the text
    // shown so far in its family, in one task, however small the steps.
    var timer;
    Promise.race([
      Promise.all(facesToLoad().map(function (face) {
        return document.fonts.load(face[0], face[1]).catch(function () {});
      })),
      new Promise(function (resolve) { timer = setTimeout(resolve, FONT_WAIT_MS); })
    ]).then(function () {
      clearTimeout(timer);
      setTimeout(step, 0);
    });
  }

  var FONT_WAIT_MS = 2500;
  // The book's faces by what asks for them (casebook/fonts.py, fonts.css): the browser fetches only
  // the slices of a face whose characters the text has (unicode-range), so the page's text goes along.
  var BOOK_FACES = [
    ["400 16px 'Casebook Sans'", null],
    ["700 16px 'Casebook Sans'", "strong, b, th, h1, h2, h3, h4, h5, h6, dt, summary, .admonition-title"],
    ["italic 400 16px 'Casebook Sans'", "em, i, cite, dfn"],
    ["400 16px 'Casebook Mono'", "code, pre, kbd, samp"]
  ];

  function facesToLoad() {
    if (!document.fonts || !document.fonts.load) return [];
    var content = document.querySelector(".md-content") || document.body;
    var text = content.textContent;
    var faces = [];
    BOOK_FACES.forEach(function (face) {  // each with the text set in it (the whole text for the plain face)
      var set = face[1] ? Array.prototype.map.call(content.querySelectorAll(face[1]), function (e) { return e.textContent; }).join("") : text;
      if (set) faces.push([face[0], set]);
    });
    // KaTeX picks a face by class (.mathnormal, .mathcal, .delimsizing.size1, ...): its own stylesheet
    // says which, so the faces follow whatever KaTeX version the site serves.
    if (content.querySelector(".katex")) {
      Array.prototype.forEach.call(document.styleSheets, function (sheet) {
        if (!/katex/.test(sheet.href || "")) return;
        var rules;
        try { rules = sheet.cssRules; } catch (error) { return; }
        Array.prototype.forEach.call(rules, function (rule) {
          var family = rule.style && rule.style.fontFamily;
          if (!family || !/KaTeX_/.test(family) || !rule.selectorText) return;
          try {
            if (!content.querySelector(rule.selectorText)) return;
          } catch (error) { return; }
          var font = [rule.style.fontStyle === "italic" ? "italic" : "", /bold|[6-9]00/.test(rule.style.fontWeight) ? "700" : "400",
                      "16px", family.split(",")[0]].join(" ").trim();
          faces.push([font, "a0"]);
        });
      });
    }
    return faces;
  }


  if (root.classList.contains("casebook-progressive")) {
    if (!document.querySelector(".casebook-fold")) {
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

  /* -- 4. The practice timer ---------------------------------------------------------------------- */
  // The phases come from the chapter's interview plan (data-plan); the clock is wall time, kept in
  // localStorage by chapter, so a reload (or a phone locking its screen) does not stop it.
  function practiceTimer(box) {
    var plan = JSON.parse(box.getAttribute("data-plan"));
    var key = "casebook-timer:" + box.getAttribute("data-key");
    var total = plan.reduce(function (sum, phase) { return sum + phase.minutes * 60000; }, 0);
    var state = { start: null, paused: null };  // start: epoch ms; paused: elapsed ms while paused
    try {
      var saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved && (typeof saved.start === "number" || saved.start === null)) state = saved;
    } catch (error) { /* no storage: the timer still runs, without surviving a reload */ }

    function save() {
      try { localStorage.setItem(key, JSON.stringify(state)); } catch (error) { /* see above */ }
    }
    function elapsed() {
      if (state.start === null) return 0;
      return Math.min(total, state.paused !== null ? state.paused : Date.now() - state.start);
    }
    function clock(ms) {
      var seconds = Math.ceil(ms / 1000);
      return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text) node.textContent = text;
      return node;
    }

    box.textContent = "";
    var display = element("div", "casebook-timer__clock");
    display.setAttribute("role", "timer");
    display.setAttribute("aria-label", "Time left in the interview");
    var status = element("p", "casebook-timer__phase");
    status.setAttribute("aria-live", "polite");
    var controls = element("div", "casebook-timer__controls");
    var toggle = element("button", "md-button md-button--primary");
    var reset = element("button", "md-button", "Reset");
    toggle.type = reset.type = "button";
    controls.appendChild(toggle);
    controls.appendChild(reset);
    var list = element("ol", "casebook-timer__phases");
    var items = plan.map(function (phase) {
      var item = element("li", "", phase.name + " (" + phase.minutes + " min)");
      list.appendChild(item);
      return item;
    });
    box.appendChild(display);
    box.appendChild(status);
    box.appendChild(controls);
    box.appendChild(list);

    var shownPhase = null, ticking = null;
    function render() {
      var spent = elapsed();
      var running = state.start !== null && state.paused === null && spent < total;
      display.textContent = clock(total - spent);
      toggle.textContent = running ? "Pause" : state.start === null ? "Start the interview" : spent >= total ? "Done" : "Resume";
      toggle.hidden = spent >= total;  // nothing left to start or pause
      var index = 0, end = 0;
      for (; index < plan.length; index++) {
        end += plan[index].minutes * 60000;
        if (spent < end) break;
      }
      // Announced once per phase, and when the interview starts (phase 0 before and after the start).
      var phase = spent >= total ? "done" : state.start === null ? "idle" : String(index);
      items.forEach(function (item, i) {
        item.classList.toggle("casebook-timer__done", i < index);
        if (i === index && spent < total && state.start !== null) item.setAttribute("aria-current", "step");
        else item.removeAttribute("aria-current");
      });
      if (phase !== shownPhase) {  // announced once per phase, not every second
        shownPhase = phase;
        if (spent >= total) {
          status.textContent = "Time is up. Compare your notes with the chapter (below).";
        } else if (state.start === null) {
          status.textContent = plan.length + " phases. The first: " + plan[0].name + ".";
        } else {
          status.textContent = "Phase " + (index + 1) + " of " + plan.length + ": " + plan[index].name +
            ", until " + clock(total - end) + " on the clock.";
        }
      }
      if (running && ticking === null) ticking = setInterval(render, 1000);
      if (!running && ticking !== null) { clearInterval(ticking); ticking = null; }
      box.classList.toggle("casebook-timer--running", running);
    }
    toggle.addEventListener("click", function () {
      if (state.start === null) state = { start: Date.now(), paused: null };
      else if (state.paused === null) state.paused = elapsed();
      else state = { start: Date.now() - state.paused, paused: null };
      save();
      render();
    });
    reset.addEventListener("click", function () {
      state = { start: null, paused: null };
      save();
      render();
    });
    window.addEventListener("storage", function (event) {  // the same chapter open in another tab
      if (event.key !== key) return;
      try { state = JSON.parse(event.newValue || "null") || { start: null, paused: null }; } catch (error) { return; }
      render();
    });
    render();
  }

  var timerBox = document.querySelector(".casebook-timer[data-plan]");
  if (timerBox) practiceTimer(timerBox);

  /* -- 5. The mock interviews: answer before you read the candidate ------------------------------ */
  // Each candidate's turn is a collapsible, open so the page reads as a transcript. The button
  // closes them all (the reader answers each question first, then opens the turn) or opens them all.
  var toggleBox = document.querySelector(".casebook-mock-toggle");
  if (toggleBox) {
    var turns = document.querySelectorAll("details.candidate");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    var hint = document.createElement("p");
    hint.setAttribute("aria-live", "polite");
    function showToggle() {
      var open = Array.prototype.filter.call(turns, function (turn) { return turn.open; }).length;
      var hiding = open < turns.length / 2;
      button.textContent = hiding ? "Show all the candidate's answers" : "Hide the candidate's answers";
      button.setAttribute("aria-pressed", hiding ? "true" : "false");
      hint.textContent = hiding
        ? "Answer each question yourself, then open the candidate's turn (" + open + " of " + turns.length + " open)."
        : "";
    }
    button.addEventListener("click", function () {
      var hide = button.getAttribute("aria-pressed") !== "true";
      Array.prototype.forEach.call(turns, function (turn) { turn.open = !hide; });
      showToggle();
    });
    document.addEventListener("toggle", function (event) {
      if (event.target.matches && event.target.matches("details.candidate")) showToggle();
    }, true);
    toggleBox.appendChild(button);
    toggleBox.appendChild(hint);
    toggleBox.hidden = false;
    showToggle();
  }

  /* -- 6. Try your own numbers (assets/live.js, loaded only when the reader asks) ------------------ */
  var liveBox = document.querySelector(".casebook-live");
  if (liveBox && ASSETS) {
    var liveSpec = JSON.parse(document.querySelector(".casebook-live-spec").textContent);
    var opener = document.createElement("button");
    opener.type = "button";
    opener.className = "md-button";
    opener.textContent = "Try your own numbers";
    var openLive = function (shared) {
      opener.disabled = true;
      import(ASSETS + "live.js").then(function (live) {
        live.open(liveBox, liveSpec, ASSETS, shared, opener);
      }).catch(function (error) {
        opener.disabled = false;
        liveBox.setAttribute("data-error", String(error));
      });
    };
    opener.addEventListener("click", function () { openLive(null); });
    liveBox.appendChild(opener);
    liveBox.hidden = false;
    var shared = new URLSearchParams(location.search).get("try");
    if (shared) openLive(shared);  // a link with a reader's numbers: they asked for them
  }
})();
