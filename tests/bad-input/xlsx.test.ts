// @vitest-environment node
/** The xlsx cases of cases.ts (see suite.ts and docs/bad-input.md). */
import { runGroup } from './suite';

runGroup('xlsx');
