/**
 * The one error type of the exchange formats. Messages are meant for the user:
 * they name the problem and, inside a file, where it is ("codings[12].start").
 */
export class ExchangeError extends Error {
  /** Where in the document the problem is, e.g. "codings[12].start"; absent for whole-file problems. */
  readonly where: string | undefined;

  constructor(message: string, where?: string) {
    super(message);
    this.name = 'ExchangeError';
    this.where = where;
  }
}

/** A value as a user would recognise it in the file, for "…, but it is …". */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
