/**
 * The team key and what it seals (team sync, issue 17: the relay stores and forwards only ciphertext).
 *
 * One 32-byte team key per team project, shared in the invitation link. Two sub-keys are derived from it with
 * HKDF-SHA-256, so no key is used for two purposes: an AES-256-GCM key that seals every Yjs update and presence
 * state, and an HMAC-SHA-256 key that names the relay's rooms. A sealed entry is
 *
 *   [format version: 1 byte][IV: 12 random bytes][ciphertext + 16-byte GCM tag]
 *
 * with the version byte and the space name (`shared`, `coder:<id>`, …) as additional authenticated data: an entry
 * taken from one space's room and replayed into another fails to open, as does one with any byte changed. A random
 * 96-bit IV per message is safe for far more messages than a team writes (NIST SP 800-38D allows 2^32 per key).
 *
 * WebCrypto (`globalThis.crypto.subtle`) only: it is in every browser the app supports and in Node 20.
 */

export const SEALED_FORMAT_VERSION = 1;
export const TEAM_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;

// HKDF's info strings: changing one changes every key derived from it (and so every room name), hence versioned.
const SEAL_KEY_INFO = 'codebench-sync v1 seal';
const ROOM_KEY_INFO = 'codebench-sync v1 room';
const ROOM_NAME_PREFIX = 'codebench-room v1:';

/** A problem opening sealed data, with a message a user can be shown. */
export class SyncCryptoError extends Error {
  override name = 'SyncCryptoError';
}

export interface Sealer {
  /** Encrypts `plain` for `space`; a fresh IV each call, so sealing the same bytes twice gives different entries. */
  seal(plain: Uint8Array, space: string): Promise<Uint8Array>;
  /** Decrypts an entry sealed for `space`; throws SyncCryptoError on a wrong key, another space or any change. */
  open(sealed: Uint8Array, space: string): Promise<Uint8Array>;
  /** The relay's room for a space: 64 lowercase hex characters that reveal neither the space nor the team. */
  roomName(space: string): Promise<string>;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new SyncCryptoError('This browser cannot encrypt (WebCrypto is unavailable; the app must be served over https or from localhost).');
  return s;
}

/**
 * WebCrypto's BufferSource wants bytes over a plain ArrayBuffer; a view over a SharedArrayBuffer (or TypeScript's
 * ArrayBufferLike) is copied, anything else passed as is.
 */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A new team key: 32 random bytes. */
export function newTeamKey(): Uint8Array {
  return randomBytes(TEAM_KEY_BYTES);
}

/** A new team id: 16 random bytes, base64url (22 characters). Not secret; it tells team projects apart locally. */
export function newTeamId(): string {
  return bytesToBase64url(randomBytes(16));
}

function additionalData(space: string): Uint8Array<ArrayBuffer> {
  const name = encoder.encode(space);
  const aad = new Uint8Array(1 + name.length);
  aad[0] = SEALED_FORMAT_VERSION;
  aad.set(name, 1);
  return aad;
}

export async function createSealer(teamKey: Uint8Array): Promise<Sealer> {
  if (!(teamKey instanceof Uint8Array) || teamKey.length !== TEAM_KEY_BYTES) {
    throw new SyncCryptoError(`A team key is ${TEAM_KEY_BYTES} bytes; this one is ${teamKey?.length ?? 0}.`);
  }
  const s = subtle();
  const master = await s.importKey('raw', bufferSource(teamKey), 'HKDF', false, ['deriveKey']);
  // The team key is uniformly random, so HKDF needs no salt (RFC 5869 §3.1); the info strings separate the keys.
  const hkdf = (info: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) });
  const sealKey = await s.deriveKey(hkdf(SEAL_KEY_INFO), master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const roomKey = await s.deriveKey(hkdf(ROOM_KEY_INFO), master, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);

  return {
    async seal(plain, space) {
      const iv = randomBytes(IV_BYTES);
      const cipher = await s.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(space) }, sealKey, bufferSource(plain));
      const sealed = new Uint8Array(HEADER_BYTES + cipher.byteLength);
      sealed[0] = SEALED_FORMAT_VERSION;
      sealed.set(iv, 1);
      sealed.set(new Uint8Array(cipher), HEADER_BYTES);
      return sealed;
    },
    async open(sealed, space) {
      if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES + TAG_BYTES) {
        throw new SyncCryptoError('A synced entry is too short to be sealed data: it was damaged on the way or by the relay.');
      }
      if (sealed[0] !== SEALED_FORMAT_VERSION) {
        throw new SyncCryptoError(`A synced entry is in format ${sealed[0]}, which this version of Codebench does not know: update Codebench.`);
      }
      const iv = sealed.subarray(1, HEADER_BYTES);
      try {
        const plain = await s.decrypt(
          { name: 'AES-GCM', iv: bufferSource(iv), additionalData: additionalData(space) },
          sealKey,
          bufferSource(sealed.subarray(HEADER_BYTES)),
        );
        return new Uint8Array(plain);
      } catch {
        // GCM cannot tell these apart, and should not: any of them means the entry must not be used.
        throw new SyncCryptoError('A synced entry could not be opened: the team key is not the one it was sealed with, or the entry was changed.');
      }
    },
    async roomName(space) {
      const mac = await s.sign('HMAC', roomKey, encoder.encode(ROOM_NAME_PREFIX + space));
      return bytesToHex(new Uint8Array(mac));
    },
  };
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Base64url without padding (RFC 4648 §5): safe in a URL fragment and a JSON string. */
export function bytesToBase64url(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode(...bytes) overflows the call stack on large arrays.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Reads base64url (padding optional; standard base64's + and / accepted too). Throws SyncCryptoError otherwise. */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw new SyncCryptoError('This is not base64url text.');
  }
  const padded = clean.replace(/=+$/, '').padEnd(Math.ceil(clean.replace(/=+$/, '').length / 4) * 4, '=');
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
