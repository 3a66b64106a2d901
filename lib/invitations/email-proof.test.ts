import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { invitations, users } from "@/db/schema";
import { isEmailVerified } from "@/lib/auth/email-verification";
import { signUp, signUpSchema } from "@/lib/auth/sign-up";
import { outbox } from "@/lib/mail";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { createInvitation } from "./create-invitation";
import { invitationEmailProof, invitationProvesEmail } from "./email-proof";
import { resendInvitation } from "./resend-invitation";
import { revokeInvitation } from "./revoke-invitation";

const meta = { ip: null, userAgent: "vitest" };
const PASSWORD = "Zebra-Lantern-42";
const newEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.test`;

/** The owner invites `email`; returns what the invitee's email says, and the link the inviter can copy. */
async function invite(email: string) {
  const t = await createTeam();
  const ctx = await resolveOrgContext(t.owner, t.org.slug, "members.invite", meta);
  const sent = await createInvitation(ctx, { email, role: "member" });
  const mail = outbox().findLast((m) => m.to === email);
  const mailed = new URL(mail?.text.match(/https?:\/\/\S*\/invite\/\S+/)?.[0] ?? "http://x/");
  const token = mailed.pathname.split("/invite/")[1] ?? "";
  return {
    t,
    ctx,
    id: sent.invitation.id,
    copied: sent.inviteUrl,
    token,
    proof: mailed.searchParams.get("proof") ?? "",
  };
}

const verificationMails = (email: string) =>
  outbox().filter((m) => m.to === email && /verify-email\?token=/.test(m.text)).length;

/** Sign-up as the form submits it (parsed by the same schema). */
const signUpFrom = (fields: Record<string, string | undefined>) =>
  signUp(signUpSchema.parse({ name: "Ivy Invitee", password: PASSWORD, ...fields }));

// Password hashing (argon2) is slow on a loaded machine.
describe("an account created from an invitation email", { timeout: 120_000 }, () => {
  it("starts verified and gets no verification email when the mailed link's proof matches", async () => {
    const email = newEmail("ivy");
    const { token, proof, copied } = await invite(email);
    expect(proof).not.toBe("");
    // The link the inviter can copy has no proof: only the email proves the mailbox.
    expect(copied).not.toContain("proof");

    const user = await signUpFrom({ email, invitationToken: token, invitationProof: proof });
    expect(user.emailVerified).toBe(true);
    expect(await isEmailVerified(user.id)).toBe(true);
    expect(verificationMails(email)).toBe(0);
  });

  it("matches the address after the form's normalization (case, spaces), not a different one", async () => {
    const email = newEmail("case");
    const { token, proof } = await invite(email);
    const user = await signUpFrom({
      email: `  ${email.toUpperCase()} `,
      invitationToken: token,
      invitationProof: proof,
    });
    expect(user.emailVerified).toBe(true);
  });

  it("is not verified for another address, even with the right token and proof", async () => {
    const invited = newEmail("invited");
    const other = newEmail("other");
    const { token, proof } = await invite(invited);
    expect(await invitationProvesEmail({ token, proof, email: other })).toBe(false);
    // Nor with a proof made for the other address (the proof binds the address to the token).
    expect(
      await invitationProvesEmail({ token, proof: invitationEmailProof(token, other), email: other }),
    ).toBe(false);
    const user = await signUpFrom({ email: other, invitationToken: token, invitationProof: proof });
    expect(user.emailVerified).toBe(false);
    expect(await isEmailVerified(user.id)).toBe(false);
    expect(verificationMails(other)).toBe(1);
  });

  it("is not verified from the copied link (token without the mailed proof) or a forged proof", async () => {
    const email = newEmail("copied");
    const { token, proof } = await invite(email);
    expect(await invitationProvesEmail({ token, proof: "", email })).toBe(false);
    expect(await invitationProvesEmail({ token, proof: `${proof.slice(0, -2)}AA`, email })).toBe(false);
    expect(await invitationProvesEmail({ token: "not-a-token", proof, email })).toBe(false);
    const user = await signUpFrom({ email, invitationToken: token });
    expect(user.emailVerified).toBe(false);
    expect(verificationMails(email)).toBe(1);
  });

  it("is not verified once the invitation expired, was revoked or was used", async () => {
    const db = await getDb();
    const expired = await invite(newEmail("expired"));
    await db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, expired.id));
    const revoked = await invite(newEmail("revoked"));
    await revokeInvitation(revoked.ctx, { id: revoked.id });
    const used = await invite(newEmail("used"));
    await db.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, used.id));

    for (const { token, proof, t } of [expired, revoked, used]) {
      const [row] = await db.select().from(invitations).where(eq(invitations.orgId, t.org.id));
      const email = row?.email ?? "";
      expect(await invitationProvesEmail({ token, proof, email })).toBe(false);
      const user = await signUpFrom({ email, invitationToken: token, invitationProof: proof });
      expect(user.emailVerified).toBe(false);
    }
  });

  it("is not verified from a superseded link after a resend (the old token no longer works)", async () => {
    const email = newEmail("resent");
    const first = await invite(email);
    await resendInvitation(first.ctx, { id: first.id });
    expect(await invitationProvesEmail({ token: first.token, proof: first.proof, email })).toBe(false);
    const mail = outbox().findLast((m) => m.to === email);
    const fresh = new URL(mail?.text.match(/https?:\/\/\S*\/invite\/\S+/)?.[0] ?? "http://x/");
    expect(
      await invitationProvesEmail({
        token: fresh.pathname.split("/invite/")[1] ?? "",
        proof: fresh.searchParams.get("proof") ?? "",
        email,
      }),
    ).toBe(true);
  });

  it("changes nothing for a plain sign-up", async () => {
    const email = newEmail("plain");
    const user = await signUpFrom({ email });
    expect(user.emailVerified).toBe(false);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row?.emailVerified).toBeNull();
    expect(verificationMails(email)).toBe(1);
  });
});
