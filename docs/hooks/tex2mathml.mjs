// TeX to MathML for the site build (docs/hooks/mathml.py), with Temml from node_modules.
// One process serves the whole build: each line of stdin is a JSON list of [tex, display];
// for each, one line of stdout is a JSON list of {mathml} or {error}.
import { createInterface } from "node:readline";
import temml from "temml";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const out = JSON.parse(line).map(([tex, display]) => {
    try {
      return { mathml: temml.renderToString(tex, { displayMode: display, throwOnError: true }) };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify(out) + "\n");
}
