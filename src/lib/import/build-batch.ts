/**
 * Turning a table and a checked plan into the plain data the database import
 * writes. One pass over the rows, no lookups that grow with the file, so 100k
 * rows × 8 questions take milliseconds.
 */

import { nameKeyed } from '../model/name-keyed';
import { isBlank, trimmed } from './blank';
import { skippedRows, validatePlan } from './propose-plan';
import { idSourceOf, respondentIdReader } from './respondent-id';
import { cellReader, DEFERRED } from './deferred-cells';
import { ImportError, type ColumnPlan, type ImportBatch, type ImportPlan, type SourceTable } from './types';

type AnswerGroup = ImportBatch['answers'][number];

const CR = /\r\n?/g;

/** Answer `i` of a group as text, whether or not the batch left it deferred. */
export function answerText(group: AnswerGroup, i: number): string {
  return group.textOf ? group.textOf(i) : group.texts[i];
}

/** A batch's answer texts in UTF-16 units (deferred ones by an upper bound), for the storage estimate. */
export function* answerLengths(batch: ImportBatch): Generator<number> {
  for (const group of batch.answers) {
    const { texts, unitsOf } = group;
    for (let i = 0; i < texts.length; i++) yield unitsOf ? unitsOf(i) : texts[i].length;
  }
}

/**
 * Builds the import batch.
 *
 * - Respondent IDs come from the plan's `idSource`: the ID column (default),
 *   "Row N" (N: the spreadsheet row number), or the trimmed values of several
 *   columns joined with " · ".
 * - Unfinished responses are left out when `keepIncomplete` is false (they are
 *   then not respondents and not counted as blank answers).
 * - Respondent IDs, attribute values and wave values are trimmed.
 * - Answers are kept exactly as written (CR/CRLF → LF), "N/A" included: the user
 *   may want to code or filter it. An empty or whitespace-only cell is not an
 *   answer; it is counted in `blankAnswerCount`, so answers + blanks = rows × questions.
 * - Respondents are listed once even when a long-format file holds several
 *   waves (`waves` lists the waves they have a row in, in file order); each attribute comes from the first row where it is not blank, and
 *   attributes blank in every row are left out of the record.
 * - Questions and attributes follow column order; waves and answer groups follow
 *   the order waves first appear in the file.
 *
 * @throws ImportError with every problem validatePlan finds, one per line.
 *
 * `deferTexts` (a table with deferred cells): answers still kept as bytes stay
 * so in the batch (see ImportBatch.answers' `textOf`); the import worker's staging
 * decodes them a chunk at a time.
 */
