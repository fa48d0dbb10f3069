// A stand-in for sha256sum on a rehearsal runner. The mirror serves stand-in archives, not the real release
// bytes, so for exactly the bytes the mirror served for a URL it reports that release's published checksum;
// any other content gets its real digest. A pin that differs from the published checksum, or a download
// that is not what the mirror served, fails the check as it would on a runner.
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');

const mirror = JSON.parse(fs.readFileSync(path.join(process.env.REHEARSAL_DIR, 'mirror.json'), 'utf8'));
const digest = (file) => {
  const bytes = fs.readFileSync(file);
  const real = createHash('sha256').update(bytes).digest('hex');
  const served = Object.values(mirror).find((entry) => entry.sha256 === real);
  return served ? served.published : real;
};
const args = process.argv.slice(2);
if (!args.includes('--check') && !args.includes('-c')) {
  for (const file of args) process.stdout.write(`${digest(file)}  ${file}\n`);
  process.exit(0);
}
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
let failed = 0;
for (const line of lines) {
  const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
  if (!match) {
    process.stderr.write(`sha256sum: -: no properly formatted checksum lines found\n`);
    process.exit(1);
  }
  const [, expected, file] = match;
  const ok = fs.existsSync(file) && digest(file) === expected.toLowerCase();
  process.stdout.write(`${file}: ${ok ? 'OK' : 'FAILED'}\n`);
  if (!ok) failed++;
}
if (failed) {
  process.stderr.write(
    `sha256sum: WARNING: ${failed} computed checksum${failed > 1 ? 's' : ''} did NOT match\n`,
  );
  process.exit(1);
}
