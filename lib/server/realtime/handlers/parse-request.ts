import type { z } from 'zod';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';

/** Validates a socket request; anything else is INVALID_MESSAGE with the problems listed. */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  const result = schema.safeParse(request);
  if (!result.success)
    throw new OpsroomError('INVALID_MESSAGE', 'Malformed request.', zodDetails(result.error));
  return result.data;
}
