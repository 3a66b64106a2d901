import { z } from "zod";
import { ROLES } from "@/db/schema";
import { isPublicEmailDomain, isValidDomain, normalizeDomain } from "./domains";

const MAX_SSO_DOMAINS = 20;

// Forms send checkboxes as "on"/"true"; JSON sends booleans.
const booleanish = z
  .union([z.boolean(), z.enum(["true", "false", "on", "off", "1", "0"])], {
    error: "Must be true or false.",
  })
  .transform((v) => v === true || v === "true" || v === "on" || v === "1");

const domainList = z
  .union([z.string(), z.array(z.string({ error: "Each domain must be text." }))], {
    error: "List the email domains this connection owns.",
  })
  .transform((value) => {
    const items = Array.isArray(value) ? value : value.split(/[\s,;]+/);
    return [...new Set(items.map(normalizeDomain).filter(Boolean))];
  })
  .superRefine((domains, ctx) => {
    if (domains.length === 0) ctx.addIssue({ code: "custom", message: "Add at least one email domain." });
    if (domains.length > MAX_SSO_DOMAINS)
      ctx.addIssue({ code: "custom", message: `At most ${MAX_SSO_DOMAINS} domains.` });
    for (const domain of domains) {
      if (!isValidDomain(domain)) {
        ctx.addIssue({ code: "custom", message: `"${domain}" is not a valid domain (like example.com).` });
      } else if (isPublicEmailDomain(domain)) {
        ctx.addIssue({
          code: "custom",
          message: `${domain} is a public email domain; use a domain your organization owns.`,
        });
      }
    }
  });

export const ssoConnectionInputSchema = z
  .object({
    /** Shown to the admin before the first save so the redirect URI can be registered first. */
    id: z.uuid({ error: "Invalid connection id." }).optional(),
    issuer: z
      .string({ error: "Enter the issuer URL." })
      .trim()
      .min(1, "Enter the issuer URL.")
      .max(500, "The issuer URL is too long.")
      .pipe(z.url({ error: "Enter a URL like https://login.example.com." })),
    clientId: z
      .string({ error: "Enter the client ID." })
      .trim()
      .min(1, "Enter the client ID.")
      .max(500, "The client ID is too long."),
    // Blank on update keeps the stored secret; required when creating (checked by the verb).
    clientSecret: z
      .string({ error: "The client secret must be text." })
      .trim()
      .max(2000, "The client secret is too long.")
      .optional()
      .transform((v) => (v ? v : undefined)),
    domains: domainList,
    enforced: booleanish.default(false),
    enabled: booleanish.default(true),
    defaultRole: z.enum(ROLES, { error: "Choose owner, admin, member or viewer." }).default("member"),
    jitEnabled: booleanish.default(true),
    jitReadmitRemoved: booleanish.default(false),
  })
  .superRefine((value, ctx) => {
    // Enforcing a disabled connection would lock its members out of every sign-in method.
    if (value.enforced && !value.enabled) {
      ctx.addIssue({
        code: "custom",
        path: ["enforced"],
        message: "Enable the connection before enforcing it.",
      });
    }
  });

export type SsoConnectionInput = z.infer<typeof ssoConnectionInputSchema>;

export const verifySsoDomainSchema = z.object({
  domain: z
    .string({ error: "Name the domain to verify." })
    .transform(normalizeDomain)
    .refine(isValidDomain, "Enter a domain like example.com."),
});

export type VerifySsoDomainInput = z.infer<typeof verifySsoDomainSchema>;

export const deleteSsoConnectionSchema = z.object({}).optional();
