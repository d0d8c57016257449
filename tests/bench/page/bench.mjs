// The Chromium benchmark page: the shared suite through /web/index.js, plus
// the raw module for the rank breakdown and TF.js (wasm backend).
import { probeMemories } from './probe.mjs';

const memories = probeMemories();
const logEl = document.getElementById('log');
const log = (m) => {
  logEl.textContent += '\n' + m;
  console.log(m);
};

async function main() {
  const { createRanker } = await import('/web/index.js');
  const { packCandidates } = await import('/web/ranker.js');
  const { runSuite } = await import('../suite.mjs');
  // createRanker loaded the UMD glue, which publishes the factory.
  const warm = await createRanker({ embeddingDim: 8, persist: false });
  warm.close();
  const rawModule = await globalThis.createReelrankModule({ locateFile: (p) => '/web/dist/' + p });
  // The bench-only module (a classic script publishes createBenchModule).
  let benchModule = null;
  try {
    await new Promise((ok, fail) => {
      const s = document.createElement('script');
      s.src = '/build/bench-module/bench_module.js';
      s.onload = ok;
      s.onerror = () => fail(new Error('no /build/bench-module/bench_module.js'));
      document.head.appendChild(s);
    });
    benchModule = await globalThis.createBenchModule({ locateFile: (p) => '/build/bench-module/' + p });
  } catch (e) {
    log('bench module not available: ' + e.message);
  }
  let tf = globalThis.tf ?? null;
  if (tf) {
    try {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // single-threaded, like reelrank
      tf.wasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
      await tf.setBackend('wasm');
      await tf.ready();
    } catch (e) {
      log('TF.js wasm backend unavailable: ' + e.message);
      tf = null;
    }
  }
  const quick = new URLSearchParams(location.search).has('quick');
  const t0 = performance.now();
  const res = await runSuite({ createRanker, packCandidates, rawModule, benchModule, tf, env: navigator.userAgent, quick, log });
  res.seconds = Math.round((performance.now() - t0) / 100) / 10;
  res.cross_origin_isolated = globalThis.crossOriginIsolated === true;
  res.wasm_memory_bytes = memories.length ? memories[0].buffer.byteLength : null;
  res.js_heap_used_bytes = performance.memory?.usedJSHeapSize ?? null;
  window.__benchResult = res;
  log('done');
}

main().catch((e) => {
  log('ERROR ' + (e?.stack ?? e));
  window.__benchResult = { error: String(e?.stack ?? e) };
});
