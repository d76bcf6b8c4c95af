// @vitest-environment node
/** The project cases of cases.ts (see suite.ts and docs/bad-input.md). */
import { runGroup } from './suite';

runGroup('project');
