/**
 * REFI-QDA exchange: codebooks (.qdc) and projects (.qdpx) to and from other
 * qualitative analysis tools (NVivo, ATLAS.ti, MAXQDA, QualCoder…). Pure: no
 * Svelte, no Dexie, no DOM (the XML reader is our own), so it runs in a
 * worker. Mapping, offsets and limits: docs/refi-qda.md.
 */
export { RefiError } from './errors';
export { decodeXmlBytes } from './text-decode';
export { readQdc, writeQdc, CODEBOOK_NAMESPACE, type QdcRead, type WriteQdcOptions } from './qdc';
export { readQdpx, writeQdpx, QDPX_MAX_ANSWERS, type QdpxRead, type ReadQdpxOptions, type WriteQdpxOptions } from './qdpx';
export type { RefiReport } from './report';
export type { CodeLike, ThemeLike } from './codes';
export { composeDescription, parseDescription, type CodeTexts } from './description';
export { guidFor, isGuid, normalizeGuid, uuidV5, CODEBENCH_GUID_NAMESPACE } from './guid';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../zip/zip-safety';
export { EXTRAS_FILE, IMPORTED_QUESTION, IMPORTED_WAVE, ANSWER_DETAIL_VARIABLES, DOCUMENT_SET_ATTRIBUTE, CODEBENCH_NVIVO_ORIGIN } from './names';
export { nvivoText, type QdpxOffsets } from './project-to-refi';
export { trimIndentation } from './description';
export { isProgramUser } from './import-people';
export { sniffProjectFile, unopenableMessage, SNIFF_BYTES, type ProjectFileKind } from './sniff';
export { projectFromQdc, projectNameForCodebook, type QdcProjectOptions } from './qdc-project';
