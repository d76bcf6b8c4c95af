/**
 * Why team sync keeps one Yjs document per coder rather than one per row (as y-dexie does): 5,000 codings written
 * into one document, against 5,000 documents of one coding each. Run with `npx tsx --expose-gc scripts/sync-granularity.ts`
 * (docs/sync.md quotes it). Heap figures need --expose-gc; without it they are left out.
 */
import * as Y from 'yjs';

const N = 5000;
const coding = (i: number) => ({ answerId: `q1\u001fw1\u001fR${i}`, codeId: `code-${i % 20}`, start: null, end: null, createdAt: 1_700_000_000_000 + i });
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => (gc ? `${(bytes / 1e6).toFixed(1)} MB` : 'n/a');

let before = heap();
let started = performance.now();
const doc = new Y.Doc();
const map = doc.getMap('codings');
doc.transact(() => {
  for (let i = 0; i < N; i++) map.set(`id-${i}`, coding(i));
});
const oneBytes = Y.encodeStateAsUpdate(doc).length;
const oneMs = performance.now() - started;
const oneHeap = heap() - before;

before = heap();
started = performance.now();
const docs: Y.Doc[] = [];
let manyBytes = 0;
for (let i = 0; i < N; i++) {
  const row = new Y.Doc();
  row.getMap('coding').set('value', coding(i));
  manyBytes += Y.encodeStateAsUpdate(row).length;
  docs.push(row);
}
const manyMs = performance.now() - started;
const manyHeap = heap() - before;

console.log(`| ${N.toLocaleString('en-US')} codings | write + encode | bytes | heap | relay rooms |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| one document per coder | ${oneMs.toFixed(0)} ms | ${oneBytes.toLocaleString('en-US')} | ${mb(oneHeap)} | 1 |`);
console.log(
  `| one document per row (y-dexie) | ${manyMs.toFixed(0)} ms | ${manyBytes.toLocaleString('en-US')} | ${mb(manyHeap)} | ${docs.length.toLocaleString('en-US')} |`,
);
