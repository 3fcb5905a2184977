// The layout check of tests/test_browser.py, run in every page: a list of what is cut off or scrolls
// sideways with no cue, each naming the element and its first words (empty when all is well).
() => {
  const problems = [];
  const view = document.documentElement.clientWidth;
  const wide = document.scrollingElement.scrollWidth;
  if (wide > view) problems.push(`the page scrolls sideways (${wide} px in a ${view} px window)`);
  const name = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = [...el.classList].slice(0, 2).map((c) => `.${c}`).join("");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };
  for (const el of document.querySelectorAll(".md-content *")) {
    if (el.clientWidth < 2 || el.scrollWidth <= el.clientWidth + 1) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow === "visible") continue;
    if (overflow === "hidden" || overflow === "clip") {
      problems.push(`${name(el)} cuts ${el.scrollWidth - el.clientWidth} px off`);
    } else if (!el.hasAttribute("data-casebook-more")) {
      problems.push(`${name(el)} scrolls sideways with no cue`);
    }
  }
  return problems;
}
