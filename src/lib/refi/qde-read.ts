/**
 * The XML of a `project.qde` → RefiProject. Reads what Codebench can keep
 * (users, the codebook, variables, cases, text sources with their selections
 * and codings, notes, links, sets) and counts what it cannot (pictures, audio,
 * video, PDF page regions, graphs…) so the import can say so. A PDF source's
 * plain-text representation is read as a text source: its text selections are
 * ordinary text selections.
 *
 * Lenient where files from real tools differ harmlessly (GUID case and braces,
 * a missing optional attribute), strict where guessing would corrupt data (a
 * selection without numeric positions is counted as unreadable, not guessed).
 */
import { RefiError } from './errors';
import { normalizeGuid, uuidV5, CODEBENCH_GUID_NAMESPACE } from './guid';
import type {
  RefiCase,
  RefiCode,
  RefiCoding,
  RefiLink,
  RefiNote,
  RefiProject,
  RefiSelection,
  RefiSet,
  RefiTextSource,
  RefiVariable,
  RefiVariableType,
  RefiVariableValue,
  Unsupported,
} from './refi-model';
import { childNamed, childText, childrenNamed, type XmlElement } from './xml-reader';

/** Kinds of content counted in `Unsupported`, as [one, many] for the report. */
export const UNSUPPORTED_WORDS: Record<string, [string, string]> = {
  picture: ['picture source (image)', 'picture sources (images)'],
  audio: ['audio source', 'audio sources'],
  video: ['video source', 'video sources'],
  pdf: ['PDF source without a plain-text representation', 'PDF sources without a plain-text representation'],
  pdfRegion: ['PDF region selection (an area of a page)', 'PDF region selections (areas of a page)'],
  mediaSelection: ['selection in a picture, audio or video source', 'selections in picture, audio or video sources'],
  mediaCoding: ['coding of a picture, audio, video or PDF region', 'codings of pictures, audio, video or PDF regions'],
  transcript: ['transcript of audio or video', 'transcripts of audio or video'],
  graph: ['graph (network view)', 'graphs (network views)'],
  badSelection: ['text selection with missing or malformed positions', 'text selections with missing or malformed positions'],
  caseCoding: ['coding of a whole case', 'codings of whole cases'],
  caseSelection: ['selection reference in a case', 'selection references in cases'],
};

const TYPES: readonly RefiVariableType[] = ['Text', 'Boolean', 'Integer', 'Float', 'Date', 'DateTime'];
const VALUE_ELEMENTS = ['TextValue', 'BooleanValue', 'IntegerValue', 'FloatValue', 'DateValue', 'DateTimeValue'];
const INTEGER = /^\s*[+-]?\d+\s*$/;

export interface QdeRead {
  project: RefiProject;
  unsupported: Unsupported;
}

/** Reads a parsed `.qde` document. Throws RefiError when the root is not a REFI-QDA project. */
export function readQdeTree(root: XmlElement): QdeRead {
  if (root.name === 'CodeBook') throw new RefiError('This is a REFI-QDA codebook (.qdc), not a project: import it as a codebook.');
  if (root.name !== 'Project') throw new RefiError(`This is not a REFI-QDA project: its root element is <${root.name}>, not <Project>.`);
  return new QdeReader().read(root);
}

/** The `<Code>` children of a `<Codes>` element (a project's or a codebook's) as a tree. */
export function readCodeTree(codes: XmlElement): RefiCode[] {
  return new QdeReader().codes(codes);
}

class QdeReader {
  readonly unsupported: Unsupported = new Map();
  private synthetic = 0;

  count(kind: string, n = 1) {
    if (n > 0) this.unsupported.set(kind, (this.unsupported.get(kind) ?? 0) + n);
  }

  /** A GUID attribute, normalised; a deterministic stand-in when a tool left it out. */
  guid(el: XmlElement, attr = 'guid'): string {
    const value = el.attrs.get(attr)?.trim();
    if (value) return normalizeGuid(value);
    return uuidV5(CODEBENCH_GUID_NAMESPACE, `missing-guid\u001f${el.name}\u001f${this.synthetic++}`);
  }

  refs(el: XmlElement, name: string): string[] {
    return childrenNamed(el, name)
      .map((r) => r.attrs.get('targetGUID')?.trim())
      .filter((g): g is string => !!g)
      .map(normalizeGuid);
  }

