// MathJax 3 is served from this site (assets/mathjax), never from a CDN, and only to
// pages with math: the build adds this script to their content. Material's instant
// navigation runs it again on every such page it swaps in (with its src made absolute);
// the bundle loads once, and each page is typeset on arrival.
// Markdown pages wrap math in .arithmatex (\( \) and \[ \]); notebook pages keep
// Jupyter's $ and $$ inside their rendered-markdown cells.
(function () {
  if (window.MathJax && window.MathJax.startup) {
    // Loaded by an earlier page: typeset the one just swapped in.
    if (MathJax.startup.output.clearCache) MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise();
    return;
  }
  if (window.MathJax) return; // the bundle is loading; its startup typesets the page
  window.MathJax = {
    tex: {
      inlineMath: [["\\(", "\\)"], ["$", "$"]],
      displayMath: [["\\[", "\\]"], ["$$", "$$"]],
      processEscapes: true,
      processEnvironments: true,
    },
    options: {
      // Skip every element that has a class unless it is one of these; classless
      // elements (<p>, <em>) inherit from their parent, so notebook cells typeset.
      ignoreHtmlClass: ".+",
      processHtmlClass: "arithmatex|jp-RenderedMarkdown|jp-MarkdownOutput",
    },
    svg: { fontCache: "global" },
  };
  var bundle = document.createElement("script");
  // This file is javascripts/mathjax.js; the bundle is assets/mathjax/tex-svg-full.js.
  bundle.src = new URL("../assets/mathjax/tex-svg-full.js", document.currentScript.src).href;
  bundle.async = true;
  document.head.appendChild(bundle);
})();
