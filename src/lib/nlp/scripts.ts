/**
 * Which scripts the letters of some texts are written in, so the Words tab can say when its English model is
 * reading mostly something else (Arabic, Hebrew, Cyrillic…): wink-nlp's lemmas and stop words are English only,
 * and text in other scripts is counted word by word as typed.
 */

/** The scripts named on screen; letters of any other non-Latin script count as "other". */
const SCRIPTS = [
  'Arabic',
  'Hebrew',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Ethiopic',
] as const;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const TESTS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);

/** Letters read at most: enough to know the share, and a large project is not read twice for it. */
const SAMPLE_LETTERS = 200_000;

export interface ScriptShare {
  /** Letters looked at (up to a sample's worth). */
  letters: number;
  /** The share of them (0–1) not in the Latin script. */
  nonLatin: number;
  /** The non-Latin script most of those are in ("Arabic"), or null when there are none or it is not one we name. */
  mainScript: string | null;
}

/** The share of letters in other scripts than Latin, over the texts in order until a sample's worth is read. */
export function scriptShare(texts: Iterable<string>): ScriptShare {
  let letters = 0;
  let other = 0;
  const counts = new Map<string, number>();
  outer: for (const text of texts) {
    for (const ch of text) {
      if (ch < '\u0080') {
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) letters += 1;
        else continue;
      } else {
        if (!LETTER.test(ch)) continue;
        letters += 1;
        if (!LATIN.test(ch)) {
          other += 1;
          const script = TESTS.find(([, re]) => re.test(ch))?.[0] ?? 'other';
          counts.set(script, (counts.get(script) ?? 0) + 1);
        }
      }
      if (letters >= SAMPLE_LETTERS) break outer;
    }
  }
  let mainScript: string | null = null;
  let most = 0;
  for (const [script, n] of counts)
    if (n > most) {
      most = n;
      mainScript = script === 'other' ? null : script;
    }
  // Kana and Han together are Japanese; named by the script a reader knows.
  if (mainScript === 'Hiragana' || mainScript === 'Katakana') mainScript = 'Japanese';
  if (mainScript === 'Han') mainScript = 'Chinese';
  if (mainScript === 'Hangul') mainScript = 'Korean';
  return { letters, nonLatin: letters === 0 ? 0 : other / letters, mainScript };
}

// Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Adlam…).
const RTL_LETTER =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;
const ANY_LETTER = /\p{L}/u;

/**
 * The direction of a text by its first letter, as `dir="auto"` decides it: for a line built of several pieces
 * (keywords in context), which the browser's `dir="auto"` cannot see through once each piece is isolated.
 */
export function textDirection(text: string): 'ltr' | 'rtl' {
  for (const ch of text) {
    if (ch < '\u0080') {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) return 'ltr';
      continue;
    }
    // Arabic-Indic digits are of the Arabic script but no letter: like "123" they decide nothing.
    if (ANY_LETTER.test(ch)) return RTL_LETTER.test(ch) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}
