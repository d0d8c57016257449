// Appended after the UMD glue (--extern-post-js): when the glue is loaded as
// a classic script or via dynamic import() in a browser or worker, publish the
// factory on globalThis so web/ can find it. Under node (CommonJS) it is
// exported through module.exports by the glue itself.
if (typeof module === 'undefined' && typeof globalThis === 'object') {
  globalThis.createReelrankModule = createReelrankModule;
}
