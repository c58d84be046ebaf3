import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from './delivery-ledger';

describe('DeliveryLedger', () => {
  it('counts the lines of the newest pending events', () => {
    const ledger = new DeliveryLedger();
    for (const lines of [0, 1000, 250, 0, 40]) ledger.record(lines);
    expect(ledger.lines).toBe(1290);
    expect(ledger.events).toBe(5);
    expect(ledger.undelivered(0)).toEqual({ events: 0, lines: 0 });
    expect(ledger.undelivered(2)).toEqual({ events: 2, lines: 40 });
    expect(ledger.undelivered(4)).toEqual({ events: 4, lines: 1290 });
    expect(ledger.undelivered(99)).toEqual({ events: 5, lines: 1290 });
  });
});
