/**
 * What kind of project file the start page was given, from its first bytes
 * rather than its name (a .qdpx renamed .zip, a codebook saved as .xml, a
 * backup whose .gz was dropped): a zip is a REFI-QDA project (.qdpx), XML
 * whose root is `<CodeBook>` a REFI-QDA codebook (.qdc), gzip or JSON a
 * Codebench project file. Anything else is named, so the message can say what
 * it is not.
 */

export type ProjectFileKind =
  | { kind: 'qdpx' }
  | { kind: 'qdc' }
  | { kind: 'codebench' }
  /** XML with another root: `<Project>` is a bare .qde, anything else not REFI. */
  | { kind: 'xml'; root: string }
  | { kind: 'unknown' };

/** Bytes enough to see past an XML declaration and a comment or two to the root element. */
export const SNIFF_BYTES = 4096;

/** The kind of file these first bytes (SNIFF_BYTES are plenty) start. */
export function sniffProjectFile(head: Uint8Array): ProjectFileKind {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return { kind: 'qdpx' };
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

/** What to tell someone whose file is none of the kinds the start page opens. */
export function unopenableMessage(found: ProjectFileKind, fileName: string): string {
  const name = `“${fileName}”`;
  if (found.kind === 'xml' && found.root === 'Project')
    return `${name} is a REFI-QDA project.qde on its own. Open the .qdpx file it came in (the zip that also holds its sources).`;
  if (found.kind === 'xml')
    return `${name} is XML, but not a REFI-QDA codebook (its first element is <${found.root}>, not <CodeBook>). Choose a .qdc codebook, a .qdpx project or a Codebench project file.`;
  return `${name} is not a project file Codebench can open. Choose a Codebench project file (.codebench.json.gz), a REFI-QDA project (.qdpx) or a REFI-QDA codebook (.qdc); to import survey answers, use “Import a survey…”.`;
}
