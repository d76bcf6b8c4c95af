/**
 * A change to the codebook or the codings, as data: what to put and what to
 * delete. Every user action becomes a ReversibleChange, so undo is applying
 * its inverse and the history can be stored.
 */
import type { Code, Coding, Resolution, Theme } from '../model/types';

export interface Change {
  putCodes: Code[];
  deleteCodes: Code[];
  putCodings: Coding[];
  deleteCodings: Coding[];
  /** Adjudications (see Resolution); absent in most changes and in histories written before them. */
  putResolutions?: Resolution[];
  deleteResolutions?: Resolution[];
  /** Themes (named sets of codes); absent in most changes. */
  putThemes?: Theme[];
  deleteThemes?: Theme[];
}

export interface ReversibleChange {
  /** What the user did, in words: "Merge “Time” into “Workload”". */
  label: string;
  forward: Change;
  inverse: Change;
}

export const emptyChange = (): Change => ({ putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [] });
