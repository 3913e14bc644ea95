// The sticky comment's key, in a module of its own: pr-comment checks its header input with it before it
// loads the renderer (start-up reads only what the inputs need).

const MAX_HEADER_LENGTH = 64;

/**
 * A header as it goes into the marker: letters, digits and `._:/@+-` (no `--`, so it cannot end the HTML
 * comment), at most 64 characters; empty -> `mlops`.
 *
 * @example stickyHeader('model A -->') // => 'model-A'
 */
export function stickyHeader(header: string | undefined): string {
  const clean = (header ?? '')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9._:/@+-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_HEADER_LENGTH)
    .replace(/-+$/, '');
  return clean === '' ? 'mlops' : clean;
}
