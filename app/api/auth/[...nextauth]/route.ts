import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { withoutSessionOnCallback } from "@/lib/auth/callback-request";

// GET carries the OAuth/OIDC callbacks; POST carries credentials, sign-in starts and sign-out.
export function GET(req: NextRequest): Promise<Response> {
  return handlers.GET(withoutSessionOnCallback(req));
}

export function POST(req: NextRequest): Promise<Response> {
  return handlers.POST(req);
}
