/**
 * The content security policy both shells serve the renderer with: our own scripts and styles only, no
 * inline code, no eval, no plugins, no framing, and network access only back to the host.
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The same policy for the page's own `<meta http-equiv>` tag, so it holds wherever the HTML is opened, even
 * without our header. `frame-ancestors` cannot be set from a meta tag (browsers ignore it there); the header
 * keeps it.
 */
export function metaContentSecurityPolicy(): string {
  return contentSecurityPolicy()
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
}
