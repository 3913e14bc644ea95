// The choice inputs' values, in a module of their own: main checks them before it loads the readers and the
// GitHub client (start-up reads only what the inputs need).

export const COMMENT_MODES = ['upsert', 'recreate', 'delete', 'hide-older'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/** What to do when no usable report is found (as upload-artifact's `if-no-files-found`). */
export const IF_NO_REPORTS = ['error', 'warn', 'ignore'] as const;
export type IfNoReports = (typeof IF_NO_REPORTS)[number];
