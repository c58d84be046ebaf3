/**
 * The envelope every stored and delivered event has (PROTOCOL.md section 4), and the
 * publish input that becomes one.
 */
import { z } from 'zod';
import type { CatalogueType, PayloadOf } from './events';
import { MAX_TYPE_LENGTH } from './events';

export type JsonObject = Record<string, unknown>;

export interface Envelope<P = JsonObject> {
  id: string;
  room: string;
  seq: number;
  type: string;
  ts: string;
  source: string;
  payload: P;
}

/** An envelope whose payload type follows from its catalogue type. */
export type TypedEnvelope<T extends CatalogueType> = Envelope<PayloadOf<T>> & { type: T };

export const EVENT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const publishInputSchema = z.strictObject({
  room: z.string().min(1).max(200),
  type: z.string().min(1).max(MAX_TYPE_LENGTH),
  payload: z.record(z.string(), z.unknown()),
  id: z.string().regex(EVENT_ID_PATTERN, 'id must be 1-128 characters of A-Z a-z 0-9 . _ : -').optional(),
});
export type PublishInput = z.infer<typeof publishInputSchema>;

export const MAX_EVENTS_PER_REQUEST = 100;

/** POST /api/events accepts one event or `{events: [...]}`. */
export const publishRequestSchema = z.union([
  z.strictObject({
    events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST),
  }),
  z.looseObject({ room: z.unknown() }),
]);

export const envelopeSchema = z.strictObject({
  id: z.string(),
  room: z.string(),
  seq: z.number().int().positive(),
  type: z.string(),
  ts: z.string(),
  source: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export function isEnvelopeOfType<T extends CatalogueType>(
  envelope: Envelope,
  type: T,
): envelope is TypedEnvelope<T> {
  return envelope.type === type;
}
