/**
 * A few answers' texts read from the stored chunks that hold them, and no
 * other: the report quotes a handful of answers out of millions, and finding
 * them among the answers made every answer object and read every text into
 * the analysis worker (2M answers at 250k respondents, issue 15).
 */
import { answerParts } from '../coding/coding-pages';
import { answerId, ANSWER_ID_SEPARATOR } from '../model/types';
import type { AnswerChunkColumns } from './csv-long-columns';
import type { AnswerChunkReader } from './csv-long-stream';

/**
 * The texts of these answers, by id, from `columns` (the project's chunks without their texts, as the analysis
 * worker holds them): the chunks are searched for the respondents wanted in their question and wave, and only those
 * holding one are read. An answer in no chunk, or in a chunk gone since, is left out.
 */
export async function textsFromChunks(
  columns: readonly AnswerChunkColumns[],
  ids: Iterable<string>,
  reader: Pick<AnswerChunkReader, 'read'>,
): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const id of ids) {
    const { questionId, waveId, respondentId } = answerParts(id);
    const key = questionId + ANSWER_ID_SEPARATOR + waveId;
    let respondents = wanted.get(key);
    if (!respondents) wanted.set(key, (respondents = new Set()));
    respondents.add(respondentId);
  }
  const holding: { chunk: AnswerChunkColumns; respondents: string[] }[] = [];
  for (const chunk of columns) {
    const respondents = wanted.get(chunk.questionId + ANSWER_ID_SEPARATOR + chunk.waveId);
    if (!respondents) continue;
    const here = chunk.respondentIds.filter((r) => respondents.has(r));
    if (here.length > 0) holding.push({ chunk, respondents: here });
  }
  const texts = new Map<string, string>();
  const read = await Promise.all(holding.map(({ chunk }) => reader.read(chunk)));
  holding.forEach(({ chunk, respondents }, k) => {
    const stored = read[k];
    if (!stored) return;
    const at = new Map(stored.respondentIds.map((r, i) => [r, i]));
    for (const respondentId of respondents) {
      const i = at.get(respondentId);
      if (i !== undefined) texts.set(answerId(chunk.questionId, chunk.waveId, respondentId), stored.texts[i]);
    }
  });
  return texts;
}
