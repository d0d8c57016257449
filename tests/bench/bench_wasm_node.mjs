// wasm benchmarks under node, through web/index.js (plus the raw module for
// the rank breakdown), with the pure-JS and TF.js peers.
//
//   node tests/bench/bench_wasm_node.mjs [--quick] [--no-tfjs] [--out FILE]
//
// Prints progress to stderr and the results as JSON (stdout or FILE).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSuite } from './suite.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const outFile = outIdx >= 0 ? args[outIdx + 1] : null;

// Record every wasm memory instantiated (reelrank's is the first one).
const memories = [];
const origInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...a) {
  const r = await origInstantiate.apply(this, a);
  const inst = r.instance ?? r;
  for (const v of Object.values(inst.exports ?? {})) if (v instanceof WebAssembly.Memory) memories.push(v);
  return r;
};

const webUrl = new URL('../../web/', import.meta.url);
const { createRanker } = await import(new URL('index.js', webUrl));
const { packCandidates } = await import(new URL('ranker.js', webUrl));

// The raw Embind module (a second instance) for the rank breakdown.
const require = createRequire(import.meta.url);
const factory = require(fileURLToPath(new URL('dist/reelrank_core.js', webUrl)));
const rawModule = await factory({ wasmBinary: readFileSync(new URL('dist/reelrank_core.wasm', webUrl)) });

// The bench-only module (tests/bench/CMakeLists.txt under Emscripten), if built.
let benchModule = null;
const bmDir = new URL('../../build/bench-module/', import.meta.url);
try {
  const f = require(fileURLToPath(new URL('bench_module.js', bmDir)));
  benchModule = await f({ wasmBinary: readFileSync(new URL('bench_module.wasm', bmDir)) });
} catch (e) {
  process.stderr.write(`bench module not available: ${e.message}\n`);
}

let tf = null;
if (!args.includes('--no-tfjs')) {
  try {
    tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url));
    wasm.setWasmPaths(dir + '/');
    await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    process.stderr.write(`TF.js wasm backend unavailable in node: ${e.message}\n`);
    tf = null;
  }
}

const t0 = performance.now();
const res = await runSuite({
  createRanker,
  packCandidates,
  rawModule,
  benchModule,
  tf,
  env: `node ${process.version}`,
  quick,
  log: (m) => process.stderr.write(`[node] ${m}\n`),
});
delete res.saved_profile;
// Linear memory of the web/ module instance (it never shrinks: its peak).
res.wasm_memory_bytes = memories.length ? memories[0].buffer.byteLength : null;
res.seconds = Math.round((performance.now() - t0) / 100) / 10;
const text = JSON.stringify(res, null, 1);
if (outFile) writeFileSync(outFile, text);
else process.stdout.write(text + '\n');
