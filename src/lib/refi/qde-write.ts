/**
 * RefiProject → the XML of a `project.qde` (namespace urn:QDA-XML:project:1.0),
 * in the element order Project.xsd prescribes. Containers the schema requires
 * to hold at least one child (`<Users>`, `<Codes>`, `<Sets>`…) are left out
 * when empty, so every document written validates.
 */
import type { RefiCode, RefiCoding, RefiProject, RefiSelection, RefiTextSource, RefiVariableValue } from './refi-model';
import { XmlWriter } from './xml-writer';

export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';

/** The codes as nested `<Code>` elements (shared with the .qdc writer, which has no NoteRefs). */
export function writeCodeTree(w: XmlWriter, codes: readonly RefiCode[]): void {
  for (const code of codes) {
    const attrs = { guid: code.guid, name: code.name, isCodable: code.isCodable, color: code.color };
    if (!code.description && code.noteRefs.length === 0 && code.children.length === 0) {
      w.empty('Code', attrs);
      continue;
    }
    w.start('Code', attrs);
    if (code.description) w.text('Description', code.description);
    for (const ref of code.noteRefs) w.empty('NoteRef', { targetGUID: ref });
    writeCodeTree(w, code.children);
    w.end();
  }
}

function writeValues(w: XmlWriter, values: readonly RefiVariableValue[]) {
  for (const v of values) {
    w.start('VariableValue');
    w.empty('VariableRef', { targetGUID: v.variableGuid });
    w.text('TextValue', v.value);
    w.end();
  }
}

function writeCoding(w: XmlWriter, coding: RefiCoding) {
  w.start('Coding', { guid: coding.guid, creatingUser: coding.creatingUser, creationDateTime: coding.creationDateTime });
  w.empty('CodeRef', { targetGUID: coding.codeGuid });
  for (const ref of coding.noteRefs) w.empty('NoteRef', { targetGUID: ref });
  w.end();
}

function writeSelection(w: XmlWriter, s: RefiSelection) {
  w.start('PlainTextSelection', {
    guid: s.guid,
    name: s.name,
    startPosition: s.start,
    endPosition: s.end,
    creatingUser: s.creatingUser,
    creationDateTime: s.creationDateTime,
  });
  if (s.description) w.text('Description', s.description);
  for (const coding of s.codings) writeCoding(w, coding);
  for (const ref of s.noteRefs) w.empty('NoteRef', { targetGUID: ref });
  w.end();
}

function writeTextSource(w: XmlWriter, element: string, s: RefiTextSource) {
  w.start(element, {
    guid: s.guid,
    name: s.name,
    plainTextPath: s.plainTextPath,
    creatingUser: s.creatingUser,
    creationDateTime: s.creationDateTime,
    modifiedDateTime: s.modifiedDateTime,
  });
  if (s.description) w.text('Description', s.description);
  if (s.plainTextContent !== undefined) w.text('PlainTextContent', s.plainTextContent);
  for (const selection of s.selections) writeSelection(w, selection);
  for (const coding of s.codings) writeCoding(w, coding);
  for (const ref of s.noteRefs) w.empty('NoteRef', { targetGUID: ref });
  writeValues(w, s.values);
  w.end();
}

/** The whole `project.qde` text. */
export function writeQde(p: RefiProject): string {
  const w = new XmlWriter();
  w.start('Project', {
    xmlns: PROJECT_NAMESPACE,
    name: p.name,
    origin: p.origin,
    creatingUserGUID: p.creatingUserGuid,
    creationDateTime: p.creationDateTime,
    modifiedDateTime: p.modifiedDateTime,
  });
  if (p.users.length > 0) {
    w.start('Users');
    for (const u of p.users) w.empty('User', { guid: u.guid, name: u.name, id: u.id });
    w.end();
  }
  if (p.codes.length > 0) {
    w.start('CodeBook').start('Codes');
    writeCodeTree(w, p.codes);
    w.end().end();
  }
  if (p.variables.length > 0) {
    w.start('Variables');
    for (const v of p.variables) {
      if (v.description) w.start('Variable', { guid: v.guid, name: v.name, typeOfVariable: v.type }).text('Description', v.description).end();
      else w.empty('Variable', { guid: v.guid, name: v.name, typeOfVariable: v.type });
    }
    w.end();
  }
  if (p.cases.length > 0) {
    w.start('Cases');
    for (const c of p.cases) {
      w.start('Case', { guid: c.guid, name: c.name });
      if (c.description) w.text('Description', c.description);
      writeValues(w, c.values);
      for (const ref of c.sourceRefs) w.empty('SourceRef', { targetGUID: ref });
      w.end();
    }
    w.end();
  }
  if (p.sources.length > 0) {
    w.start('Sources');
    for (const s of p.sources) writeTextSource(w, 'TextSource', s);
    w.end();
  }
  if (p.notes.length > 0) {
    w.start('Notes');
    for (const n of p.notes) {
      w.start('Note', {
        guid: n.guid,
        name: n.name,
        plainTextPath: n.plainTextPath,
        creatingUser: n.creatingUser,
        creationDateTime: n.creationDateTime,
        modifiedDateTime: n.modifiedDateTime,
      });
      if (n.description) w.text('Description', n.description);
      if (n.plainTextContent !== undefined) w.text('PlainTextContent', n.plainTextContent);
      w.end();
    }
    w.end();
  }
  if (p.links.length > 0) {
    w.start('Links');
    for (const l of p.links) w.empty('Link', { guid: l.guid, name: l.name, direction: l.direction, originGUID: l.originGuid, targetGUID: l.targetGuid });
    w.end();
  }
  if (p.sets.length > 0) {
    w.start('Sets');
    for (const s of p.sets) {
      w.start('Set', { guid: s.guid, name: s.name });
      if (s.description) w.text('Description', s.description);
      for (const ref of s.memberCodes) w.empty('MemberCode', { targetGUID: ref });
      for (const ref of s.memberSources) w.empty('MemberSource', { targetGUID: ref });
      for (const ref of s.memberNotes) w.empty('MemberNote', { targetGUID: ref });
      w.end();
    }
    w.end();
  }
  for (const ref of p.noteRefs) w.empty('NoteRef', { targetGUID: ref });
  w.end();
  return w.toString();
}
