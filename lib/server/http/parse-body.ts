import type { z } from 'zod';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';
import type { Runtime } from '../runtime';
import { readJson } from './read-json';

/** Reads and validates a JSON body; problems come back as INVALID_MESSAGE with details. */
export async function parseBody<S extends z.ZodType>(
  runtime: Runtime,
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const body = await readJson(request, runtime.config.limits.maxBodyBytes);
  const result = schema.safeParse(body);
  if (!result.success)
    throw new OpsroomError('INVALID_MESSAGE', 'Request body is not valid.', zodDetails(result.error));
  return result.data;
}
