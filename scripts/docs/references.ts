/** The generated reference pages: where each lives in the repository and what writes it. */
import { apiReference } from './api-reference';
import { errorReference } from './error-reference';

export const REFERENCES: readonly { path: string; write: () => string }[] = [
  { path: 'docs/reference/api.md', write: apiReference },
  { path: 'docs/reference/errors.md', write: errorReference },
];
