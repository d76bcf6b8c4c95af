/** Opening a file whose kind is not known yet: a dropped or picked file may be either exchange format. */
import { decodeExchange, exchangeData, type ExchangeBytesOptions } from './bytes';
import { checkChecksumPlacement, verifyChecksum, type ChecksumStatus } from './checksum';
import { coderFileFromData, type CoderFile } from './coder-file';
import { CODER_FORMAT, PROJECT_FORMAT, parseJson, readFormat } from './envelope';
import { projectFileFromData, type ProjectFile } from './project-file';

export type ExchangeDocument = { format: typeof CODER_FORMAT; file: CoderFile } | { format: typeof PROJECT_FORMAT; file: ProjectFile };

/** A document read from a file, and whether its checksum was there to check. */
export type CheckedExchangeDocument = ExchangeDocument & { checksum: ChecksumStatus };

function documentOf(data: unknown): ExchangeDocument {
  return readFormat(data) === CODER_FORMAT
    ? { format: CODER_FORMAT, file: coderFileFromData(data) }
    : { format: PROJECT_FORMAT, file: projectFileFromData(data) };
}

/** Reads either format from JSON text, by its "format". Throws ExchangeError. No checksum check: see readExchangeBytes. */
export function readExchangeText(text: string): ExchangeDocument {
  return documentOf(parseJson(text));
}

/**
 * Reads either format from a file's bytes, gzip-compressed or plain: the gzip
 * trailer and the file's checksum are checked before anything is parsed.
 * Throws ExchangeError.
 */
export async function readExchangeBytes(bytes: Uint8Array, options?: ExchangeBytesOptions): Promise<CheckedExchangeDocument> {
  const data = exchangeData(bytes, options);
  const checksum = await verifyChecksum(data);
  const parsed = parseJson(decodeExchange(data));
  checkChecksumPlacement(parsed, checksum);
  return { ...documentOf(parsed), checksum };
}
