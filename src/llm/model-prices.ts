/** The price of one model: US dollars per million tokens sent and received. */
export interface ModelPrice {
  /** Dollars per million input tokens. */
  inputPerMillion: number;
  /** Dollars per million output tokens. */
  outputPerMillion: number;
}

/** Prices by model id or a part of one (`anthropic.claude-sonnet-4` matches `us.anthropic.claude-sonnet-4-…`). */
export type ModelPriceTable = Record<string, ModelPrice>;

/**
 * Bedrock's on-demand list prices in us-east-1 for the common models (USD per million tokens). An estimate:
 * regions, cross-region profiles, batch and cached input differ; `MODEL_PRICES` sets your own.
 */
export const defaultModelPrices: ModelPriceTable = {
  'anthropic.claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75 },
  'anthropic.claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
  'anthropic.claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-3-5-sonnet': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic.claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4 },
  'anthropic.claude-3-haiku': { inputPerMillion: 0.25, outputPerMillion: 1.25 },
  'amazon.nova-premier': { inputPerMillion: 2.5, outputPerMillion: 12.5 },
  'amazon.nova-pro': { inputPerMillion: 0.8, outputPerMillion: 3.2 },
  'amazon.nova-lite': { inputPerMillion: 0.06, outputPerMillion: 0.24 },
  'amazon.nova-micro': { inputPerMillion: 0.035, outputPerMillion: 0.14 },
  'meta.llama3-3-70b': { inputPerMillion: 0.72, outputPerMillion: 0.72 },
  'meta.llama3-1-8b': { inputPerMillion: 0.22, outputPerMillion: 0.22 },
  'mistral.mistral-large': { inputPerMillion: 2, outputPerMillion: 6 },
  'deepseek.r1': { inputPerMillion: 1.35, outputPerMillion: 5.4 },
};

/** How `MODEL_PRICES` is written, for messages: `model=input/output` pairs, comma-separated. */
export const modelPricesExample = 'MODEL_PRICES=qwen-plus=0.4/1.2,deepseek-chat=0.27/1.1';

/** Read `model=input/output,…` (USD per million tokens); a problem names the entry that is wrong. */
export function parseModelPrices(
  text: string,
): { ok: true; prices: ModelPriceTable } | { ok: false; problem: string } {
  const prices: ModelPriceTable = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) return { ok: false, problem: entry };
    prices[match[1]] = { inputPerMillion: Number(match[2]), outputPerMillion: Number(match[3]) };
  }
  return { ok: true, prices };
}

/** The longest key of a table that the model id contains. */
function longestMatch(table: ModelPriceTable, model: string): ModelPrice | undefined {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.includes(key) && (!best || key.length > best.length)) best = key;
  }
  return best ? table[best] : undefined;
}

/** The price of a model: the configured table first, then the Bedrock defaults; undefined when neither knows it. */
export function priceOf(model: string, configured: ModelPriceTable): ModelPrice | undefined {
  return longestMatch(configured, model) ?? longestMatch(defaultModelPrices, model);
}

/** The cost in dollars of tokens at a price. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
