/**
 * Command-line options: `--name value` or `--name=value`, falling back to the environment
 * variable `BENCH_NAME` (upper case, dashes as underscores), then to the default.
 */
export class Args {
  private readonly values = new Map<string, string>();
  readonly positional: string[] = [];

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i += 1) {
      const arg = argv[i] ?? '';
      if (!arg.startsWith('--')) {
        this.positional.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      if (eq !== -1) {
        this.values.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          this.values.set(arg.slice(2), next);
          i += 1;
        } else {
          this.values.set(arg.slice(2), 'true');
        }
      }
    }
  }

  raw(name: string): string | undefined {
    return this.values.get(name) ?? process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  number(name: string, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a non-negative number (got "${raw}")`);
    return value;
  }

  /** Comma list of numbers, e.g. `--subscribers 100,1000,10000`. */
  numbers(name: string, fallback: number[]): number[] {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    return raw.split(',').map((part) => {
      const value = Number(part.trim());
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`--${name} must be a comma list of positive numbers (got "${raw}")`);
      return value;
    });
  }

  list(name: string, fallback: string[]): string[] {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }

  flag(name: string): boolean {
    const raw = this.raw(name);
    return raw !== undefined && raw !== 'false' && raw !== '0';
  }

  /** Option names given on the command line that `known` does not list (typos). */
  unknown(known: readonly string[]): string[] {
    return [...this.values.keys()].filter((name) => !known.includes(name));
  }
}
