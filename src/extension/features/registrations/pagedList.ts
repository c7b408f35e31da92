import { l10n } from 'vscode';
import type { GraphClient } from '../../../core/graphClient';
import type { GraphRequest } from '../../../core/operationRequest';
import { GraphReadFailure } from '../presentFailure';

type Item = Record<string, unknown>;

/**
 * A Graph collection read one page at a time, when asked: `execute` on the first request, then on each
 * `@odata.nextLink`. One page is fetched at a time, however often it is asked for.
 */
export class PagedList {
  readonly items: Item[] = [];
  private next: GraphRequest | undefined;
  private started = false;
  private loading: Promise<void> | undefined;

  /** `what` names the collection in a failure ("the app registrations"). */
  constructor(
    private readonly client: GraphClient,
    private readonly first: GraphRequest,
    private readonly what: string,
  ) {}

  /** Whether a first page was read. */
  get loaded(): boolean {
    return this.started;
  }

  /** Whether there is a page still to read. */
  get hasMore(): boolean {
    return !this.started || this.next !== undefined;
  }

  /** Reads the next page; rejects with a GraphReadFailure (or the sign-in's failure) when it cannot. */
  loadNext(): Promise<void> {
    return (this.loading ??= this.read().finally(() => {
      this.loading = undefined;
    }));
  }

  private async read(): Promise<void> {
    if (!this.hasMore) return;
    const request = this.started ? this.next! : this.first;
    const exchange = await this.client.execute(request);
    if (exchange.outcome !== 'succeeded') {
      const reason = exchange.error?.message ?? exchange.reason ?? l10n.t('the list could not be read');
      throw new GraphReadFailure(l10n.t('Could not list {0}: {1}', this.what, reason), exchange);
    }
    const body = exchange.json as { value?: unknown; '@odata.nextLink'?: unknown } | undefined;
    this.items.push(...(Array.isArray(body?.value) ? body.value.filter((v): v is Item => typeof v === 'object' && v !== null) : []));
    const link = typeof body?.['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
    // A link back to the page just read would never end.
    this.next = link && link !== request.url ? { method: 'GET', url: link, headers: request.headers } : undefined;
    this.started = true;
  }
}
