import vscode = require('vscode');
import { LazyTreeView, type TreeImplementation } from './lazyTreeView';

export const registrationsViewId = 'intuneMao.registrations';
/** The context key the view's welcome content is chosen by. */
export const registrationsStateKey = 'intuneMao.registrations.state';
export const registrationsFilteredKey = 'intuneMao.registrations.filtered';

/**
 * What the Registrations view shows instead of items (its welcome content), or `loaded` when it shows items:
 * signedOut, empty (signed in, no registrations), error, untrusted (Restricted Mode), setup (settings to fix).
 */
export type RegistrationsState = 'signedOut' | 'empty' | 'error' | 'untrusted' | 'setup' | 'loaded';

/** The tree's implementation (dist/features.js). */
export type RegistrationsTree = TreeImplementation;

/**
 * The Registrations view as the activation registers it (see LazyTreeView): a window that never shows it
 * loads nothing and asks nobody for a session.
 */
export class RegistrationsView extends LazyTreeView {
  private currentState: RegistrationsState | undefined;

  constructor(tree: () => RegistrationsTree) {
    super(registrationsViewId, tree);
  }

  /** What the welcome content shows now (undefined until the view was first filled). */
  get state(): RegistrationsState | undefined {
    return this.currentState;
  }

  async setState(state: RegistrationsState): Promise<void> {
    this.currentState = state;
    await vscode.commands.executeCommand('setContext', registrationsStateKey, state);
  }
}
