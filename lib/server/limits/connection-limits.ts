/**
 * Socket connections per user (or token) and in total on this instance, so one runaway
 * script cannot hold every file descriptor. Synchronous on purpose: the check and the count
 * happen in one step, so concurrent handshakes cannot all slip under the limit.
 */
export type ConnectionAdmission =
  | {
      ok: true;
      /** Idempotent: safe to call from every path that ends the connection. */ release: () => void;
    }
  | { ok: false; scope: 'total' | 'user'; message: string };

export interface ConnectionLimits {
  admit(key: string): ConnectionAdmission;
  /** Open connections in total, or of one key. */
  count(key?: string): number;
}

export function createConnectionLimits(options: { maxTotal: number; maxPerKey: number }): ConnectionLimits {
  let total = 0;
  const perKey = new Map<string, number>();
  return {
    admit(key) {
      if (total >= options.maxTotal) {
        return {
          ok: false,
          scope: 'total',
          message: `The server holds its maximum of ${options.maxTotal} connections; retry later.`,
        };
      }
      const held = perKey.get(key) ?? 0;
      if (held >= options.maxPerKey) {
        return {
          ok: false,
          scope: 'user',
          message: `You already have ${held} connections open (the limit is ${options.maxPerKey}); close a tab or client.`,
        };
      }
      total += 1;
      perKey.set(key, held + 1);
      let released = false;
      return {
        ok: true,
        release: () => {
          if (released) return;
          released = true;
          total -= 1;
          const left = (perKey.get(key) ?? 1) - 1;
          if (left > 0) perKey.set(key, left);
          else perKey.delete(key);
        },
      };
    },
    count(key) {
      return key === undefined ? total : (perKey.get(key) ?? 0);
    },
  };
}
