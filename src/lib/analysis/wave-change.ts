/**
 * Change between two waves for the same people: of the respondents who
 * answered (a question in scope) in both waves, who mentioned a target at
 * the first wave only, the second only, both, or neither. Respondents who
 * answered in one wave only are left out, since "stopped mentioning it" and
 * "did not answer" cannot be told apart for them.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { Marks } from './marks';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';

export interface WaveChangeOptions {
  /** The earlier wave ("A") and the later ("B"). */
  waveA: string;
  waveB: string;
  coders: CoderSelection;
}

export interface WaveChangeGroup {
  count: number;
  /** In the index's respondent order. */
  respondentIds: string[];
}

export interface WaveChangeRow {
  key: string;
  target: Target;
  label: string;
  /** Respondents with an answer in scope in both waves; the four groups partition them. */
  answeredBoth: number;
  onlyA: WaveChangeGroup;
  onlyB: WaveChangeGroup;
  both: WaveChangeGroup;
  neither: WaveChangeGroup;
}

/** Respondent positions with an answer in scope in the wave, as flags. */
export function answeredIn(index: AnalysisIndex, wave: number): Uint8Array {
  const flags = new Uint8Array(index.respondentCount);
  for (let a = 0; a < index.answerCount; a++) if (index.answerWave[a] === wave) flags[index.answerRespondent[a]] = 1;
  return flags;
}

/** For each target, who mentioned it at wave A only, B only, both or neither (see the module notes). */
export function waveChange(index: AnalysisIndex, targets: readonly Target[], options: WaveChangeOptions): WaveChangeRow[] {
  const waveA = index.waveIds.indexOf(options.waveA);
  const waveB = index.waveIds.indexOf(options.waveB);
  const inA = answeredIn(index, waveA);
  const inB = answeredIn(index, waveB);
  const panel: number[] = [];
  for (let r = 0; r < index.respondentCount; r++) if (inA[r] === 1 && inB[r] === 1) panel.push(r);

  const scratch = new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  const mentionedA = new Marks(index.respondentCount);
  const mentionedB = new Marks(index.respondentCount);
  return targets.map((target) => {
    mentionedA.clear();
    mentionedB.clear();
    const { answers } = codedAnswers(index, targetCodeIds(index, target), mask, scratch);
    for (const a of answers) {
      const w = index.answerWave[a];
      if (w === waveA) mentionedA.add(index.answerRespondent[a]);
      if (w === waveB) mentionedB.add(index.answerRespondent[a]);
    }
    const groups = { onlyA: [] as string[], onlyB: [] as string[], both: [] as string[], neither: [] as string[] };
    for (const r of panel) {
      const a = mentionedA.has(r);
      const b = mentionedB.has(r);
      const group = a ? (b ? groups.both : groups.onlyA) : b ? groups.onlyB : groups.neither;
      group.push(index.respondentIds[r]);
    }
    const of = (ids: string[]): WaveChangeGroup => ({ count: ids.length, respondentIds: ids });
    return {
      key: targetKey(target),
      target,
      label: targetLabel(index, target),
      answeredBoth: panel.length,
      onlyA: of(groups.onlyA),
      onlyB: of(groups.onlyB),
      both: of(groups.both),
      neither: of(groups.neither),
    };
  });
}
