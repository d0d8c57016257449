// Reads the checkpoint of an exported reelrank profile (format version 1 or
// 2) into plain JS values, in the version-1 shape: { features: [{ name, count,
// sightings, last_seen_ms, negative, negative_ms, z, n }], dense_z, dense_n,
// long_interest, session_interest, seen: [16-hex-digit keys] }.
//
// Version 2 stores floats and bulk integers as base64 of little-endian
// binary and the feature table by columns (core/src/serial.h).

const HEADS = 8;

function bytes(b64) {
  if (typeof Buffer !== 'undefined') {
    const b = Buffer.from(b64, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  const s = atob(b64);
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}
const view = (b64) => {
  const u = bytes(b64);
  return new DataView(u.buffer, u.byteOffset, u.byteLength);
};
export function f32s(b64) {
  const v = view(b64);
  const out = new Array(v.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(4 * i, true);
  return out;
}
function u32s(b64) {
  const v = view(b64);
  const out = new Array(v.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint32(4 * i, true);
  return out;
}
function i64s(b64) {
  const v = view(b64);
  const out = new Array(v.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = Number(v.getBigInt64(8 * i, true));
  return out;
}
function hex64s(b64) {
  const v = view(b64);
  const out = new Array(v.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = v.getBigUint64(8 * i, true).toString(16).padStart(16, '0');
  return out;
}

export function checkpointOf(profileJson) {
  const prof = typeof profileJson === 'string' ? JSON.parse(profileJson) : profileJson;
  const cp = prof.payload.checkpoint;
  if (prof.version === 1) return cp;
  const f = cp.features;
  const count = u32s(f.count);
  const last = i64s(f.last_seen_ms);
  const negMs = i64s(f.negative_ms);
  const sight = f32s(f.sightings);
  const neg = f32s(f.negative);
  const z = f32s(f.z);
  const n = f32s(f.n);
  const features = f.name.map((name, i) => ({
    name,
    count: count[i],
    sightings: sight[i],
    last_seen_ms: last[i],
    negative: neg[i],
    negative_ms: negMs[i],
    z: z.slice(i * HEADS, (i + 1) * HEADS),
    n: n.slice(i * HEADS, (i + 1) * HEADS),
  }));
  return {
    features,
    dense_z: f32s(cp.dense_z),
    dense_n: f32s(cp.dense_n),
    long_interest: f32s(cp.long_interest),
    session_interest: f32s(cp.session_interest),
    seen: hex64s(cp.seen),
  };
}
