/** Where a new key's secret goes in the snippets below; the page swaps in the real one, client-side. */
export const KEY_PLACEHOLDER = "<YOUR_API_KEY>";

export type KeySnippet = { id: string; label: string; hint: string; content: string };

/** Ready-to-paste uses of a key: the REST API and git over HTTPS. */
export function apiUsageSnippets(appUrl: string, orgSlug: string, key = KEY_PLACEHOLDER): KeySnippet[] {
  const base = appUrl.replace(/\/+$/, "");
  const gitHost = new URL(base);
  return [
    {
      id: "curl",
      label: "REST API",
      hint: "List the organization's projects (needs projects.read).",
      content: `curl -H "Authorization: Bearer ${key}" ${base}/api/v1/projects`,
    },
    {
      id: "git",
      label: "Git over HTTPS",
      hint: "Clone a project's repository (needs repos.read; pushing needs repos.write).",
      content: `git clone ${gitHost.protocol}//x:${key}@${gitHost.host}/git/${orgSlug}/<project>.git`,
    },
  ];
}
