// TeX to MathML for the site build (docs/hooks/reader.py), with Temml from node_modules.
// stdin: a JSON list of [tex, display]; stdout: a JSON list of {mathml} or {error}.
import { readFileSync } from "node:fs";
import temml from "temml";

const items = JSON.parse(readFileSync(0, "utf8"));
const out = items.map(([tex, display]) => {
  try {
    return { mathml: temml.renderToString(tex, { displayMode: display, throwOnError: true }) };
  } catch (err) {
    return { error: String(err.message || err) };
  }
});
process.stdout.write(JSON.stringify(out));
