// @vitest-environment node
/** The refi cases of cases.ts (see suite.ts and docs/bad-input.md). */
import { runGroup } from './suite';

runGroup('refi');
