/** Opening a file whose kind is not known yet: a dropped or picked file may be either exchange format. */
import { exchangeText, type ExchangeBytesOptions } from './bytes';
import { coderFileFromData, type CoderFile } from './coder-file';
import { CODER_FORMAT, PROJECT_FORMAT, parseJson, readFormat } from './envelope';
import { projectFileFromData, type ProjectFile } from './project-file';

export type ExchangeDocument =
  | { format: typeof CODER_FORMAT; file: CoderFile }
  | { format: typeof PROJECT_FORMAT; file: ProjectFile };

/** Reads either format from JSON text, by its "format". Throws ExchangeError. */
export function readExchangeText(text: string): ExchangeDocument {
  const data = parseJson(text);
  return readFormat(data) === CODER_FORMAT
    ? { format: CODER_FORMAT, file: coderFileFromData(data) }
    : { format: PROJECT_FORMAT, file: projectFileFromData(data) };
}

/** Reads either format from a file's bytes, gzip-compressed or plain. Throws ExchangeError. */
export function readExchangeBytes(bytes: Uint8Array, options?: ExchangeBytesOptions): ExchangeDocument {
  return readExchangeText(exchangeText(bytes, options));
}
