/**
 * Where a server's CPU went: reads a V8 `.cpuprofile` (written by `--profile-dir`) and prints
 * the top functions by self time and the top source packages/files by self time, so a missed
 * target can be explained without opening DevTools.
 * Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { Args } from './lib/args';
import { fmt, formatTable } from './lib/report';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** `node_modules/<pkg>` (scoped packages kept whole), or the project-relative file. */
function ownerOf(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const root = url.indexOf('/bench/');
  return root === -1 ? url.replace(/^file:\/\/.*?\/wt\/[^/]+\//, '') : url;
}

function main(): void {
  const args = new Args(process.argv.slice(2));
  const file = args.positional[0];
  if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top N]');
  const top = Math.round(args.number('top', 25));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const totalSamples = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerSample = totalSamples > 0 ? (profile.endTime - profile.startTime) / 1000 / totalSamples : 0;

  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const owner = ownerOf(url);
    const key = `${functionName || '(anonymous)'}  ${owner}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
  }
  const idle = profile.nodes
    .filter((node) => ['(idle)', '(program)', '(garbage collector)'].includes(node.callFrame.functionName))
    .map((node) => `${node.callFrame.functionName} ${fmt(((node.hitCount ?? 0) / totalSamples) * 100, 1)}%`);
  const rows = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== '(idle)' && !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, hits }));
  const columns = [
    { header: 'self ms', value: (r: { hits: number }) => fmt(r.hits * msPerSample) },
    { header: '% of all', value: (r: { hits: number }) => fmt((r.hits / totalSamples) * 100, 1) },
    { header: 'where', value: (r: { name: string }) => r.name, align: 'left' as const },
  ];
  console.log(
    `${file}: ${fmt((profile.endTime - profile.startTime) / 1e6, 1)} s profiled; ${idle.join(', ')}`,
  );
  console.log('\nby package / file');
  console.log(formatTable(rows(byOwner), columns));
  console.log('\nby function');
  console.log(formatTable(rows(byFunction), columns));
}

main();
