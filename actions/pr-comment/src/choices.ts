// The choice inputs' values, in a module of their own: main checks them before it loads the readers and the
// GitHub client (start-up reads only what the inputs need).

export const COMMENT_MODES = ['upsert', 'recreate', 'delete', 'hide-older'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export const IF_NO_REPORTS = ['error', 'warn', 'ignore'] as const;
export type IfNoReports = (typeof IF_NO_REPORTS)[number];
