/**
 * `node --cpu-prof` flags for a target's server process. They are not allowed in NODE_OPTIONS,
 * so targets put them on the command line; the .cpuprofile file appears in `dir` when the
 * process exits normally (open it in Chrome DevTools > Performance, or speedscope).
 */
export function cpuProfileArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}
