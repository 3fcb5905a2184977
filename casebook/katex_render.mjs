// Renders TeX to HTML with KaTeX for the build. One JSON request per line on stdin:
//   {"formulas": [{"tex": "...", "display": false}, ...]}
// and one JSON reply per line on stdout: {"results": [{"html": "..."} | {"error": "..."}, ...]}.
// The Python side (casebook/mathtex.py) keeps one process alive for a whole build or serve session.
import { createRequire } from "node:module";
import readline from "node:readline";

const require = createRequire(import.meta.url);
const katex = require("katex");

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let reply;
  try {
    const request = JSON.parse(line);
    reply = {
      results: request.formulas.map(({ tex, display }) => {
        try {
          return {
            html: katex.renderToString(tex, {
              displayMode: Boolean(display),
              throwOnError: true,
              strict: "error",
              output: "htmlAndMathml",
              trust: false,
            }),
          };
        } catch (err) {
          return { error: String(err && err.message ? err.message : err) };
        }
      }),
    };
  } catch (err) {
    reply = { fatal: String(err) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
