// Records every WebAssembly.Memory instantiated after this call (reelrank's
// module is the first one the pages instantiate), to read its size (linear
// memory never shrinks, so its size is the peak).
export function probeMemories() {
  const memories = [];
  const grab = (r) => {
    const inst = r?.instance ?? r;
    for (const v of Object.values(inst?.exports ?? {})) if (v instanceof WebAssembly.Memory) memories.push(v);
    return r;
  };
  const inst = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...a) {
    return inst.apply(this, a).then(grab);
  };
  const stream = WebAssembly.instantiateStreaming;
  if (stream) {
    WebAssembly.instantiateStreaming = function (...a) {
      return stream.apply(this, a).then(grab);
    };
  }
  return memories;
}
