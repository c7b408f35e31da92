import vscode = require('vscode');
import { LazyTreeView, type TreeImplementation } from './lazyTreeView';

export const runsViewId = 'intuneMao.runs';
/** The context key the view's welcome content (no run yet) is chosen by. */
export const runsEmptyKey = 'intuneMao.runs.empty';

/**
 * The Runs view as the activation registers it (see LazyTreeView): the runs are read from storage only when
 * it is first shown, or when a run is recorded.
 */
export class RunsView extends LazyTreeView {
  constructor(tree: () => TreeImplementation) {
    super(runsViewId, tree);
  }

  async setEmpty(empty: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', runsEmptyKey, empty);
  }
}
