import { Resolver } from "node:dns/promises";
import { ssoDnsServers } from "@/lib/env";

const DNS_TIMEOUT_MS = 4000;

export type TxtLookup = { ok: true; records: string[] } | { ok: false; error: string };

/**
 * The TXT records at `name`, each record's strings joined (RFC 7208 style). A fresh resolver per
 * lookup: no answer is reused from an earlier check, and SSO_DNS_SERVERS applies as configured.
 */
export async function resolveTxt(name: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 2 });
  const servers = ssoDnsServers();
  if (servers) resolver.setServers(servers);
  try {
    const records = await resolver.resolveTxt(name);
    return { ok: true, records: records.map((chunks) => chunks.join("")) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "ENODATA") {
      return { ok: false, error: `No TXT record found at ${name}.` };
    }
    if (code === "ETIMEOUT" || code === "ECONNREFUSED") {
      return { ok: false, error: `The DNS lookup of ${name} timed out; try again later.` };
    }
    return { ok: false, error: `The DNS lookup of ${name} failed (${code ?? "unknown error"}).` };
  }
}
