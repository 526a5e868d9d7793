import type { z } from 'zod';
import type { FailureName } from '../codes/index.ts';
import { type Rejected, reject } from '../kernel/decision.ts';
import type { ParamIssue } from './params.ts';

// One mapping from a zod failure to the generic codes (DOMAIN.md §2). The
// first issue wins so the answer never depends on zod's ordering of later
// issues; `details.param` names the parameter as the client spelled it.
export function toRejection(error: z.ZodError): Rejected {
  const issue = error.issues[0];
  if (!issue) return reject('MissingParameter', { reason: 'invalid payload' });
  const param = issue.path.map(String).join('.');
  const own = (issue as { params?: ParamIssue }).params;
  const failure: FailureName = own?.failure ?? 'MissingParameter';
  const details: Record<string, unknown> = {
    param: param === '' ? 'payload' : param,
    reason: own?.reason ?? issue.message,
  };
  if (own?.limit !== undefined) details.limit = own.limit;
  return reject(failure, details);
}
