import { pingRequestSchema } from '@/lib/shared/socket-requests';
import type { HandlerContext } from '../types';
import { parseRequest } from './parse-request';

export async function handlePing(_ctx: HandlerContext, request: unknown): Promise<{ serverTime: string }> {
  parseRequest(pingRequestSchema, request);
  return { serverTime: new Date().toISOString() };
}
