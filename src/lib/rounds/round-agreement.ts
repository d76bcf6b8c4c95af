/**
 * A round's agreement as it was when computed, kept with the round: each code's
 * α, κ and n as plain numbers, with the codebook version their code ids belong
 * to. A later merge moves codings to another code, so recomputing an earlier
 * round could no longer show what it measured; the stored record can.
 */
import type { AgreementTable } from '../agreement/answer-agreement';
import type { StatResult } from '../agreement/errors';
import type { Code, CodebookVersion, RoundAgreement, RoundAgreementRow } from '../model/types';
import { versionForRound } from './codebook-snapshot';

/** A computation on a round, as the agreement view hands it over. */
export interface RoundComputation {
  table: AgreementTable;
  includeSubcodes: boolean;
  uncodedAs: RoundAgreement['uncodedAs'];
}

const numberOf = (result: StatResult): number | null => ('value' in result && Number.isFinite(result.value) ? result.value : null);

/** The record of an agreement table computed on a round. */
export function roundAgreementRecord(
  table: AgreementTable,
  context: { computedAt: number; codebookVersionId: string; includeSubcodes: boolean; uncodedAs: RoundAgreement['uncodedAs'] },
): RoundAgreement {
  const rows = table.rows
    .filter((row): row is typeof row & { codeId: string } => row.codeId !== null)
    .map((row): RoundAgreementRow => {
      const record: RoundAgreementRow = {
        codeId: row.codeId,
        alpha: numberOf(row.statistics.krippendorffAlpha),
        kappa: numberOf(row.statistics.cohenKappa),
        units: row.pairableUnits,
        prevalence: row.prevalence,
      };
      const pair = table.coderIds.length === 2 ? row.pairs[0] : undefined;
      if (pair) record.pair = { bothPresent: pair.bothPresent, aOnly: pair.aOnly, bOnly: pair.bOnly, bothAbsent: pair.bothAbsent };
      return record;
    });
  return {
    computedAt: context.computedAt,
    coderIds: [...table.coderIds],
    codebookVersionId: context.codebookVersionId,
    includeSubcodes: context.includeSubcodes,
    uncodedAs: context.uncodedAs,
    answers: table.answers,
    rows,
  };
}

function sameCoders(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

export type StoreDecision = 'store' | 'other-coders' | 'codebook-changed' | 'fewer-codes';

/**
 * Whether a new computation on a round replaces its stored agreement:
 * - 'store': nothing stored yet, or the same coders on the same codebook version over at least the stored codes
 *   (more coding since, or other settings);
 * - 'other-coders': not the round's coders (a comparison with the consensus, say), which is not the round's agreement;
 * - 'codebook-changed': the round's coders, but the codebook has changed since the stored computation, which is
 *   kept because it is what the round measured with the codes of its time (the user may still choose to replace it);
 * - 'fewer-codes': the same codebook, but some stored codes were left out of this computation (the agreement view
 *   compares the top-level codes by default, the rounds comparison every code): kept, so no code's figure is lost.
 */
export function storeDecision(
  round: { coderIds: readonly string[]; agreement?: RoundAgreement },
  coderIds: readonly string[],
  codebookVersionId: string,
  codeIds?: readonly string[],
): StoreDecision {
  if (round.coderIds.length > 0 && !sameCoders(round.coderIds, coderIds)) return 'other-coders';
  const stored = round.agreement;
  if (!stored) return 'store';
  if (!sameCoders(stored.coderIds, coderIds)) return 'other-coders';
  if (stored.codebookVersionId !== codebookVersionId) return 'codebook-changed';
  if (codeIds && stored.rows.some((row) => !codeIds.includes(row.codeId))) return 'fewer-codes';
  return 'store';
}

/** "as computed on 5 Dec 2026, codebook version 2". */
export function computedOnText(computedAt: number, versionNumber: number | null, locale?: string): string {
  const day = new Date(computedAt).toLocaleDateString(locale ?? 'en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  return versionNumber === null ? `as computed on ${day}` : `as computed on ${day}, codebook version ${versionNumber}`;
}

/**
 * What to store for a computation on a round, decided on the round and versions as stored (read in the
 * transaction that writes them): the record, and the version frozen for it when the codebook changed since
 * the latest. `force` stores even over a record made with an earlier codebook (the user chose to).
 */
export function agreementToStore(input: {
  round: { coderIds: readonly string[]; agreement?: RoundAgreement };
  versions: readonly CodebookVersion[];
  codes: readonly Code[];
  table: AgreementTable;
  settings: { includeSubcodes: boolean; uncodedAs: RoundAgreement['uncodedAs'] };
  make: { projectId: string; id: string; createdBy: string; at: number; label: string };
  force?: boolean;
}): { decision: StoreDecision; agreement: RoundAgreement; version: CodebookVersion; isNew: boolean } {
  const { version, isNew } = versionForRound(input.codes, input.versions, input.make);
  let decision = storeDecision(
    input.round,
    input.table.coderIds,
    version.id,
    input.table.rows.flatMap((row) => (row.codeId === null ? [] : [row.codeId])),
  );
  if ((decision === 'codebook-changed' || decision === 'fewer-codes') && input.force) decision = 'store';
  const agreement = roundAgreementRecord(input.table, { computedAt: input.make.at, codebookVersionId: version.id, ...input.settings });
  return { decision, agreement, version, isNew };
}
