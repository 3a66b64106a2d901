import { enforceLimit, ipKey } from "@/lib/rate-limit/enforce";
import { POLICIES, type PolicyName } from "@/lib/rate-limit/policies";
import type { RequestMeta } from "@/lib/request-meta";

export type LimitSubject = { userId: string; orgId?: string; meta: RequestMeta };

/**
 * The wrappers' limits: every signed-in call counts against its user (`api.user`) and, in an
 * organization, against that organization (`api.org`); an entry point may name one more policy,
 * keyed by what that policy declares.
 */
export async function enforceWrapperLimits(subject: LimitSubject, extra?: PolicyName): Promise<void> {
  await enforceLimit("api.user", subject.userId);
  if (subject.orgId) await enforceLimit("api.org", subject.orgId);
  if (!extra) return;
  const kind = POLICIES[extra].key;
  const key =
    kind === "org" && subject.orgId ? subject.orgId : kind === "ip" ? ipKey(subject.meta.ip) : subject.userId;
  await enforceLimit(extra, key);
}
