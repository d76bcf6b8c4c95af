/**
 * What kind of project file the start page was given, from its first bytes
 * rather than its name (a .qdpx renamed .zip, a codebook saved as .xml, a
 * backup whose .gz was dropped): a zip is a REFI-QDA project (.qdpx), XML
 * whose root is `<CodeBook>` a REFI-QDA codebook (.qdc), gzip or JSON a
 * Codebench project file. A zip whose first entry is an Office file's
 * (`[Content_Types].xml`, `xl/…`, `word/…`) is a spreadsheet or document picked
 * by mistake, not a .qdpx. Anything else is named, so the message can say what
 * it is not.
 */

export type ProjectFileKind =
  | { kind: 'qdpx' }
  | { kind: 'qdc' }
  | { kind: 'codebench' }
  /** A zip that is an Office file (.xlsx, .docx, .pptx), not a .qdpx: what it is, as far as its first entries tell. */
  | { kind: 'office'; what: 'spreadsheet' | 'document' | 'presentation' | 'office' }
  /** XML with another root: `<Project>` is a bare .qde, anything else not REFI. */
  | { kind: 'xml'; root: string }
  | { kind: 'unknown' };

/** Bytes enough to see past an XML declaration and a comment or two to the root element. */
export const SNIFF_BYTES = 4096;

/** The kind of file these first bytes (SNIFF_BYTES are plenty) start. */
export function sniffProjectFile(head: Uint8Array): ProjectFileKind {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return zipKind(head);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'codebench' };
  let text: string;
  if (head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head.subarray(2));
  else if (head[0] === 0xfe && head[1] === 0xff) text = new TextDecoder('utf-16be').decode(head.subarray(2));
  else text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  text = text.trimStart();
  if (text.startsWith('{')) return { kind: 'codebench' };
  if (!text.startsWith('<')) return { kind: 'unknown' };
  // Past the declaration, processing instructions, comments and a DOCTYPE, the first element is the root.
  for (;;) {
    text = text.trimStart();
    if (text.startsWith('<?')) {
      const end = text.indexOf('?>');
      if (end < 0) return { kind: 'unknown' };
      text = text.slice(end + 2);
    } else if (text.startsWith('<!--')) {
      const end = text.indexOf('-->');
      if (end < 0) return { kind: 'unknown' };
      text = text.slice(end + 3);
    } else if (text.startsWith('<!')) {
      const end = text.indexOf('>');
      if (end < 0) return { kind: 'unknown' };
      text = text.slice(end + 1);
    } else break;
  }
  const root = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text)?.[2];
  if (!root) return { kind: 'unknown' };
  return root === 'CodeBook' ? { kind: 'qdc' } : { kind: 'xml', root };
}

const latin1 = new TextDecoder('latin1');

/**
 * A zip: an Office file when its first entry (the name in the first local file header: its length at bytes
 * 26–27, little-endian, the name from byte 30) is one of an Office package's, else a .qdpx (whose first entry
 * is project.qde or a source, in the tools seen). Which Office file comes from that name, or else from the
 * names of the next entries within the head (stored uncompressed in their headers).
 */
function zipKind(head: Uint8Array): ProjectFileKind {
  if (head[2] !== 3 || head.length < 30) return { kind: 'qdpx' };
  const length = head[26] | (head[27] << 8);
  const first = latin1.decode(head.subarray(30, 30 + length));
  const office = first === '[Content_Types].xml' || /^(xl|word|ppt|docProps|_rels|customXml)\//.test(first);
  if (!office) return { kind: 'qdpx' };
  const names = /^(xl|word|ppt)\//.test(first) ? first : latin1.decode(head);
  if (/(^|[^\w])xl\/\w/.test(names)) return { kind: 'office', what: 'spreadsheet' };
  if (/(^|[^\w])word\/\w/.test(names)) return { kind: 'office', what: 'document' };
  if (/(^|[^\w])ppt\/\w/.test(names)) return { kind: 'office', what: 'presentation' };
  return { kind: 'office', what: 'office' };
}

const PROJECT_FILES = 'a Codebench project file (.codebench.json.gz), a REFI-QDA project (.qdpx) or a REFI-QDA codebook (.qdc)';

/** What to tell someone whose file is none of the kinds the start page opens. */
export function unopenableMessage(found: ProjectFileKind, fileName: string): string {
  const name = `“${fileName}”`;
  if (found.kind === 'xml' && found.root === 'Project')
    return `${name} is a REFI-QDA project.qde on its own. Open the .qdpx file it came in (the zip that also holds its sources).`;
  if (found.kind === 'xml')
    return `${name} is XML, but not a REFI-QDA codebook (its first element is <${found.root}>, not <CodeBook>). Choose a .qdc codebook, a .qdpx project or a Codebench project file.`;
  if (found.kind === 'office' && found.what === 'spreadsheet')
    return `${name} is a spreadsheet (an Excel workbook), not a project file. To import the survey answers in it, use “Import a survey…”; to open a project, choose ${PROJECT_FILES}.`;
  if (found.kind === 'office') {
    const what = found.what === 'document' ? 'a Word document' : found.what === 'presentation' ? 'a PowerPoint presentation' : 'an Office file';
    return `${name} is ${what}, not a project file. Choose ${PROJECT_FILES}; to import survey answers (CSV, TSV or Excel), use “Import a survey…”.`;
  }
  return `${name} is not a project file Codebench can open. Choose ${PROJECT_FILES}; to import survey answers, use “Import a survey…”.`;
}
