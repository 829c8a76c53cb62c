// Boxes that scroll sideways say so. A table, a code block, a display equation or a
// figure wider than its box fades out at each edge that has more to show (extra.css,
// "reader's view"), and a display equation is a tab stop only when it scrolls, so
// that the keyboard can scroll it and skips it otherwise.
//
// Boxes are measured as they near the viewport, never all at once: on a long page
// (the API page) reading every box's width would lay out parts of the page that the
// browser otherwise skips. Display equations, a few per page, are measured at once,
// so that their tab stops are right before the reader first presses Tab.
(function () {
  var BOXES = ".md-typeset__scrollwrap, .wi-math-display, .md-typeset pre > code, " +
    ".md-typeset a.glightbox, .jupyter-wrapper .jp-OutputArea-output pre, " +
    ".jupyter-wrapper .jp-OutputArea-output table, .wi-explorer__tablewrap";
  var near = new Set();

  function mark(box) {
    var extra = box.scrollWidth - box.clientWidth, scrolls = extra > 1;
    var left = scrolls && box.scrollLeft > 1;
    var right = scrolls && box.scrollLeft < extra - 1;
    box.classList.toggle("wi-scrolls", scrolls);
    box.classList.toggle("wi-more-left", left);
    box.classList.toggle("wi-more-right", right);
    if (box.classList.contains("wi-math-display")) {
      if (scrolls) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    }
  }

  function onScroll(ev) { mark(ev.currentTarget); }

  function start() {
    var boxes = document.querySelectorAll(BOXES);
    // What a box holds may change width (the explorer redraws its tables).
    var grown = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { mark(entry.target.parentElement); });
    });
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var inner = entry.target.firstElementChild;
        if (entry.isIntersecting) {
          near.add(entry.target);
          mark(entry.target);
          if (inner) grown.observe(inner);
        } else {
          near.delete(entry.target);
          if (inner) grown.unobserve(inner);
        }
      });
    }, {rootMargin: "100% 0px"});
    boxes.forEach(function (box) {
      box.addEventListener("scroll", onScroll, {passive: true});
      watch.observe(box);
    });
    document.querySelectorAll(".wi-math-display").forEach(mark);
    var pending = false;
    addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        near.forEach(mark);
        document.querySelectorAll(".wi-math-display").forEach(mark);
      });
    });
    // Figures and fonts change widths as they arrive.
    addEventListener("load", function () { near.forEach(mark); });
    if (document.fonts) document.fonts.ready.then(function () { near.forEach(mark); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
