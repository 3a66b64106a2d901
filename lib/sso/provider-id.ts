/** Auth.js provider ids for organization connections: `sso-<connection uuid>`. */
const SSO_PROVIDER_PREFIX = "sso-";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const PROVIDER_ID = new RegExp(`^${SSO_PROVIDER_PREFIX}(${UUID})$`, "i");
const AUTH_PATH = new RegExp(`/(?:signin|callback)/${SSO_PROVIDER_PREFIX}(${UUID})/?$`, "i");

export function ssoProviderId(connectionId: string): string {
  return `${SSO_PROVIDER_PREFIX}${connectionId}`;
}

export function connectionIdFromProviderId(providerId: string | null | undefined): string | null {
  return providerId?.match(PROVIDER_ID)?.[1]?.toLowerCase() ?? null;
}

/** The connection named by `/api/auth/signin/sso-<id>` or `/api/auth/callback/sso-<id>`. */
export function connectionIdFromAuthPath(pathname: string | null | undefined): string | null {
  return pathname?.match(AUTH_PATH)?.[1]?.toLowerCase() ?? null;
}

/** The redirect URI an organization registers at its IdP. */
export function ssoRedirectUri(origin: string, connectionId: string): string {
  return `${origin.replace(/\/$/, "")}/api/auth/callback/${ssoProviderId(connectionId)}`;
}
