/** Schemas for what clients send over the socket; the server trusts nothing else. */
import { z } from 'zod';

export const MAX_ROOMS_PER_SUBSCRIBE = 50;

export const subscribeRequestSchema = z.strictObject({
  rooms: z
    .array(
      z.strictObject({
        room: z.string().min(1).max(200),
        since: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1)
    .max(MAX_ROOMS_PER_SUBSCRIBE),
});

export const unsubscribeRequestSchema = z.strictObject({
  rooms: z.array(z.string().min(1).max(200)).min(1).max(MAX_ROOMS_PER_SUBSCRIBE),
});

export const presenceGetRequestSchema = z.strictObject({ room: z.string().min(1).max(200) });

export const pingRequestSchema = z.object({}).optional();
