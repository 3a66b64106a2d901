import { type PushCommand, ZERO_SHA } from "./read-push-commands";

export type PushPolicy = { defaultBranch: string; canWriteDefault: boolean };

/**
 * The refs of a push this key may not update, each with the reason git will print. Only
 * branches; the default branch needs `repos.write_default` and is never deleted over git.
 */
export function checkPush(commands: PushCommand[], policy: PushPolicy): Map<string, string> {
  const refused = new Map<string, string>();
  const defaultRef = `refs/heads/${policy.defaultBranch}`;
  for (const { ref, newSha } of commands) {
    if (!ref.startsWith("refs/heads/") || ref.length <= "refs/heads/".length) {
      refused.set(ref, "only branches (refs/heads/*) can be pushed here");
    } else if (ref === defaultRef && ZERO_SHA.test(newSha)) {
      refused.set(ref, `the default branch "${policy.defaultBranch}" cannot be deleted`);
    } else if (ref === defaultRef && !policy.canWriteDefault) {
      refused.set(
        ref,
        `pushing to the default branch "${policy.defaultBranch}" needs an API key with the repos.write_default scope; push another branch`,
      );
    }
  }
  return refused;
}
