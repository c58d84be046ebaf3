/**
 * Issue #7: OPSROOM_WS_COMPRESSION turns WebSocket per-message deflate on (frames of 1 KiB and
 * more) and off. Checked the way an operator would: what the handshake negotiates, and how many
 * bytes a large, repetitive log batch takes on the wire compared with its decoded size.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { log } from '@/lib/sdk/events';
import { adminToken, postEvents, waitFor } from '../helpers/api';
import { startOpsroom } from '../helpers/server-process';

interface Observed {
  extensions: string;
  /** Decoded length of the `events` frame carrying the log batch. */
  frameBytes: number;
  /** TCP bytes read while that frame arrived. */
  wireBytes: number;
}

/** Speaks engine.io 4 by hand (as browsers do, offering deflate) and measures one big frame. */
async function observeLogFrame(compression: 'on' | 'off'): Promise<Observed> {
  const server = await startOpsroom({
    env: { OPSROOM_SELF_REPORT: 'off', OPSROOM_WS_COMPRESSION: compression },
  });
  try {
    const token = await adminToken(server.url);
    const room = 'logs:web:api';
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: true,
    });
    let tcp: Socket | null = null;
    ws.on('upgrade', (response) => (tcp = response.socket as Socket));
    let subscribed = false;
    let frame: string | null = null;
    let bytesBefore = 0;
    let bytesAfter = 0;
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text === '2') ws.send('3');
      else if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
      else if (text.startsWith('42["ready"'))
        ws.send(`420${JSON.stringify(['subscribe', { rooms: [{ room }] }])}`);
      else if (text.startsWith('430')) subscribed = true;
      else if (text.startsWith('42["events"')) {
        frame = text;
        bytesAfter = tcp?.bytesRead ?? 0;
      }
    });
    await waitFor(() => subscribed, 15_000, 'the subscription');
    bytesBefore = (tcp as Socket | null)?.bytesRead ?? 0;
    const lines = Array.from({ length: 60 }, (_, i) => ({
      text: `GET /api/builds/${1000 + i} 200 ${i % 17} ms user-agent=opsroom-cli/1.0`,
      level: 'info' as const,
    }));
    const reply = await postEvents(server.url, token, log('web', 'api', lines));
    expect(reply.status).toBe(202);
    await waitFor(() => frame !== null, 15_000, 'the log batch');
    ws.close();
    return {
      extensions: ws.extensions,
      frameBytes: (frame ?? '').length,
      wireBytes: bytesAfter - bytesBefore,
    };
  } finally {
    await server.cleanup();
  }
}

describe('OPSROOM_WS_COMPRESSION', () => {
  it('on: negotiates permessage-deflate and sends large frames compressed', async () => {
    const seen = await observeLogFrame('on');
    expect(seen.extensions).toContain('permessage-deflate');
    expect(seen.frameBytes).toBeGreaterThan(4000);
    // 60 similar lines deflate to a fraction of their size.
    expect(seen.wireBytes).toBeLessThan(seen.frameBytes / 3);
  }, 90_000);

  it('off (the default): no deflate, the frame goes out at full size', async () => {
    const seen = await observeLogFrame('off');
    expect(seen.extensions).toBe('');
    expect(seen.wireBytes).toBeGreaterThanOrEqual(seen.frameBytes);
  }, 90_000);
});
