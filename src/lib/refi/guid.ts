/**
 * GUIDs for REFI-QDA. The standard requires every `guid` and `targetGUID` to
 * look like `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (optionally in braces).
 * Codebench ids are often UUIDs already (crypto.randomUUID), which are written
 * as they are; other ids (slugs such as "q-rewards", answer ids) are mapped to
 * a name-based UUID, version 5 (RFC 9562: SHA-1 of a namespace and a name), so
 * the same id always gives the same GUID and export → import → export is
 * stable. SHA-1 is implemented here because crypto.subtle is asynchronous and
 * these are computed by the thousand inside synchronous writers.
 */

/** The namespace of Codebench's name-based GUIDs (itself a random UUID, fixed forever). */
export const CODEBENCH_GUID_NAMESPACE = '6f1c3f0e-3b8a-4d52-9a57-2b8f4c1d7e90';

const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** True when the text has the GUID form the REFI-QDA schemas accept (braces matched or absent). */
export function isGuid(text: string): boolean {
  return GUID.test(text) && text.startsWith('{') === text.endsWith('}');
}

/**
 * A GUID as Codebench keeps it when reading: braces dropped, lower case. REFI
 * files compare GUIDs without regard to case (ATLAS.ti writes upper case, its
 * references sometimes lower), so ids read from files are normalised once.
 */
export function normalizeGuid(guid: string): string {
  return guid.replace(/^\{|\}$/g, '').toLowerCase();
}

// Reused between calls: GUIDs are made by the thousand, and allocation showed up in profiles.
const W = new Int32Array(80);
const TAIL = new Uint8Array(128);

/** SHA-1 of bytes, as 20 bytes. */
export function sha1(data: Uint8Array): Uint8Array {
  const length = data.length;
  const h = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];
  const full = length - (length % 64);
  for (let at = 0; at < full; at += 64) block(h, data, at);
  // The last partial block, the 0x80 marker and the 64-bit bit length, in one or two blocks.
  const rest = length - full;
  const tailLength = rest < 56 ? 64 : 128;
  TAIL.fill(0);
  TAIL.set(data.subarray(full), 0);
  TAIL[rest] = 0x80;
  const bits = length * 8;
  const high = Math.floor(bits / 0x1_0000_0000);
  const low = bits >>> 0;
  TAIL[tailLength - 8] = high >>> 24;
  TAIL[tailLength - 7] = (high >>> 16) & 0xff;
  TAIL[tailLength - 6] = (high >>> 8) & 0xff;
  TAIL[tailLength - 5] = high & 0xff;
  TAIL[tailLength - 4] = low >>> 24;
  TAIL[tailLength - 3] = (low >>> 16) & 0xff;
  TAIL[tailLength - 2] = (low >>> 8) & 0xff;
  TAIL[tailLength - 1] = low & 0xff;
  for (let at = 0; at < tailLength; at += 64) block(h, TAIL, at);
  const out = new Uint8Array(20);
  for (let i = 0; i < 5; i++) {
    out[i * 4] = h[i] >>> 24;
    out[i * 4 + 1] = (h[i] >>> 16) & 0xff;
    out[i * 4 + 2] = (h[i] >>> 8) & 0xff;
    out[i * 4 + 3] = h[i] & 0xff;
  }
  return out;
}

function block(h: number[], d: Uint8Array, at: number) {
  for (let t = 0; t < 16; t++) {
    const i = at + t * 4;
    W[t] = (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3];
  }
  for (let t = 16; t < 80; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    W[t] = (x << 1) | (x >>> 31);
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d2 = h[3];
  let e = h[4];
  for (let t = 0; t < 80; t++) {
    let f: number;
    if (t < 20) f = ((b & c) | (~b & d2)) + 0x5a827999;
    else if (t < 40) f = (b ^ c ^ d2) + 0x6ed9eba1;
    else if (t < 60) f = ((b & c) | (b & d2) | (c & d2)) + 0x8f1bbcdc;
    else f = (b ^ c ^ d2) + 0xca62c1d6;
    const temp = (((a << 5) | (a >>> 27)) + f + e + W[t]) | 0;
    e = d2;
    d2 = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d2) | 0;
  h[4] = (h[4] + e) | 0;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

const encoder = new TextEncoder();
// Namespaces are few; their 16 bytes are parsed once (GUIDs are made by the thousand).
const namespaceBytes = new Map<string, Uint8Array>();

function bytesOf(namespace: string): Uint8Array {
  let bytes = namespaceBytes.get(namespace);
  if (!bytes) {
    const hex = normalizeGuid(namespace).replace(/-/g, '');
    bytes = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
    namespaceBytes.set(namespace, bytes);
  }
  return bytes;
}

/** The name-based UUID (version 5) of `name` in the namespace `namespace` (a UUID). */
export function uuidV5(namespace: string, name: string): string {
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(bytesOf(namespace));
  input.set(nameBytes, 16);
  const hash = sha1(input).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // RFC variant
  const hex = toHex(hash);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The GUID Codebench writes for an id: the id itself when it already is a GUID,
 * otherwise the version-5 UUID of `kind U+001F scope U+001F id`. The kind
 * ("code", "answer"…) keeps a code and a coder with the same slug apart; the
 * scope (the project id in a .qdpx, empty by default in a .qdc) keeps the
 * answer "Q1 · baseline · R001" of one project apart from another's.
 */
export function guidFor(kind: string, id: string, scope = ''): string {
  return isGuid(id) ? id : uuidV5(CODEBENCH_GUID_NAMESPACE, `${kind}\u001f${scope}\u001f${id}`);
}

/**
 * Hands out GUIDs for one document, guaranteeing they are unique within it:
 * REFI references (`targetGUID`) do not say what kind of thing they point at,
 * so a code and a coder that happen to share a UUID id must not share a GUID.
 * A clash is resolved deterministically (a v5 UUID of the clashing GUID).
 */
export class GuidRegistry {
  private readonly used = new Set<string>(); // normalised GUIDs handed out
  private readonly byKind = new Map<string, Map<string, string>>();

  constructor(private readonly scope = '') {}

  /** The GUID of (kind, id); the same pair always gets the same GUID. */
  get(kind: string, id: string): string {
    let ids = this.byKind.get(kind);
    if (!ids) this.byKind.set(kind, (ids = new Map()));
    const known = ids.get(id);
    if (known !== undefined) return known;
    let guid = guidFor(kind, id, this.scope);
    let normal = guid === id ? normalizeGuid(guid) : guid; // v5 GUIDs are already normal
    while (this.used.has(normal)) normal = guid = uuidV5(CODEBENCH_GUID_NAMESPACE, `${kind}\u001f${id}\u001f${normal}`);
    this.used.add(normal);
    ids.set(id, guid);
    return guid;
  }
}
