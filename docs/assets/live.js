/* "Try your own numbers": the page's own Python, run again in the reader's browser.

   casebook.js imports this module when the reader opens the control under a page's assumptions
   table (or opens a link that carries their numbers). It loads Pyodide, a WebAssembly CPython served
   by this site (assets/pyodide/), unpacks the book's calculation code (assets/live/snippets.zip) and
   calls snippets.kit.live.recompute, the function tests/test_live.py checks against CPython, each
   time an input changes. Every value and table on the page that the code computes carries its
   target in data-casebook; the inputs replace the values in the assumptions table. */

const RUNTIME_MB = 4;  // what the reader downloads, gzipped: said before it starts

let python = null;  // one runtime per page

async function runtime(assets, spec, say) {
  if (python) return python;
  const started = performance.now();
  say(`Loading Python in your browser (about ${RUNTIME_MB} MB, once)… step 1 of 3`);
  const { loadPyodide } = await import(new URL(spec.runtime + "/pyodide.mjs", new URL("../", assets)).href);
  const py = await loadPyodide({ indexURL: new URL(spec.runtime + "/", new URL("../", assets)).href, packages: [] });
  say("Loading the book's code… step 2 of 3");
  const archive = await fetch(new URL(spec.archive, new URL("../", assets)).href);
  if (!archive.ok) throw new Error(`the book's code did not load (${archive.status})`);
  py.unpackArchive(await archive.arrayBuffer(), "zip", { extractDir: "/home/pyodide/casebook" });
  say("Starting… step 3 of 3");
  py.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/casebook")
import markdown
from snippets.kit import live as _live

def _casebook_recompute(module, chosen, targets):
    result = _live.recompute(module, json.loads(chosen), json.loads(targets))
    for target, shown in result.get("shown", {}).items():
        if shown[0] == "table":
            shown[1] = markdown.markdown(shown[1], extensions=["markdown.extensions.tables"])
    return json.dumps(result)
`);
  python = { py, seconds: (performance.now() - started) / 1000 };
  return python;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/* The reader's text as a number, or a message saying what is wrong with it. */
function parse(field, text) {
  const cleaned = text.trim().replace(/[,_\s]/g, "");
  if (cleaned === "") return { error: "Enter a number." };
  const number = Number(cleaned);
  if (!Number.isFinite(number)) return { error: `"${text.trim()}" is not a number (write 2000000, 2e6 or 2,000,000).` };
  const value = field.percent ? number / 100 : number;
  if (field.integer && !Number.isInteger(value)) return { error: "Enter a whole number." };
  if (field.value > 0 && value < 0) return { error: "Enter a number of zero or more." };
  if (field.max !== null && value > field.max) return { error: field.percent ? "Enter at most 100%." : `Enter at most ${field.max}.` };
  return { value };
}

function shownInput(field, value) {
  if (field.percent) return String(Number((value * 100).toPrecision(12)));
  return String(value);
}

/* Cell text without footnote marks (the build links them, the live table shows none). */
function cellText(cell) {
  const copy = cell.cloneNode(true);
  copy.querySelectorAll("sup").forEach((sup) => sup.remove());
  return copy.textContent.replace(/\[\^[^\]]+\]/g, "").replace(/\s+/g, " ").trim();
}

function tableOf(provenance) {
  for (let node = provenance.previousElementSibling; node; node = node.previousElementSibling) {
    const table = node.matches("table") ? node : node.querySelector("table");
    if (table) return table;
  }
  return null;
}

export async function open(box, spec, assets, shared, opener) {
  const status = element("p", "casebook-live__status");
  status.setAttribute("role", "status");
  box.appendChild(status);
  const say = (text) => { status.textContent = text; };

  let loaded;
  try {
    loaded = await runtime(assets, spec, say);
  } catch (error) {
    say(`Python could not start in this browser: ${error.message}. The page keeps the book's numbers.`);
    opener.disabled = false;
    return;
  }
  opener.remove();

  // Everything the page shows that the code computes: values and tables, by target.
  const values = new Map();
  document.querySelectorAll("a.casebook-value[data-casebook]").forEach((link) => {
    const target = link.getAttribute("data-casebook");
    if (!values.has(target)) values.set(target, []);
    values.get(target).push({ node: link, book: link.textContent });
  });
  const tables = new Map();
  document.querySelectorAll("p.casebook-provenance[data-casebook]").forEach((provenance) => {
    const target = provenance.getAttribute("data-casebook");
    const table = tableOf(provenance);
    if (table && !target.endsWith(".assumptions")) tables.set(target, { table, book: table.innerHTML });
  });
  const targets = spec.targets.filter((target) => values.has(target) || tables.has(target));

  // The inputs, in the assumptions table's value column.
  const ownTable = [...document.querySelectorAll("p.casebook-provenance[data-casebook]")]
    .find((p) => p.getAttribute("data-casebook") === spec.module + ".assumptions");
  const table = ownTable && tableOf(ownTable);
  const byLabel = new Map(spec.fields.map((field) => [field.label, field]));
  const inputs = new Map();
  if (table) {
    table.querySelectorAll("tbody tr").forEach((row, index) => {
      const cells = row.querySelectorAll("td");
      const field = byLabel.get(cellText(cells[0]));
      if (!field || cells.length < 2) return;
      const cell = cells[1];
      const id = `casebook-live-${field.name}`;
      const input = element("input", "casebook-live__input");
      input.type = "text";
      input.id = id;
      input.inputMode = "decimal";
      input.autocomplete = "off";
      input.spellcheck = false;
      input.value = shownInput(field, field.value);
      const label = element("label", "casebook-live__label", field.label + (field.percent ? " (%)" : ""));
      label.htmlFor = id;
      const unit = element("span", "casebook-live__unit", field.percent ? "%" : "");
      const formatted = element("span", "casebook-live__shown", field.shown);
      const message = element("span", "casebook-live__message");
      message.id = id + "-message";
      input.setAttribute("aria-describedby", message.id);
      cell.textContent = "";
      cell.append(label, input, unit, formatted, message);
      cell.classList.add("casebook-live__cell");
      inputs.set(field.name, { field, input, formatted, message, row });
    });
  }

  // The panel: what is going on, a link to this scenario, and the way back.
  const panel = element("div", "casebook-live__panel");
  const note = element("p", "casebook-live__note");
  const share = element("input", "casebook-live__link");
  share.type = "text";
  share.readOnly = true;
  share.setAttribute("aria-label", "A link to the page with your numbers");
  const copy = element("button", "md-button", "Copy the link");
  copy.type = "button";
  const reset = element("button", "md-button", "Back to the book's numbers");
  reset.type = "button";
  const controls = element("div", "casebook-live__controls");
  controls.append(copy, reset);
  panel.append(note, controls, share);
  box.appendChild(panel);
  box.classList.add("casebook-live--open");

  const chosen = () => {
    const found = {};
    for (const [name, entry] of inputs) {
      const parsed = parse(entry.field, entry.input.value);
      if (parsed.error) return { error: parsed.error, entry };
      if (parsed.value !== entry.field.value) found[name] = parsed.value;
    }
    return { found };
  };

  const figureNotes = () => {
    document.querySelectorAll(".md-content figure").forEach((figure) => {
      if (figure.querySelector(".casebook-live__figure")) return;
      const caption = figure.querySelector("figcaption") || figure;
      caption.appendChild(element("span", "casebook-live__figure", " This figure shows the book's numbers, not yours."));
    });
  };

  let lastGood = null;
  const apply = () => {
    box.removeAttribute("data-casebook-pending");
    inputs.forEach((entry) => {
      entry.message.textContent = "";
      entry.input.removeAttribute("aria-invalid");
    });
    const wanted = chosen();
    if (wanted.error) {
      wanted.entry.message.textContent = wanted.error;
      wanted.entry.input.setAttribute("aria-invalid", "true");
      say("The numbers below are the last ones that worked.");
      box.setAttribute("data-casebook-outcome", "invalid");
      return;
    }
    const changed = Object.keys(wanted.found);
    const started = performance.now();
    let result;
    try {
      result = JSON.parse(loaded.py.globals.get("_casebook_recompute")(
        spec.module, JSON.stringify(wanted.found), JSON.stringify(targets)));
    } catch (error) {  // a fault of the book's code, not of the reader's numbers: say so, keep the page
      say("The book's code failed on these numbers; the page keeps the last ones that worked. Please report it.");
      console.error(error);
      return;
    }
    if (result.error) {
      const entry = changed.length ? inputs.get(changed[changed.length - 1]) : null;
      if (entry) {
        entry.message.textContent = result.error;
        entry.input.setAttribute("aria-invalid", "true");
      }
      say(`${result.error} The numbers below are the last ones that worked.`);
      box.setAttribute("data-casebook-outcome", "rejected");
      return;
    }
    lastGood = wanted.found;
    for (const [target, [kind, text]] of Object.entries(result.shown)) {
      if (kind === "value") {
        (values.get(target) || []).forEach((entry) => {
          entry.node.textContent = text;
          entry.node.classList.toggle("casebook-live-changed", text !== entry.book);
        });
      } else if (tables.has(target)) {
        const { table: shownTable } = tables.get(target);
        const fresh = element("div");
        fresh.innerHTML = text;
        const rows = fresh.querySelectorAll("tr");
        const current = shownTable.querySelectorAll("tr");
        if (rows.length !== current.length) {
          shownTable.innerHTML = fresh.querySelector("table").innerHTML;
          continue;
        }
        rows.forEach((row, r) => {
          const newCells = row.children;
          const oldCells = current[r].children;
          for (let c = 0; c < Math.min(newCells.length, oldCells.length); c++) {
            const now = cellText(newCells[c]);
            if (now !== cellText(oldCells[c])) {
              oldCells[c].innerHTML = newCells[c].innerHTML;
              oldCells[c].classList.add("casebook-live-changed");
            }
          }
        });
      }
    }
    for (const [name, text] of Object.entries(result.assumptions)) {
      const entry = inputs.get(name);
      if (entry) {
        entry.formatted.textContent = text;
        entry.row.classList.toggle("casebook-live-changed", name in wanted.found);
      }
    }
    const url = new URL(location.href);
    if (changed.length) url.searchParams.set("try", changed.map((name) => `${name}:${wanted.found[name]}`).join(","));
    else url.searchParams.delete("try");
    history.replaceState(history.state, "", url.href);
    share.value = url.href;
    if (changed.length) figureNotes();
    else document.querySelectorAll(".casebook-live__figure").forEach((node) => node.remove());
    const stale = result.unavailable || [];
    stale.forEach((target) => {
      (values.get(target) || []).forEach((entry) => entry.node.classList.toggle("casebook-live-stale", changed.length > 0));
      if (tables.has(target)) tables.get(target).table.classList.toggle("casebook-live-stale", changed.length > 0);
    });
    const ms = Math.round(performance.now() - started);
    const caveat = stale.length && changed.length
      ? ` ${stale.length === 1 ? "One result needs" : stale.length + " results need"} NumPy, which is not loaded here: ${stale.length === 1 ? "it shows" : "they show"} the book's numbers.`
      : "";
    say((changed.length
      ? `Recomputed in ${ms} ms with your ${changed.length === 1 ? "number" : changed.length + " numbers"}: changed values are marked. Figures still show the book's numbers.`
      : `Ready (Python started in ${loaded.seconds.toFixed(1)} s). Edit a value in the table of assumptions; every number on the page follows.`) + caveat);
    box.setAttribute("data-casebook-outcome", "recomputed");
    box.setAttribute("data-casebook-recomputed", String(Number(box.getAttribute("data-casebook-recomputed") || 0) + 1));
  };

  let timer = null;
  inputs.forEach((entry) => {
    entry.input.addEventListener("input", () => {
      box.setAttribute("data-casebook-pending", "");  // a recomputation is due (tests wait for it)
      clearTimeout(timer);
      timer = setTimeout(apply, 250);
    });
  });
  copy.addEventListener("click", () => {
    share.select();
    (navigator.clipboard ? navigator.clipboard.writeText(share.value) : Promise.reject())
      .then(() => say("Link copied."), () => say("Select the link and copy it."));
  });
  reset.addEventListener("click", () => {
    inputs.forEach((entry) => { entry.input.value = shownInput(entry.field, entry.field.value); });
    apply();
    tables.forEach((entry) => { entry.table.innerHTML = entry.book; });
  });

  if (shared) {
    for (const part of shared.split(",")) {
      const [name, raw] = part.split(":");
      const entry = inputs.get(name);
      if (entry && raw !== undefined && Number.isFinite(Number(raw))) entry.input.value = shownInput(entry.field, Number(raw));
    }
  }
  apply();
  const first = inputs.values().next().value;
  if (first && !shared) first.input.focus({ preventScroll: true });
}