  read(root: XmlElement): QdeRead {
    const project: RefiProject = {
      name: root.attrs.get('name') ?? '',
      origin: root.attrs.get('origin'),
      creatingUserGuid: opt(root.attrs.get('creatingUserGUID'), normalizeGuid),
      creationDateTime: root.attrs.get('creationDateTime'),
      modifiedDateTime: root.attrs.get('modifiedDateTime'),
      users: [],
      codes: [],
      variables: [],
      cases: [],
      sources: [],
      notes: [],
      links: [],
      sets: [],
      noteRefs: this.refs(root, 'NoteRef'),
    };
    for (const section of root.children) {
      switch (section.name) {
        case 'Users':
          project.users = childrenNamed(section, 'User').map((u) => ({ guid: this.guid(u), name: u.attrs.get('name'), id: u.attrs.get('id') }));
          break;
        case 'CodeBook': {
          const codes = childNamed(section, 'Codes');
          if (codes) project.codes = this.codes(codes);
          break;
        }
        case 'Variables':
          project.variables = childrenNamed(section, 'Variable').map((v) => this.variable(v));
          break;
        case 'Cases':
          project.cases = childrenNamed(section, 'Case').map((c) => this.case(c));
          break;
        case 'Sources':
          for (const s of section.children) this.source(s, project.sources);
          break;
        case 'Notes':
          project.notes = childrenNamed(section, 'Note').map((n) => this.note(n));
          break;
        case 'Links':
          project.links = childrenNamed(section, 'Link').map((l) => this.link(l));
          break;
        case 'Sets':
          project.sets = childrenNamed(section, 'Set').map((s) => this.set(s));
          break;
        case 'Graphs':
          this.count('graph', childrenNamed(section, 'Graph').length);
          break;
        default:
          break; // Description, NoteRef (read above)
      }
    }
    return { project, unsupported: this.unsupported };
  }

  codes(parent: XmlElement): RefiCode[] {
    return childrenNamed(parent, 'Code').map((c) => ({
      guid: this.guid(c),
      name: c.attrs.get('name') ?? '',
      isCodable: c.attrs.get('isCodable') !== 'false' && c.attrs.get('isCodable') !== '0',
      color: c.attrs.get('color'),
      description: opt(childNamed(c, 'Description')?.text),
      noteRefs: this.refs(c, 'NoteRef'),
      children: this.codes(c),
    }));
  }

  variable(v: XmlElement): RefiVariable {
    const type = v.attrs.get('typeOfVariable') as RefiVariableType | undefined;
    return {
      guid: this.guid(v),
      name: v.attrs.get('name') ?? '',
      type: type && TYPES.includes(type) ? type : 'Text',
      description: opt(childNamed(v, 'Description')?.text),
    };
  }

  values(el: XmlElement): RefiVariableValue[] {
    const out: RefiVariableValue[] = [];
    for (const vv of childrenNamed(el, 'VariableValue')) {
      const ref = childNamed(vv, 'VariableRef')?.attrs.get('targetGUID')?.trim();
      if (!ref) continue;
      const valueEl = vv.children.find((c) => VALUE_ELEMENTS.includes(c.name));
      out.push({ variableGuid: normalizeGuid(ref), value: valueEl?.text ?? '' });
    }
    return out;
  }

  case(c: XmlElement): RefiCase {
    this.count('caseCoding', childrenNamed(c, 'CodeRef').length);
    this.count('caseSelection', childrenNamed(c, 'SelectionRef').length);
    return {
      guid: this.guid(c),
      name: c.attrs.get('name'),
      description: opt(childNamed(c, 'Description')?.text),
      values: this.values(c),
      sourceRefs: this.refs(c, 'SourceRef'),
    };
  }

  coding(el: XmlElement): RefiCoding | undefined {
    const code = childNamed(el, 'CodeRef')?.attrs.get('targetGUID')?.trim();
    if (!code) return undefined;
    return {
      guid: this.guid(el),
      codeGuid: normalizeGuid(code),
      creatingUser: opt(el.attrs.get('creatingUser'), normalizeGuid),
      creationDateTime: el.attrs.get('creationDateTime'),
      noteRefs: this.refs(el, 'NoteRef'),
    };
  }

  codings(el: XmlElement): RefiCoding[] {
    return childrenNamed(el, 'Coding')
      .map((c) => this.coding(c))
      .filter((c): c is RefiCoding => c !== undefined);
  }

  selection(el: XmlElement): RefiSelection | undefined {
    const start = el.attrs.get('startPosition');
    const end = el.attrs.get('endPosition');
    if (start === undefined || end === undefined || !INTEGER.test(start) || !INTEGER.test(end)) {
      this.count('badSelection');
      return undefined;
    }
    return {
      guid: this.guid(el),
      name: el.attrs.get('name'),
      description: opt(childNamed(el, 'Description')?.text),
      start: Number(start),
      end: Number(end),
      creatingUser: opt(el.attrs.get('creatingUser'), normalizeGuid),
      creationDateTime: el.attrs.get('creationDateTime'),
      codings: this.codings(el),
      noteRefs: this.refs(el, 'NoteRef'),
    };
  }

