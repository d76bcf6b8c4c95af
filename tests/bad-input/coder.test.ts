// @vitest-environment node
/** The coder cases of cases.ts (see suite.ts and docs/bad-input.md). */
import { runGroup } from './suite';

runGroup('coder');
