/* Figures open full-screen in PhotoSwipe (self-hosted, loaded on the first tap, never before): pinch,
   double-tap or wheel to zoom, drag to pan, arrows between the figures of the page, Esc to close.

   Each figure link (made by casebook/shortcodes.py) carries the figure's natural size in CSS pixels and
   the scale at which its smallest label reaches the readable size (data-casebook-readable). On a phone
   the figure opens at that scale, not shrunk to the screen, so its labels can be read at once and the
   reader pans around it; on a wide screen it opens fitted, which is at least as large. Only the
   variant of the current palette (light or dark) is in the gallery, on a background of that palette. */

const STYLESHEET = new URL("photoswipe/photoswipe.css", import.meta.url).href;
const MODULE = new URL("photoswipe/photoswipe.esm.min.js", import.meta.url).href;

function visibleFigures() {
  return [...document.querySelectorAll("a.casebook-zoom")].filter((link) => link.offsetParent !== null);
}

function slide(link) {
  const img = link.querySelector("img");
  return {
    src: link.href,
    width: Number(link.dataset.width),
    height: Number(link.dataset.height),
    alt: img ? img.alt : "",
    caption: link.dataset.caption || "",
    readable: Number(link.dataset.casebookReadable) || 0,
    element: link,
  };
}

function loadStylesheet() {
  if (document.querySelector(`link[href="${STYLESHEET}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = STYLESHEET;
    sheet.onload = sheet.onerror = () => resolve();
    document.head.append(sheet);
  });
}

async function open(link) {
  const links = visibleFigures();
  const [{ default: PhotoSwipe }] = await Promise.all([import(MODULE), loadStylesheet()]);
  const pswp = new PhotoSwipe({
    dataSource: links.map(slide),
    index: Math.max(0, links.indexOf(link)),
    bgOpacity: 1,
    showHideAnimationType: "fade",
    // Open fitted, or at the readable scale where fitting would shrink the labels below it.
    initialZoomLevel: (zoom) => Math.min(Math.max(zoom.fit, zoom.itemData.readable || 0), Math.max(zoom.fit, 1)),
    secondaryZoomLevel: (zoom) => Math.max(zoom.fit * 2, 1),
    maxZoomLevel: (zoom) => Math.max(zoom.fit * 4, 2),
    imageClickAction: "zoom-or-close",
    tapAction: "toggle-controls",
    doubleTapAction: "zoom",
    closeTitle: "Close (Esc)",
    zoomTitle: "Zoom",
    arrowPrevTitle: "Previous figure",
    arrowNextTitle: "Next figure",
    errorMsg: "This figure could not be loaded.",
  });
  pswp.on("uiRegister", () => {
    pswp.ui.registerElement({
      name: "casebook-caption",
      order: 9,
      isButton: false,
      appendTo: "root",
      onInit: (element) => {
        element.setAttribute("aria-live", "polite");
        pswp.on("change", () => { element.textContent = pswp.currSlide.data.caption; });
      },
    });
  });
  pswp.init();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.casebook-zoom");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  open(link).catch(() => { window.location.href = link.href; });  // no lightbox: show the figure itself
});
