// @ts-check
// A fresh copy of the integration tests' fixture workspace in out/test-workspace, for the "Extension Tests"
// launch configuration (.vscode/launch.json): the tests write into the folder they open, so they get a copy.
import * as path from 'node:path';
import { REPO_ROOT } from './lib/repoRoot.mjs';
import { copyFixtureWorkspace } from './lib/testSuites.mjs';

const dir = copyFixtureWorkspace(path.join(REPO_ROOT, 'out', 'test-workspace'));
console.log(`test workspace: ${path.relative(process.cwd(), dir) || '.'}`);
