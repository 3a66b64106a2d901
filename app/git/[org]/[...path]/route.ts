import { handleGitRequest } from "@/lib/git-http/handle-git-request";

// git over HTTPS (smart HTTP protocol): `git clone https://<app>/git/<org>/<project>.git`.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ org: string; path: string[] }> };

export async function GET(req: Request, { params }: Params) {
  return handleGitRequest(req, await params);
}

export async function POST(req: Request, { params }: Params) {
  return handleGitRequest(req, await params);
}
