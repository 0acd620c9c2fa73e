import { defaultModelPrices, priceOf } from '../llm/model-prices';
import { usageDay } from '../llm/usage-recorder';
import type { AdminServices, SignedInRequest } from './admin-context';
import { usageCsv } from './csv';
import type { SafeHtml } from './html';
import { type PageName, page } from './layout';
import { readOverview } from './overview-data';
import { overviewPage } from './pages/overview-page';
import { settingsPage } from './pages/settings-page';
import { type PriceInUse, usagePage } from './pages/usage-page';
import { send, sendPage } from './respond';
import { readBudgets, type UsageDimension, usageDimensions } from './usage-data';

/** Days the usage page covers. */
export const usageDays = 30;

/** Send a signed-in page in the shared frame. */
export function sendSignedInPage(
  services: AdminServices,
  context: SignedInRequest,
  active: PageName | undefined,
  title: string,
  body: SafeHtml,
  status = 200,
  refreshSeconds?: number,
): void {
  const frame = {
    words: context.words,
    title,
    body,
    active,
    csrfToken: context.csrfToken,
    version: services.options.version,
    refreshSeconds,
  };
  sendPage(context.response, status, page(frame));
}

/** `GET /admin`: the overview, reloaded every 30 s by the page's script. */
export async function overview(services: AdminServices, context: SignedInRequest): Promise<void> {
  const { options } = services;
  const data = await readOverview(
    {
      store: options.store,
      audit: services.audit,
      queueDepth: options.queueDepth,
      adapters: options.adapters,
      redis: Boolean(options.config.redisUrl),
      llm: options.config.llm,
    },
    new Date(),
  );
  sendSignedInPage(
    services,
    context,
    'overview',
    context.words.overview.title,
    overviewPage(data, context.words),
    200,
    30,
  );
}

/** The price of every model seen, and where it comes from. */
function pricesInUse(services: AdminServices, models: string[]): PriceInUse[] {
  const configured = services.options.config.modelPrices;
  return models.sort().map((model) => {
    const price = priceOf(model, configured);
    const fromConfig = Object.keys(configured).some((key) => model.includes(key));
    const fromDefaults = Object.keys(defaultModelPrices).some((key) => model.includes(key));
    return {
      model,
      price,
      source: fromConfig ? 'configured' : fromDefaults && price ? 'default' : 'unknown',
    };
  });
}

/** `GET /admin/usage?by=…`: the last 30 days by workspace, user, skill or model, budgets and prices. */
export async function usage(services: AdminServices, context: SignedInRequest): Promise<void> {
  const { config, store } = services.options;
  const asked = context.query.get('by') as UsageDimension | null;
  const dimension = asked && usageDimensions.includes(asked) ? asked : 'workspace';
  const report = await services.usage.read(usageDays);
  const now = new Date();
  const month = usageDay(now).slice(0, 7);
  const monthCost = new Map<string, number>();
  for (const row of report.rows) {
    if (row.dimension === 'workspace' && row.day.startsWith(month)) {
      monthCost.set(row.key, (monthCost.get(row.key) ?? 0) + row.cost);
    }
  }
  const budget = config.limits.dailyWorkspaceTokens;
  const budgets = budget > 0 ? await readBudgets(store, report.workspaces, budget, now) : undefined;
  const models = [...new Set(report.rows.filter((row) => row.dimension === 'model').map((row) => row.key))];
  const body = usagePage(
    { report, dimension, budgets, monthCost, prices: pricesInUse(services, models) },
    context.words,
  );
  sendSignedInPage(services, context, 'usage', context.words.usage.title, body);
}

/** `GET /admin/usage.csv`: every day and breakdown of the last 30 days as CSV. */
export async function usageCsvDownload(services: AdminServices, context: SignedInRequest): Promise<void> {
  const report = await services.usage.read(usageDays);
  send(context.response, 200, 'text/csv; charset=utf-8', usageCsv(report.rows), {
    'content-disposition': `attachment; filename="deskmate-usage-${usageDay(new Date())}.csv"`,
  });
}

/** `GET /admin/settings`: the effective configuration, secrets masked. */
export function settings(services: AdminServices, context: SignedInRequest): void {
  const body = settingsPage(services.options.config, context.words, context.language);
  sendSignedInPage(services, context, 'settings', context.words.settings.title, body);
}
