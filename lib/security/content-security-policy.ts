export type CspOptions = {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. */
  development: boolean;
  /** SSO_ALLOW_INSECURE_ISSUER: a local http:// identity provider may receive the sign-in redirect. */
  insecureIdp: boolean;
};

/**
 * The page's Content-Security-Policy. Scripts run only with this request's nonce (Next puts it on
 * its own scripts; 'strict-dynamic' lets those load their chunks). Styles allow 'unsafe-inline':
 * Radix positions popovers, next-themes sets color-scheme, sonner and mermaid's SVGs carry style
 * attributes, and a nonce cannot cover style attributes; CSS cannot run script.
 * form-action allows https: because a form submitted before hydration (Continue with SSO /
 * GitHub / Google) is a real POST whose 303 goes to the identity provider, and Chromium applies
 * form-action to that redirect; the organizations' issuers are in the database, not known here.
 */
export function contentSecurityPolicy({ nonce, development, insecureIdp }: CspOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https:", ...(insecureIdp ? ["http:"] : [])],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export const HSTS = "max-age=63072000; includeSubDomains";
