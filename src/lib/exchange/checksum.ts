/**
 * The content checksum of coder and project files: SHA-256 over the file's
 * bytes, written as the document's last field so a reader can check it before
 * parsing anything and without re-serialising what it parsed.
 *
 * The writer takes the canonical text, which ends "\n}\n", and puts
 *   ,\n  "checksum": "sha256:<64 lower-case hex digits>"
 * before that "\n}\n". The digest covers every byte of the (uncompressed) file
 * before the comma that starts the checksum line. Older readers ignore the
 * unknown field, so the format version stays 1. Files written before the
 * checksum have none and are still read, with a warning that damage could not
 * be ruled out.
 */
import { ExchangeError } from './exchange-error';
import { sha256 } from './sha256';

const CLOSING = '\n}\n';
const MARKER = ',\n  "checksum": "sha256:';
const HEX_LENGTH = 64;
const TAIL = MARKER.length + HEX_LENGTH + '"'.length + CLOSING.length;

export type ChecksumStatus = 'verified' | 'absent';

export const DAMAGED_CHECKSUM_MESSAGE =
  'This file is damaged: its checksum does not match its contents, so some bytes changed after Codebench wrote it. Nothing was opened. Use another copy of the file, or ask for a fresh export.';

export const EDITED_CHECKSUM_MESSAGE =
  'This file has a checksum, but it is not where Codebench writes it (the last line before the closing brace), so the file was reformatted or edited after it was written and its contents cannot be checked. Nothing was opened. Use the file as exported, or delete the "checksum" line to open it unchecked.';

export const NO_CHECKSUM_WARNING = 'This file has no checksum (written by an older Codebench), so damage could not be ruled out.';

const encoder = new TextEncoder();
const MARKER_BYTES = encoder.encode(MARKER);

function hex(digest: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 as hex: the browser's own where it offers it (secure contexts only), else ours. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  return hex(subtle ? await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>) : sha256(bytes));
}

/** The canonical text of a coder or project file as bytes, with its checksum as the last field. */
export async function sealExchange(text: string): Promise<Uint8Array> {
  if (!text.endsWith(CLOSING)) throw new Error('sealExchange expects a canonical exchange document ending in "\\n}\\n".');
  const body = encoder.encode(text.slice(0, -CLOSING.length));
  const tail = encoder.encode(`${MARKER}${await sha256Hex(body)}"${CLOSING}`);
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

/** Where the checksum line starts, and the digest it holds, when the bytes end as the writer ends them. */
function findChecksum(bytes: Uint8Array): { at: number; digest: string } | null {
  const at = bytes.length - TAIL;
  if (at < 0) return null;
  for (let i = 0; i < MARKER_BYTES.length; i++) if (bytes[at + i] !== MARKER_BYTES[i]) return null;
  const rest = new TextDecoder().decode(bytes.subarray(at + MARKER_BYTES.length));
  const match = /^([0-9a-f]{64})"\n\}\n$/.exec(rest);
  return match ? { at, digest: match[1] } : null;
}

/**
 * Checks the checksum of a file's (uncompressed) bytes. "absent" when the file
 * ends without one (the caller then checks the parsed document has no
 * "checksum" field elsewhere: see checkChecksumPlacement). Throws ExchangeError
 * when the digest does not match.
 */
export async function verifyChecksum(bytes: Uint8Array): Promise<ChecksumStatus> {
  const found = findChecksum(bytes);
  if (!found) return 'absent';
  if ((await sha256Hex(bytes.subarray(0, found.at))) !== found.digest) throw new ExchangeError(DAMAGED_CHECKSUM_MESSAGE, 'checksum');
  return 'verified';
}

/** A parsed document that names a checksum the bytes did not end with was changed after it was written. */
export function checkChecksumPlacement(data: unknown, status: ChecksumStatus): void {
  if (status === 'absent' && typeof data === 'object' && data !== null && Object.hasOwn(data, 'checksum')) {
    throw new ExchangeError(EDITED_CHECKSUM_MESSAGE, 'checksum');
  }
}
