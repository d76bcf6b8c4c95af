/** Helpers for tests of zip archives built in the test (no binaries committed). */

const encoder = new TextEncoder();

/** Overwrites the declared uncompressed size of every central-directory entry named `name`. */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const nameBytes = encoder.encode(name);
  for (let at = 0; at + 46 < out.length; at++) {
    if (out[at] !== 0x50 || out[at + 1] !== 0x4b || out[at + 2] !== 0x01 || out[at + 3] !== 0x02) continue;
    const nameLength = out[at + 28] | (out[at + 29] << 8);
    const candidate = out.subarray(at + 46, at + 46 + nameLength);
    if (nameLength !== nameBytes.length || !candidate.every((b, i) => b === nameBytes[i])) continue;
    new DataView(out.buffer).setUint32(at + 24, size >>> 0, true);
  }
  return out;
}