  textSource(el: XmlElement, kind: RefiTextSource['kind']): RefiTextSource {
    const content = childNamed(el, 'PlainTextContent');
    return {
      guid: this.guid(el),
      name: el.attrs.get('name'),
      description: opt(childNamed(el, 'Description')?.text),
      plainTextPath: opt(el.attrs.get('plainTextPath')?.trim()),
      plainTextContent: content ? content.text : undefined,
      creatingUser: opt(el.attrs.get('creatingUser'), normalizeGuid),
      creationDateTime: el.attrs.get('creationDateTime'),
      modifiedDateTime: el.attrs.get('modifiedDateTime'),
      selections: childrenNamed(el, 'PlainTextSelection')
        .map((s) => this.selection(s))
        .filter((s): s is RefiSelection => s !== undefined),
      codings: this.codings(el),
      noteRefs: this.refs(el, 'NoteRef'),
      values: this.values(el),
      kind,
    };
  }

  source(el: XmlElement, out: RefiTextSource[]) {
    switch (el.name) {
      case 'TextSource':
        out.push(this.textSource(el, 'text'));
        return;
      case 'PDFSource':
        this.pdf(el, out);
        return;
      case 'PictureSource':
        this.media(el, 'picture', 'PictureSelection');
        return;
      case 'AudioSource':
        this.media(el, 'audio', 'AudioSelection');
        return;
      case 'VideoSource':
        this.media(el, 'video', 'VideoSelection');
        return;
      default:
        return;
    }
  }

  /** A PDF becomes its plain-text representation, if it has one; its page regions are counted. */
  pdf(el: XmlElement, out: RefiTextSource[]) {
    const regions = childrenNamed(el, 'PDFSelection');
    this.count('pdfRegion', regions.length);
    this.count(
      'mediaCoding',
      regions.reduce((n, r) => n + childrenNamed(r, 'Coding').length, 0),
    );
    const rep = childNamed(el, 'Representation');
    if (!rep) {
      this.count('pdf');
      this.count('mediaCoding', childrenNamed(el, 'Coding').length);
      return;
    }
    const source = this.textSource(rep, 'pdf-representation');
    // The PDF's own name, notes and variables describe the document the reader knows.
    source.guid = this.guid(el);
    source.name = el.attrs.get('name') ?? source.name;
    source.description = opt(childNamed(el, 'Description')?.text) ?? source.description;
    source.codings.push(...this.codings(el));
    source.noteRefs.push(...this.refs(el, 'NoteRef'));
    source.values.push(...this.values(el));
    out.push(source);
  }

  media(el: XmlElement, kind: string, selectionName: string) {
    this.count(kind);
    const selections = childrenNamed(el, selectionName);
    this.count('mediaSelection', selections.length);
    const codings = childrenNamed(el, 'Coding').length + selections.reduce((n, s) => n + childrenNamed(s, 'Coding').length, 0);
    this.count('mediaCoding', codings);
    this.count('transcript', childrenNamed(el, 'Transcript').length);
  }

  note(n: XmlElement): RefiNote {
    const content = childNamed(n, 'PlainTextContent');
    return {
      guid: this.guid(n),
      name: n.attrs.get('name'),
      description: opt(childText(n, 'Description')),
      plainTextPath: opt(n.attrs.get('plainTextPath')?.trim()),
      plainTextContent: content ? content.text : undefined,
      creatingUser: opt(n.attrs.get('creatingUser'), normalizeGuid),
      creationDateTime: n.attrs.get('creationDateTime'),
      modifiedDateTime: n.attrs.get('modifiedDateTime'),
    };
  }

  link(l: XmlElement): RefiLink {
    const direction = l.attrs.get('direction');
    return {
      guid: this.guid(l),
      name: l.attrs.get('name'),
      direction: direction === 'Associative' || direction === 'OneWay' || direction === 'Bidirectional' ? direction : undefined,
      originGuid: opt(l.attrs.get('originGUID'), normalizeGuid),
      targetGuid: opt(l.attrs.get('targetGUID'), normalizeGuid),
    };
  }

  set(s: XmlElement): RefiSet {
    return {
      guid: this.guid(s),
      name: s.attrs.get('name') ?? '',
      description: opt(childNamed(s, 'Description')?.text),
      memberCodes: this.refs(s, 'MemberCode'),
      memberSources: this.refs(s, 'MemberSource'),
      memberNotes: this.refs(s, 'MemberNote'),
    };
  }
}

/** `undefined` for a missing or empty value, else the value (mapped). */
function opt(value: string | undefined, map?: (v: string) => string): string | undefined {
  if (value === undefined || value === '') return undefined;
  return map ? map(value) : value;
}
