import { CodebenchDatabase } from './schema';

let instance: CodebenchDatabase | undefined;

/** The app's database, opened on first use (in the page and, separately, in each worker). */
export function database(): CodebenchDatabase {
  return (instance ??= new CodebenchDatabase());
}
