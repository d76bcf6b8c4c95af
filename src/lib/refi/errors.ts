/**
 * The one error type of the REFI-QDA exchange. It extends ExchangeError so the
 * UI's handling of exchange files (show the message, store nothing) covers
 * .qdc and .qdpx files too. Messages are for the user: they say what is wrong
 * with the file and, where it helps, what to do.
 */
import { ExchangeError } from '../exchange/exchange-error';

export class RefiError extends ExchangeError {
  constructor(message: string, where?: string) {
    super(message, where);
    this.name = 'RefiError';
  }
}
