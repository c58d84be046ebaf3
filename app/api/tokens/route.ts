import { createTokenRequestSchema } from '@/lib/shared/account-schemas';
import { actorOf, recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { parseBody } from '@/lib/server/http/parse-body';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  await requireAdmin(runtime, request, 'manage-tokens');
  return json({ tokens: await runtime.store.listTokens() });
});

/** 201 {id, token, ...}: the only time the token is shown. */
export const POST = route(async (runtime, request) => {
  const admin = await requireAdmin(runtime, request, 'manage-tokens');
  const input = await parseBody(runtime, request, createTokenRequestSchema);
  const created = await runtime.auth.createToken({ ...input, scopes: [...new Set(input.scopes)] });
  runtime.logger.info({ tokenId: created.id, by: admin.user.id }, 'token created');
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(admin),
    action: 'token.create',
    target: `token:${created.id} (${created.name})`,
    ip: requestClientIp(request),
    details: { projects: created.projects, scopes: created.scopes },
  });
  return json(created, 201);
});
