// The console's settings list the knowledge settings with their effective values, and never a key or a password.
import { settingsCatalog } from '../../src/admin/settings-catalog';
import { parseConfig } from '../../src/config';
import { environmentSchema } from '../../src/config-schema';

const shown = (environment: Record<string, string>) => {
  const result = parseConfig(environment);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return new Map(
    settingsCatalog.map((entry) => [
      entry.variable,
      { secret: entry.secret === true, value: entry.value(result.config) },
    ]),
  );
};

describe('the settings catalog', () => {
  test('knowledge settings: folder, engine, embeddings and reranking shown; the embeddings key only as set', () => {
    const settings = shown({
      KNOWLEDGE_DIR: '/srv/handbook',
      KNOWLEDGE_ENGINE: 'opensearch',
      OPENSEARCH_URL: 'https://deskmate:search-password@search.internal:9200',
      EMBEDDING_MODEL: 'bge-m3',
      EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
      EMBEDDING_API_KEY: 'embedding-secret-value',
      AWS_REGION: 'us-west-2',
      RERANK_MODEL: 'cohere.rerank-v3-5:0',
    });
    expect(settings.get('KNOWLEDGE_DIR')?.value).toBe('/srv/handbook');
    expect(settings.get('KNOWLEDGE_ENGINE')?.value).toBe('opensearch');
    expect(settings.get('EMBEDDING_MODEL')?.value).toBe('bge-m3');
    expect(settings.get('RERANK_MODEL')?.value).toBe('cohere.rerank-v3-5:0');
    // The page shows a secret entry as "set (hidden)", never its value; a URL's password is masked.
    expect(settings.get('EMBEDDING_API_KEY')).toEqual({ secret: true, value: 'embedding-secret-value' });
    expect(settings.get('OPENSEARCH_URL')?.value).toBe('https://deskmate:•••@search.internal:9200');
    const shownInClear = [...settings.values()]
      .filter((entry) => !entry.secret)
      .map((entry) => String(entry.value));
    expect(shownInClear.join('\n')).not.toMatch(/search-password|embedding-secret-value/);
  });

  test('every setting of the environment schema is listed once, so the Settings page cannot drift from it', () => {
    // LLM_MODEL_<SKILL> stands for a family of variables the schema reads by pattern.
    const listed = settingsCatalog.map((entry) => entry.variable).filter((name) => !name.includes('<'));
    expect([...listed].sort()).toEqual(Object.keys(environmentSchema.shape).sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('retention, data folder and document limits show their effective values (capped by RETENTION_DAYS)', () => {
    const settings = shown({
      DATA_DIR: '/srv/deskmate',
      RETENTION_DAYS: '20',
      MEMORY_RETENTION_HOURS: '12',
      DONE_TODO_RETENTION_DAYS: '60',
      AWS_DEFAULT_REGION: 'eu-west-1',
      EMBEDDING_MODEL: 'cohere.embed-multilingual-v3',
    });
    expect(settings.get('DATA_DIR')?.value).toBe('/srv/deskmate');
    expect(settings.get('RETENTION_DAYS')?.value).toBe(20);
    expect(settings.get('MEMORY_RETENTION_HOURS')?.value).toBe(12);
    // 60 days asked, but nothing is kept longer than RETENTION_DAYS: the page shows what happens.
    expect(settings.get('DONE_TODO_RETENTION_DAYS')?.value).toBe(20);
    expect(settings.get('SUMMARY_RETENTION_DAYS')?.value).toBe(7);
    expect(settings.get('DOCUMENT_MAX_BYTES')?.value).toBe(26214400);
    expect(settings.get('AWS_DEFAULT_REGION')?.value).toBe('eu-west-1');
    expect(settings.get('EMBEDDING_PROVIDER')?.value).toBe('bedrock');
    expect(shown({}).get('DATA_DIR')?.value).toBe('./data');
  });
});
