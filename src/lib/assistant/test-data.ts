/** Small, deterministic coded corpora for the assistant's tests (not shipped code paths). */
import { mulberry32 } from '../agreement/random';

const TOPICS: Record<string, string[]> = {
  food: ['food', 'meal', 'lunch', 'dinner', 'breakfast', 'tasty', 'cold', 'menu'],
  staff: ['nurse', 'nurses', 'doctor', 'staff', 'kind', 'friendly', 'rude', 'caring'],
  wait: ['wait', 'waiting', 'queue', 'hours', 'delay', 'appointment', 'late', 'slow'],
  parking: ['parking', 'car', 'park', 'spaces', 'ticket', 'expensive', 'drive', 'bay'],
};
const FILLER = ['the', 'was', 'very', 'and', 'a', 'it', 'really', 'quite', 'we', 'my', 'on', 'at', 'ward', 'visit', 'today', 'time'];

export const TOPIC_NAMES = Object.keys(TOPICS);

/**
 * `n` answers, each about one topic (single) or about one or two (multi), with
 * topic words mixed into filler words; codes are topic indices.
 */
export function topicCorpus(n: number, seed: number, multi = false): { texts: string[]; codes: number[][] } {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const texts: string[] = [];
  const codes: number[][] = [];
  for (let i = 0; i < n; i++) {
    const first = Math.floor(random() * TOPIC_NAMES.length);
    const set = new Set([first]);
    if (multi && random() < 0.35) set.add(Math.floor(random() * TOPIC_NAMES.length));
    const words: string[] = [];
    const length = 6 + Math.floor(random() * 8);
    for (let w = 0; w < length; w++) words.push(random() < 0.45 ? pick(TOPICS[TOPIC_NAMES[pick([...set])]]) : pick(FILLER));
    texts.push(words.join(' '));
    codes.push([...set].sort());
  }
  return { texts, codes };
}
