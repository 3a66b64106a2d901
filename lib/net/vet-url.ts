import type { LookupAddress } from "node:dns";
import dns from "node:dns";
import { isIP } from "node:net";
import { env } from "@/lib/env";
import { type AddressClass, classifyAddress } from "./classify-address";

/** The one message a user sees whatever went wrong: it must not tell closed from open ports. */
export const UNREACHABLE_MESSAGE = "The address could not be reached or is not allowed.";

/** Thrown by the guard; its message is safe to show, the reason is for the server log only. */
export class UnreachableUrlError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(UNREACHABLE_MESSAGE);
    this.name = "UnreachableUrlError";
    this.reason = reason;
  }
}

export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

export type UrlPolicy = {
  /** Allow http:// as well as https:// (default false). */
  allowHttp?: boolean;
  /** Allow loopback and private LAN addresses (default: the ALLOW_PRIVATE_NETWORK_URLS setting). */
  allowPrivate?: boolean;
  /** Resolves a host name to every address (default: the system resolver). Tests inject one. */
  lookup?: LookupFn;
  /** Classifies an address for the given redirect hop (0 = the first request). Tests inject one. */
  classify?: (address: string, hop: number) => AddressClass;
};

export type VettedUrl = { url: URL; addresses: LookupAddress[]; allPublic: boolean };

// getaddrinfo has no timeout of its own; a resolver that never answers must not hold a request.
const LOOKUP_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

const systemLookup: LookupFn = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Why a URL may not be fetched before any address is looked at: a message for the user, or null. */
export function urlShapeProblem(url: URL, allowHttp: boolean): string | null {
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    return allowHttp
      ? "The address must start with https:// or http://."
      : "The address must start with https://.";
  }
  if (url.username || url.password) return "The address must not contain a user name or password.";
  return null;
}

/**
 * Resolves the URL's host and checks EVERY address it resolves to, so a name with one public and
 * one internal address is refused. The caller connects only to the returned addresses (no second
 * lookup a rebinding DNS server could answer differently).
 */
export async function vetUrl(url: URL, policy: UrlPolicy = {}, hop = 0): Promise<VettedUrl> {
  const problem = urlShapeProblem(url, policy.allowHttp ?? false);
  if (problem) throw new UnreachableUrlError(`${problem} (${url.protocol})`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await withTimeout((policy.lookup ?? systemLookup)(host), LOOKUP_TIMEOUT_MS);
    } catch (error) {
      throw new UnreachableUrlError(`lookup of ${host} failed: ${(error as Error).message}`);
    }
  }
  if (addresses.length === 0) throw new UnreachableUrlError(`${host} has no address`);
  const allowPrivate = policy.allowPrivate ?? env().ALLOW_PRIVATE_NETWORK_URLS;
  const classify = policy.classify ?? classifyAddress;
  let allPublic = true;
  for (const { address } of addresses) {
    const kind = classify(address, hop);
    if (kind === "blocked" || (kind === "private" && !allowPrivate)) {
      throw new UnreachableUrlError(`${host} resolves to ${kind} address ${address}`);
    }
    if (kind !== "public") allPublic = false;
  }
  return { url, addresses, allPublic };
}