export function buildBatch(table: SourceTable, plan: ImportPlan, options: { deferTexts?: boolean } = {}): ImportBatch {
  const problems = validatePlan(table, plan);
  if (problems.length > 0) throw new ImportError(problems.join('\n'));

  const known = new Set(table.columns.map((c) => c.index));
  const byColumn = (a: ColumnPlan, b: ColumnPlan) => a.index - b.index;
  const active = plan.columns.filter((c) => known.has(c.index));
  const readId = respondentIdReader(table, idSourceOf(plan), active.find((c) => c.role === 'id')?.index);
  const skipped = skippedRows(table, plan);
  const waveIndex = active.find((c) => c.role === 'wave')?.index;
  const questionPlans = active.filter((c) => c.role === 'question').sort(byColumn);
  const attributePlans = active.filter((c) => c.role === 'attribute').sort(byColumn);
  const defaultWave = plan.waveName.trim();

  const questions = questionPlans.map((c) => {
    const key = c.name.trim();
    const label = c.label.trim() || key;
    return { key, label, text: label };
  });
  const attributes = attributePlans.map((c) => c.name.trim());
  // The file's label names the attribute on screen while the name is still the column's own key (a name typed
  // in the preview is the user's choice, and the label would contradict it).
  const keys = new Map(table.columns.map((c) => [c.index, c.key.trim()]));
  const attributeLabels = nameKeyed<string>();
  for (const c of attributePlans) {
    const name = c.name.trim();
    const label = c.label.trim();
    if (label && label !== name && keys.get(c.index) === name) attributeLabels[name] = label;
  }
  const questionIndexes = questionPlans.map((c) => c.index);
  const attributeIndexes = attributePlans.map((c) => c.index);

  const waveRows = new Map<string, number>();
  const respondents = new Map<string, ImportBatch['respondents'][number]>();
  /** Per question, per wave: the group its answers go to. */
  const groups = questions.map(() => new Map<string, AnswerGroup>());
  let blankAnswerCount = 0;

  const rows = table.rows;
  const cell = cellReader(table);
  const deferTexts = options.deferTexts === true && table.deferred !== undefined;
  /** Per group whose answers stay deferred: the row of each deferred answer, by its index in the group. */
  const sources = new Map<AnswerGroup, string[][]>();
  for (let r = 0; r < rows.length; r++) {
    if (skipped?.has(r)) continue;
    const row = rows[r];
    const id = readId(row, r);
    const wave = waveIndex === undefined ? defaultWave : trimmed(cell(row, waveIndex)!);
    waveRows.set(wave, (waveRows.get(wave) ?? 0) + 1);

    let respondent = respondents.get(id);
    if (!respondent) {
      // Null prototype: an attribute column may be called "__proto__" or "constructor".
      respondent = { id, attributes: nameKeyed(), waves: [] };
      respondents.set(id, respondent);
    }
    // validatePlan rules out a respondent twice in one wave, so each row adds a new wave.
    respondent.waves.push(wave);
    for (let a = 0; a < attributes.length; a++) {
      if (respondent.attributes[attributes[a]] !== undefined) continue;
      const value = row[attributeIndexes[a]];
      if (!isBlank(value)) respondent.attributes[attributes[a]] = trimmed(cell(row, attributeIndexes[a])!);
    }

    for (let q = 0; q < questions.length; q++) {
      const raw = row[questionIndexes[q]];
      if (isBlank(raw)) {
        blankAnswerCount++;
        continue;
      }
      let group = groups[q].get(wave);
      if (!group) {
        group = { questionKey: questions[q].key, waveName: wave, respondentIds: [], texts: [] };
        groups[q].set(wave, group);
      }
      group.respondentIds.push(id);
      if (raw === DEFERRED) {
        if (deferTexts) {
          // Left as bytes: the writer decodes each chunk as it stores it (textOf), so the texts are never all strings at once.
          group.texts.push(DEFERRED);
          (sources.get(group) ?? sources.set(group, []).get(group)!)[group.texts.length - 1] = row;
          continue;
        }
        // Decoded here, once, straight into the batch (CR already made LF).
        group.texts.push(cell(row, questionIndexes[q])!);
        continue;
      }
      group.texts.push(raw.indexOf('\r') === -1 ? raw : raw.replace(CR, '\n'));
    }
  }

  const deferred = table.deferred;
  for (let q = 0; q < questions.length; q++) {
    const column = questionIndexes[q];
    for (const group of groups[q].values()) {
      const from = sources.get(group);
      if (!from || !deferred) continue;
      const texts = group.texts;
      group.textOf = (i) => (texts[i] === DEFERRED ? deferred.text(from[i], column) : texts[i]);
      group.unitsOf = (i) => (texts[i] === DEFERRED ? deferred.byteLength(from[i], column) : texts[i].length);
    }
  }

  const waveNames = [...waveRows.keys()];
  const answers: AnswerGroup[] = [];
  for (const perWave of groups) {
    for (const wave of waveNames) {
      const group = perWave.get(wave);
      if (group) answers.push(group);
    }
  }

  return {
    waves: waveNames.map((name) => ({ name, rowCount: waveRows.get(name)! })),
    questions,
    attributes,
    attributeLabels,
    respondents: [...respondents.values()],
    answers,
    blankAnswerCount,
  };
}
