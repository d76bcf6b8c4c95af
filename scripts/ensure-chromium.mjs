// Makes sure Debian's Chromium is present for the end-to-end tests and the bench.
// Playwright's own browser download cannot work on these machines, so we use the system package.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const binary = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(binary)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `Chromium was not found at ${binary}.\n` +
      'The end-to-end tests and the bench need it. Install it with:\n' +
      '  sudo apt-get update && sudo apt-get install -y chromium\n' +
      'or set CHROMIUM_PATH to another Chromium binary.',
  );
  process.exit(1);
}
console.log("Chromium is missing: installing Debian's chromium package (running as root)…");
try {
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
} catch {
  console.error('Installing chromium with apt-get failed; see the output above.');
  process.exit(1);
}
if (!existsSync(binary)) {
  console.error(`apt-get finished but ${binary} is still missing.`);
  process.exit(1);
}
