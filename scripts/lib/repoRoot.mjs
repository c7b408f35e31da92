// @ts-check
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (scripts/lib/../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
