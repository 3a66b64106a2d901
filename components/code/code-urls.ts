/** URLs of the Code pages and routes of a project; every ref and path goes in the query string. */
export type CodeScope = { org: string; project: string };

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export const codeUrls = (s: CodeScope) => {
  const page = `/${s.org}/projects/${s.project}/code`;
  const api = `/api/orgs/${s.org}/projects/${s.project}/code`;
  return {
    tree: (ref?: string, path?: string) => withQuery(page, { ref, path }),
    blob: (ref: string | undefined, path: string) => withQuery(`${page}/blob`, { ref, path }),
    commits: (ref?: string, path?: string) => withQuery(`${page}/commits`, { ref, path }),
    commitsPage: (ref: string | undefined, path: string | undefined, cursor: string) =>
      withQuery(`${page}/commits`, { ref, path, cursor }),
    commit: (sha: string) => `${page}/commits/${sha}`,
    raw: (ref: string | undefined, path: string) => withQuery(`${api}/blob`, { ref, path, raw: "1" }),
    archive: (ref: string | undefined, format: "zip" | "tar.gz" = "zip") =>
      withQuery(`${api}/archive`, { ref, format: format === "zip" ? undefined : format }),
  };
};
