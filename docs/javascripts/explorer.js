/* The explorer page (explorer/): reads the build's JSON data and draws it as plain SVG.
   No numerics happen here: every number shown is read from the data files written by
   weightinit_site.explorer at build time. This script only picks, formats and draws. */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const NAMES = ["scheme", "activation", "depth", "width"];
  const cache = new Map();
  let phase = null;
  let token = 0;

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // Numbers as text: the data hold 4 significant digits already.
  function fmt(v) {
    if (v === null || v === undefined) return "not finite";
    if (v === 0) return "0";
    const a = Math.abs(v);
    return a >= 1e-3 && a < 1e5 ? String(v) : v.toExponential().replace("e+", "e");
  }

  // Scales and gains are stored with 6 digits; 4 are enough to read.
  function short(v) {
    return fmt(Number(v.toPrecision(4)));
  }

  function tickLabel(v) {
    if (v === 0) return "0";
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(v) : v.toExponential().replace("e+", "e");
  }

  function fetchJSON(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.json();
      }).catch((e) => { cache.delete(url); throw e; }));
    }
    return cache.get(url);
  }

  // ------------------------------------------------------------------ charts

  function frame(box, width, height, title) {
    box.textContent = "";
    const svg = el("svg", {
      viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title,
      class: "wi-explorer__svg", preserveAspectRatio: "xMidYMid meet",
    }, box);
    el("title", {}, svg, title);
    return svg;
  }

  function niceStep(span, count) {
    const raw = span / count;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  // One or more series over layers 1..n; log y when the positive values span decades.
  function lineChart(box, series, opts) {
    const W = 380, H = 250, L = 62, R = 10, T = 12, B = 40;
    const svg = frame(box, W, H, opts.title);
    const n = opts.layers;
    const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
    const positive = values.filter((v) => v > 0);
    const zeros = values.some((v) => v <= 0);
    const log = positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 10 && !values.some((v) => v < 0);
    let lo, hi, ticks = [];
    if (log) {
      lo = Math.floor(Math.log10(Math.min(...positive)));
      hi = Math.ceil(Math.log10(Math.max(...positive)));
      if (hi === lo) hi += 1;
      const step = Math.max(1, Math.ceil((hi - lo) / 6));
      for (let e = lo; e <= hi; e += step) ticks.push(e);
    } else {
      lo = Math.min(0, ...values);
      hi = Math.max(...values, lo === 0 ? 1e-300 : lo);
      if (hi === lo) hi = lo + 1;
      const step = niceStep(hi - lo, 5);
      lo = Math.floor(lo / step) * step;
      hi = Math.ceil(hi / step) * step;
      for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(6)));
    }
    const x = (i) => L + (n === 1 ? (W - L - R) / 2 : ((i - 1) / (n - 1)) * (W - L - R));
    const y = (v) => {
      const t = log ? (Math.log10(v) - lo) / (hi - lo) : (v - lo) / (hi - lo);
      return H - B - t * (H - B - T);
    };
    const grid = el("g", { class: "wi-explorer__grid" }, svg);
    for (const t of ticks) {
      const yy = y(log ? Math.pow(10, t) : t);
      el("line", { x1: L, x2: W - R, y1: yy, y2: yy }, grid);
      el("text", { x: L - 6, y: yy + 4, "text-anchor": "end", class: "wi-explorer__tick" }, svg,
        log ? `1e${t}` : tickLabel(t));
    }
    const xstep = n <= 12 ? 1 : niceStep(n, 8);
    for (let i = 1; i <= n; i++) {
      if (i === 1 || i % xstep === 0) {
        el("text", { x: x(i), y: H - B + 16, "text-anchor": "middle", class: "wi-explorer__tick" }, svg, String(i));
      }
    }
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "wi-explorer__axis" }, svg);
    el("line", { x1: L, x2: L, y1: T, y2: H - B, class: "wi-explorer__axis" }, svg);
    el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "wi-explorer__label" }, svg, "layer");
    el("text", { x: 12, y: (T + H - B) / 2, "text-anchor": "middle", class: "wi-explorer__label",
      transform: `rotate(-90 12 ${(T + H - B) / 2})` }, svg, opts.ylabel + (log ? " (log scale)" : ""));
    series.forEach((s, k) => {
      const pts = s.values.map((v, i) => [i + 1, v]).filter(([, v]) => v !== null && (!log || v > 0));
      const cls = `wi-explorer__series wi-explorer__series--${k}`;
      if (pts.length > 1) {
        el("polyline", { points: pts.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "), class: cls }, svg);
      }
      for (const [i, v] of pts) {
        el("circle", { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: n > 20 ? 2 : 3, class: cls }, svg);
      }
    });
    if (log && zeros) {
      el("text", { x: W - R, y: T + 10, "text-anchor": "end", class: "wi-explorer__note" }, svg,
        "zeros not drawn (log scale)");
    }
  }

  function pickLayers(available, depth) {
    const ok = available.filter((l) => l <= depth);
    if (ok.length <= 4) return ok;
    const pick = [0, Math.round((ok.length - 1) / 3), Math.round((2 * (ok.length - 1)) / 3), ok.length - 1];
    return [...new Set(pick.map((i) => ok[i]))];
  }

  function histograms(box, doc, depth) {
    box.textContent = "";
    const layers = pickLayers(Object.keys(doc.histograms).map(Number).sort((a, b) => a - b), depth);
    for (const layer of layers) {
      const h = doc.histograms[String(layer)];
      const W = 200, H = 130, L = 8, R = 8, T = 24, B = 28;
      const cell = document.createElement("div");
      cell.className = "wi-explorer__hist";
      box.appendChild(cell);
      const svg = frame(cell, W, H, `Histogram of layer ${layer}'s activations, from ${fmt(h.lo)} to ${fmt(h.hi)}`);
      const top = Math.max(...h.p) || 1;
      const bw = (W - L - R) / h.p.length;
      // All bars in one path: one element per histogram.
      const bars = h.p.map((p, i) => {
        const bh = (p / top) * (H - T - B);
        return bh > 0 ? `M${(L + i * bw).toFixed(1)} ${(H - B).toFixed(1)}v${(-bh).toFixed(1)}h${Math.max(bw - 0.5, 0.5).toFixed(1)}v${bh.toFixed(1)}z` : "";
      }).join("");
      if (bars) el("path", { d: bars, class: "wi-explorer__bar" }, svg);
      el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "wi-explorer__axis" }, svg);
      el("text", { x: W / 2, y: 15, "text-anchor": "middle", class: "wi-explorer__label" }, svg, `layer ${layer}`);
      el("text", { x: L, y: H - B + 16, "text-anchor": "start", class: "wi-explorer__tick" }, svg, fmt(h.lo));
      el("text", { x: W - R, y: H - B + 16, "text-anchor": "end", class: "wi-explorer__tick" }, svg, fmt(h.hi));
    }
  }

  function phaseDiagram(box, caption, doc) {
    if (doc.activation !== "tanh") {
      box.textContent = "";
      box.hidden = true;
      caption.textContent = "The order-to-chaos phase diagram is drawn for tanh: choose tanh to see it.";
      return;
    }
    box.hidden = false;
    const W = 460, H = 240, L = 44, R = 12, T = 12, B = 40;
    const sw = phase.sigma_w, sb = phase.sigma_b;
    const x0 = sw[0], x1 = sw[sw.length - 1], y0 = sb[0], y1 = sb[sb.length - 1];
    const dx = (x1 - x0) / (sw.length - 1), dy = (y1 - y0) / (sb.length - 1);
    const x = (v) => L + ((v - x0 + dx / 2) / (x1 - x0 + dx)) * (W - L - R);
    const y = (v) => H - B - ((v - y0 + dy / 2) / (y1 - y0 + dy)) * (H - B - T);
    const svg = frame(box, W, H, "Order-to-chaos phase diagram of tanh networks");
    // One path per phase and shade (10 shades, stronger away from chi_1 = 1 on a log
    // scale, clipped): a few elements instead of one per cell.
    const shapes = new Map();
    phase.chi_1.forEach((row, j) => row.forEach((c, i) => {
      const level = Math.round(10 * Math.min(1, Math.abs(Math.log(c)) / 1.5));
      const key = `${c < 1 ? "ordered" : "chaotic"} ${level}`;
      const x1c = x(sw[i] - dx / 2), y1c = y(sb[j] + dy / 2);
      const w = x(sw[i] + dx / 2) - x1c + 0.3, h = y(sb[j] - dy / 2) - y1c + 0.3;
      shapes.set(key, (shapes.get(key) || "") + `M${x1c.toFixed(1)} ${y1c.toFixed(1)}h${w.toFixed(1)}v${h.toFixed(1)}h${(-w).toFixed(1)}z`);
    }));
    const cells = el("g", {}, svg);
    for (const [key, d] of shapes) {
      const [kind, level] = key.split(" ");
      el("path", { d, class: `wi-explorer__${kind}`, "fill-opacity": (0.15 + 0.06 * Number(level)).toFixed(2) }, cells);
    }
    el("polyline", { points: phase.critical.filter(([w, b]) => w <= x1 && b <= y1).map(([w, b]) => `${x(w).toFixed(1)},${y(b).toFixed(1)}`).join(" "),
      class: "wi-explorer__critical" }, svg);
    for (let t = 0.5; t <= x1 + 1e-9; t += 0.5) {
      el("text", { x: x(t), y: H - B + 16, "text-anchor": "middle", class: "wi-explorer__tick" }, svg, String(t));
    }
    for (const t of [0, 0.5, 1]) {
      el("text", { x: L - 6, y: y(t) + 4, "text-anchor": "end", class: "wi-explorer__tick" }, svg, String(t));
    }
    el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "wi-explorer__label" }, svg, "σ_w (weight scale)");
    el("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", class: "wi-explorer__label",
      transform: `rotate(-90 14 ${(T + H - B) / 2})` }, svg, "σ_b");
    el("text", { x: x(0.75), y: T + 14, "text-anchor": "middle", class: "wi-explorer__label" }, svg, "ordered");
    el("text", { x: x(3), y: T + 14, "text-anchor": "middle", class: "wi-explorer__label" }, svg, "chaotic");
    const s = doc.sigma_w;
    const inside = s >= x0 && s <= x1;
    const mx = x(Math.min(Math.max(s, x0), x1));
    el("circle", { cx: mx.toFixed(1), cy: y(0).toFixed(1), r: 7, class: "wi-explorer__marker" }, svg);
    const left = mx < W / 2;
    el("text", { x: left ? mx - 8 : mx + 8, y: y(0) - 14, "text-anchor": left ? "start" : "end",
      class: "wi-explorer__label wi-explorer__marklabel" }, svg,
      `σ_w = ${short(s)}${inside ? "" : left ? " ←" : " →"}`);
    caption.textContent = `The tanh order-to-chaos phase diagram (mean-field χ₁ < 1 ordered, > 1 chaotic; the line is χ₁ = 1). ` +
      `The chosen weights have σ_w = ${short(s)} and zero biases` +
      (inside ? "." : `, off the chart to the ${s < x0 ? "left" : "right"}; the marker sits at the edge.`);
  }

  // The Jacobian's spectrum at one depth: a histogram of log10 of the singular values
  // (bins centred on multiples of the bin width), a separate bar for the zeros.
  function jacobianChart(box, caption, doc, depth, bin) {
    const s = doc.jacobian[String(depth)];
    const W = 460, H = 220, L = 14, R = 14, T = 26, B = 40, Z = 44;
    const svg = frame(box, W, H, `Histogram of the singular values of the Jacobian of ${depth} layer${depth > 1 ? "s" : ""}`);
    const nb = s.p.length;
    // Decades shown: the bins' span, widened to whole decades and to include 1 (10^0).
    let lo = Math.floor(Math.min(0, nb ? s.lo - bin / 2 : -1));
    let hi = Math.ceil(Math.max(0, nb ? s.lo + (nb - 0.5) * bin : 1));
    if (hi - lo < 2) { lo -= 1; hi += 1; }
    const x0 = L + (s.zero > 0 ? Z : 0);
    const x = (v) => x0 + ((v - lo) / (hi - lo)) * (W - R - x0);
    const top = Math.max(s.zero, ...s.p) || 1;
    const h = (p) => (p / top) * (H - T - B);
    const grid = el("g", { class: "wi-explorer__grid" }, svg);
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    for (let e = lo; e <= hi; e += step) {
      el("line", { x1: x(e), x2: x(e), y1: T, y2: H - B }, grid);
      el("text", { x: x(e), y: H - B + 16, "text-anchor": "middle", class: "wi-explorer__tick" }, svg, e === 0 ? "1" : `1e${e}`);
    }
    s.p.forEach((p, i) => {
      if (p <= 0) return;
      const c = s.lo + i * bin;
      const bh = h(p);
      el("rect", { x: x(c - bin / 2).toFixed(1), y: (H - B - bh).toFixed(1),
        width: Math.max(x(c + bin / 2) - x(c - bin / 2) - 0.5, 0.8).toFixed(1), height: bh.toFixed(1),
        class: "wi-explorer__bar" }, svg);
    });
    if (s.zero > 0) {
      const bh = h(s.zero);
      el("rect", { x: L, y: (H - B - bh).toFixed(1), width: Z - 12, height: bh.toFixed(1), class: "wi-explorer__bar wi-explorer__zero" }, svg);
      el("text", { x: L + (Z - 12) / 2, y: H - B + 16, "text-anchor": "middle", class: "wi-explorer__tick" }, svg, "0");
    }
    el("line", { x1: x(0), x2: x(0), y1: T - 6, y2: H - B, class: "wi-explorer__critical" }, svg);
    el("text", { x: x(0), y: T - 10, "text-anchor": "middle", class: "wi-explorer__label" }, svg, "σ = 1");
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "wi-explorer__axis" }, svg);
    el("text", { x: (x0 + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "wi-explorer__label" }, svg,
      "singular value σ (log scale)");
    caption.textContent = `Singular values of the input–output Jacobian of the ${depth} layer${depth > 1 ? "s" : ""}, ` +
      `at ${doc.n_jacobian} input${doc.n_jacobian > 1 ? "s" : ""} (${s.n} values), as shares of all of them; ` +
      "bars scaled to the tallest. The dashed line marks σ = 1, where a dynamically isometric network has them all.";
  }

  const QUANTILE_NAMES = ["smallest", "10 %", "25 %", "median", "75 %", "90 %", "largest"];

  function jacobianTable(tbody, doc, depth) {
    const s = doc.jacobian[String(depth)];
    const rows = s.q.map((v, i) => [`${QUANTILE_NAMES[i]} singular value`, fmt(v)]);
    rows.push(["mean squared singular value", fmt(s.ms)]);
    rows.push(["share counted as zero", `${Number((100 * s.zero).toPrecision(4))} %`]);
    rows.push(["singular values (inputs × width)", `${s.n} (${doc.n_jacobian} × ${doc.width})`]);
    tbody.replaceChildren(...rows.map(([k, v]) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = k;
      const td = document.createElement("td");
      td.textContent = v;
      tr.append(th, td);
      return tr;
    }));
  }

  function table(tbody, doc, depth) {
    const grads = doc.grad_std[String(depth)];
    const rows = doc.layers.slice(0, depth).map(([m, s, f], i) => {
      const tr = document.createElement("tr");
      for (const text of [String(i + 1), fmt(m), fmt(s), fmt(grads[i]), `${f} %`]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      }
      return tr;
    });
    tbody.replaceChildren(...rows);
  }

  // ---------------------------------------------------------------- settings

  function settings(form) {
    return Object.fromEntries(NAMES.map((n) => [n, form.elements[n].value]));
  }

  function fromHash(form) {
    const params = new URLSearchParams(location.hash.slice(1));
    let changed = false;
    for (const n of NAMES) {
      const v = params.get(n);
      const select = form.elements[n];
      if (v !== null && [...select.options].some((o) => o.value === v) && select.value !== v) {
        select.value = v;
        changed = true;
      }
    }
    return changed;
  }

  function toHash(s) {
    return "#" + new URLSearchParams(s).toString();
  }

  async function draw(root) {
    const form = root.querySelector("#explorer-form");
    const status = root.querySelector("#explorer-status");
    const s = settings(form);
    const mine = ++token;
    const base = new URL("data/", location.href.split("#")[0]);
    try {
      const [doc, ph] = await Promise.all([
        fetchJSON(new URL(`${s.scheme}/${s.activation}-${s.width}.json`, base).href),
        fetchJSON(new URL("phase.json", base).href),
      ]);
      if (mine !== token) return;
      phase = ph;
      const depth = Number(s.depth);
      // The charts at the top and the table first, the rest in later tasks: no long
      // task blocks input while the page draws. drawMs sums the drawing time itself.
      const steps = [
        () => {
          lineChart(root.querySelector("#explorer-std"), [{ values: doc.layers.slice(0, depth).map((r) => r[1]) }],
            { layers: depth, title: "Standard deviation of the activations per layer", ylabel: "std of activations" });
          lineChart(root.querySelector("#explorer-grad"), [{ values: doc.grad_std[String(depth)] }],
            { layers: depth, title: "Standard deviation of the gradient per layer", ylabel: "grad std" });
          table(root.querySelector("#explorer-table tbody"), doc, depth);
        },
        () => histograms(root.querySelector("#explorer-hist"), doc, depth),
        () => {
          jacobianChart(root.querySelector("#explorer-jacobian"), root.querySelector("#explorer-jacobian-caption"), doc, depth, doc.jacobian_bin);
          jacobianTable(root.querySelector("#explorer-jacobian-table tbody"), doc, depth);
        },
        () => phaseDiagram(root.querySelector("#explorer-phase"), root.querySelector("#explorer-phase-caption"), doc),
      ];
      let spent = 0;
      for (const [i, step] of steps.entries()) {
        if (i) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (mine !== token) return;
        }
        const t0 = performance.now();
        step();
        spent += performance.now() - t0;
      }
      root.dataset.drawn = toHash(s);
      root.dataset.drawMs = spent.toFixed(1);
      status.textContent = `${s.scheme}, ${s.activation}, ${depth} layer${depth > 1 ? "s" : ""} of ${s.width} units. ` +
        `Gain ${short(doc.gain)} (${doc.gain_source}), σ_w = ${short(doc.sigma_w)}; ` +
        `gradients over ${doc.n_grad} samples.`;
    } catch (e) {
      if (mine === token) status.textContent = `Could not load the data: ${e.message}`;
    }
  }

  function init() {
    const root = document.getElementById("explorer");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    const form = root.querySelector("#explorer-form");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", () => {
      const hash = toHash(settings(form));
      if (location.hash !== hash) history.pushState(null, "", hash);
      draw(root);
    });
    fromHash(form);
    history.replaceState(history.state, "", toHash(settings(form)));
    draw(root);
  }

  // Back and forward between settings: the hash changes, the page stays. A hash
  // naming a setting the explorer does not have gives way to what it shows.
  function onHistory() {
    const root = document.getElementById("explorer");
    if (!root || !root.dataset.ready) return;
    const form = root.querySelector("#explorer-form");
    fromHash(form);
    const hash = toHash(settings(form));
    if (location.hash !== hash) history.replaceState(history.state, "", hash);
    draw(root);
  }
  window.addEventListener("popstate", onHistory);
  window.addEventListener("hashchange", onHistory);

  if (typeof window.document$ !== "undefined") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
