import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/dom';

// waitFor and findBy* give up after 1 s by default, which a busy machine can exceed; a condition that never holds
// still fails, after 15 s (the test timeout is 20 s).
configure({ asyncUtilTimeout: 15000 });
