import type { OrgContext } from "@/lib/orgs/context";
import { getSsoConnection } from "@/lib/sso/get-connection";
import { verifySsoDomain } from "@/lib/sso/verify-domain";
import type { TestDnsServer } from "./dns-server";

/** What the admin does on the settings page: publish the shown TXT record, press Verify now. */
export async function publishAndVerify(dns: TestDnsServer, ctx: OrgContext, domain: string) {
  const record = (await getSsoConnection(ctx))?.domainRecords.find((d) => d.domain === domain);
  if (!record) throw new Error(`${domain} is not claimed by ${ctx.org.slug}`);
  dns.setTxt(record.recordName, record.recordValue);
  return verifySsoDomain(ctx, { domain });
}
