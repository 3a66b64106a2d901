import "server-only";
import { createHmac, hkdfSync } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { authSecret } from "@/lib/env";
import { findInvitationByToken } from "./find-invitation-by-token";

/**
 * The invitation link alone does not prove who holds it: the inviter can copy it from the
 * members page. The link in the invitation email carries one more value, an HMAC over the token
 * and the invited address that only the mail contains, so opening the mailed link shows control
 * of the mailbox, as a verification link does.
 */
function proofKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "dafnckmachine", "invitation-email-proof-v1", 32));
}

export function invitationEmailProof(token: string, email: string): string {
  return createHmac("sha256", proofKey()).update(`${token}\n${email}`).digest("base64url");
}

/**
 * Whether an account created for `email` with this invitation may start verified: the mailed
 * proof matches, the invitation is still usable (not expired, accepted or revoked), and it was
 * sent to exactly this address. Anything else leaves the account to verify its email as usual.
 */
export async function invitationProvesEmail(input: {
  token: string;
  proof: string;
  email: string;
}): Promise<boolean> {
  const { token, proof, email } = input;
  if (!token || !proof || !safeEqual(proof, invitationEmailProof(token, email))) return false;
  const invitation = await findInvitationByToken(token);
  return invitation?.status === "pending" && invitation.email === email;
}
