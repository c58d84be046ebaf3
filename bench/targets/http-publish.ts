/** Keep-alive JSON POSTs for the publisher (node:http is cheaper and more predictable than fetch here). */
import http from 'node:http';
import type { PublishResult } from './types';

export function createPublisher(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  maxSockets: number,
): { publish: (events: readonly object[]) => Promise<PublishResult>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const url = new URL(path, baseUrl);
  const publish = (events: readonly object[]): Promise<PublishResult> =>
    new Promise((resolve) => {
      const body = Buffer.from(JSON.stringify({ events }));
      const request = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 202 || status === 200) {
              try {
                const parsed = JSON.parse(text) as { accepted?: unknown[] };
                resolve({
                  status,
                  accepted: Array.isArray(parsed.accepted) ? parsed.accepted.length : events.length,
                });
              } catch {
                resolve({ status, accepted: 0, error: `unparsable reply: ${text.slice(0, 200)}` });
              }
              return;
            }
            let retryAfterMs: number | undefined;
            try {
              const parsed = JSON.parse(text) as {
                error?: { retryAfterMs?: number; details?: { retryAfterMs?: number } };
              };
              retryAfterMs = parsed.error?.retryAfterMs ?? parsed.error?.details?.retryAfterMs;
            } catch {
              retryAfterMs = undefined;
            }
            const result: PublishResult = {
              status,
              accepted: 0,
              error: `HTTP ${status}: ${text.slice(0, 200)}`,
            };
            if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
            resolve(result);
          });
          response.on('error', (error) => resolve({ status, accepted: 0, error: error.message }));
        },
      );
      request.on('error', (error) => resolve({ status: 0, accepted: 0, error: error.message }));
      request.end(body);
    });
  return { publish, close: () => agent.destroy() };
}
