/**
 * `user:password@` in any URL of a text becomes `***@`, so a tracking URI (or a URL a server quotes back) is
 * never shown with its credentials, even when the rest of it is malformed.
 * @example stripUrlCredentials('bad uri http://ci:hunter2@mlflow:5000 x') // => 'bad uri http://***@mlflow:5000 x'
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/@]+@/g, '$1***@');
}

/**
 * A URL meant to be a server's root, shown safely: everything before its last `@` is credentials (a password with
 * an unencoded `/` or `#` still counts), so only the scheme and what follows the last `@` are kept.
 * @example showServerUrl('http://ci:pa/ss@mlflow:5000') // => 'http://***@mlflow:5000'
 */
export function showServerUrl(url: string): string {
  const at = url.lastIndexOf('@');
  if (at === -1) return url;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  return `${scheme}***@${url.slice(at + 1)}`;
}

/** Every occurrence of each secret (longest first, so a secret inside another is not left half cut) becomes ***. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') result = result.split(secret).join('***');
  }
  return result;
}
