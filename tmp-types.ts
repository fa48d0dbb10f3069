import { runPlatform } from './offline/projects';
(async () => {
  const run = await runPlatform({ repoDir: process.cwd(), stack: process.argv[2] ?? 'prod' });
  const seen = new Map<string, string>();
  for (const r of run.resources) {
    if (!r.custom) continue;
    const tags = r.inputs.tags as Record<string, string> | undefined;
    const k = r.type;
    const v = tags ? (tags.stack ? 'stack' : 'NO-STACK') : 'no tags';
    seen.set(k, (seen.get(k) ? seen.get(k) + ',' : '') + v);
  }
  for (const [k, v] of [...seen].sort()) console.log(k, [...new Set(v.split(','))].join('/'));
})();
