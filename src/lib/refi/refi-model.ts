/**
 * The part of the REFI-QDA project model Codebench reads and writes, as plain
 * data between the XML (qde-read.ts, qde-write.ts) and the project mapping
 * (project-to-refi.ts, refi-to-project.ts). Element and attribute names follow
 * the standard; GUIDs are kept as written in a document being written, and
 * normalised (normalizeGuid) in a document that was read.
 */

export interface RefiUser {
  guid: string;
  name?: string;
  /** The user's own identifier (Codebench writes the coder id here). */
  id?: string;
}

export interface RefiCode {
  guid: string;
  name: string;
  isCodable: boolean;
  /** "#RRGGBB" as written; readers also accept "#RGB". */
  color?: string;
  description?: string;
  noteRefs: string[];
  children: RefiCode[];
}

export type RefiVariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

export interface RefiVariable {
  guid: string;
  name: string;
  type: RefiVariableType;
  description?: string;
}

export interface RefiVariableValue {
  variableGuid: string;
  /** The value as text, whatever its type ("" when the element is empty). */
  value: string;
}

export interface RefiCase {
  guid: string;
  name?: string;
  description?: string;
  values: RefiVariableValue[];
  sourceRefs: string[];
}

export interface RefiCoding {
  guid: string;
  codeGuid: string;
  creatingUser?: string;
  creationDateTime?: string;
  noteRefs: string[];
}

export interface RefiSelection {
  guid: string;
  name?: string;
  description?: string;
  start: number;
  end: number;
  creatingUser?: string;
  creationDateTime?: string;
  codings: RefiCoding[];
  noteRefs: string[];
}

export interface RefiTextSource {
  guid: string;
  name?: string;
  description?: string;
  /** As written: "internal://<guid>.txt", or a bare or relative path from some tools. */
  plainTextPath?: string;
  plainTextContent?: string;
  creatingUser?: string;
  creationDateTime?: string;
  modifiedDateTime?: string;
  selections: RefiSelection[];
  /** Codings of the whole source. */
  codings: RefiCoding[];
  noteRefs: string[];
  values: RefiVariableValue[];
  /** Set when read: where the text came from in the file (a PDF's plain-text representation). */
  kind?: 'text' | 'pdf-representation';
}

export interface RefiNote {
  guid: string;
  name?: string;
  description?: string;
  plainTextPath?: string;
  plainTextContent?: string;
  creatingUser?: string;
  creationDateTime?: string;
  modifiedDateTime?: string;
}

export interface RefiLink {
  guid: string;
  name?: string;
  direction?: 'Associative' | 'OneWay' | 'Bidirectional';
  originGuid?: string;
  targetGuid?: string;
}

export interface RefiSet {
  guid: string;
  name: string;
  description?: string;
  memberCodes: string[];
  memberSources: string[];
  memberNotes: string[];
}

export interface RefiProject {
  name: string;
  origin?: string;
  creatingUserGuid?: string;
  creationDateTime?: string;
  modifiedDateTime?: string;
  users: RefiUser[];
  codes: RefiCode[];
  variables: RefiVariable[];
  cases: RefiCase[];
  sources: RefiTextSource[];
  notes: RefiNote[];
  links: RefiLink[];
  sets: RefiSet[];
  /** Project-level notes (`<NoteRef>` directly in `<Project>`). */
  noteRefs: string[];
}

/** What a reader met but does not keep, counted by kind ("picture sources" → 2). */
export type Unsupported = Map<string, number>;
