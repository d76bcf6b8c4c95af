/**
 * Helpers for the REFI-QDA tests: where the shared standard material lives
 * (../shared/refi-qda, present on the project's machines; tests that need it
 * skip with a printed notice when it is absent), XSD validation with
 * xmllint-wasm, and small .qdpx archives built in the test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { validateXML } from 'xmllint-wasm';

/** The REFI-QDA folder: $REFI_QDA_DIR, else ../shared/refi-qda next to the repository. */
export const REFI_DIR = process.env.REFI_QDA_DIR ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/refi-qda');
export const HAVE_REFI = existsSync(resolve(REFI_DIR, 'Project.xsd'));

if (!HAVE_REFI) {
  console.warn(`[refi tests] ${REFI_DIR} is absent: XSD validation and vendor-sample tests are skipped.`);
}

export function refiFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(REFI_DIR, name)));
}

/** Validates XML against Project.xsd or Codebook.xsd; returns the error messages (none = valid). */
export async function xsdErrors(xml: string, schema: 'Project.xsd' | 'Codebook.xsd'): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [{ fileName: schema, contents: readFileSync(resolve(REFI_DIR, schema), 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

const encoder = new TextEncoder();

/** A zip of the given files (text is written as UTF-8). */
export function zipOf(files: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) entries[name] = typeof content === 'string' ? encoder.encode(content) : content;
  return zipSync(entries, { level, mtime: new Date(Date.UTC(2024, 0, 1)) });
}

/** A minimal project.qde from another tool, around the given `<Sources>` content and extra sections. */
export function vendorQde(
  sources: string,
  opts: { codes?: string; users?: string; origin?: string; after?: string; cases?: string; variables?: string } = {},
): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Vendor project" origin="${opts.origin ?? 'OtherTool 1.0'}">
  <Users>${opts.users ?? '<User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Vera"/>'}</Users>
  <CodeBook><Codes>${opts.codes ?? '<Code guid="CCCCCCCC-0000-0000-0000-000000000001" name="Topic" isCodable="true" color="#ff0000"/>'}</Codes></CodeBook>
  ${opts.variables ?? ''}${opts.cases ?? ''}
  <Sources>${sources}</Sources>${opts.after ?? ''}
</Project>`;
}

/** A selection coded with the default code by the default user. */
export function codedSelection(start: number, end: number, name?: string, guid = 'EEEEEEEE-0000-0000-0000-000000000001'): string {
  return `<PlainTextSelection guid="${guid}" ${name === undefined ? '' : `name="${name}" `}startPosition="${start}" endPosition="${end}">
    <Coding guid="${guid.replace('EEEEEEEE', 'DDDDDDDD')}" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"><CodeRef targetGUID="CCCCCCCC-0000-0000-0000-000000000001"/></Coding>
  </PlainTextSelection>`;
}

export { patchDeclaredSize } from '../zip/test-support';
