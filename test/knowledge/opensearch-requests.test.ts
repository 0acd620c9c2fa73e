import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSearchTextVersion } from '../../src/knowledge/opensearch/opensearch-documents';
import { createOpenSearchKnowledgeIndex } from '../../src/knowledge/opensearch/opensearch-knowledge-index';
import { createLogger } from '../../src/logger';

/** A request the stand-in received. */
interface Received {
  method: string;
  path: string;
  body: string;
}

/**
 * A loopback stand-in for the few OpenSearch endpoints a search touches (plugins, index exists, mapping,
 * _msearch), answering in OpenSearch's shapes, to check what the engine sends. It is not OpenSearch: the
 * contract suite runs against a real cluster when OPENSEARCH_URL is set.
 */
async function startStandIn(plugins: string[], vectorDimensions?: number) {
  const received: Received[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const path = request.url ?? '';
    received.push({ method: request.method ?? '', path, body });
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (path.startsWith('/_cat/plugins'))
      return json(
        200,
        plugins.map((component) => ({ component })),
      );
    if (request.method === 'HEAD') return json(200, {});
    if (path.endsWith('/_mapping')) {
      return json(200, {
        'kb-chunks': {
          mappings: {
            _meta: {
              search_text_version: openSearchTextVersion,
              ...(vectorDimensions ? { embedding_model: 'test' } : {}),
            },
            properties: vectorDimensions
              ? { vector: { type: 'knn_vector', dimension: vectorDimensions } }
              : {},
          },
        },
      });
    }
    if (path.startsWith('/_msearch')) {
      const searches = body.trim().split('\n').length / 2;
      return json(200, {
        took: 1,
        responses: Array.from({ length: searches }, () => ({ hits: { hits: [] } })),
      });
    }
    return json(404, { error: 'not in the stand-in' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('OpenSearch engine requests (a stand-in, not a cluster)', () => {
  test('BM25 and k-NN go in one _msearch, each with the asker’s principals inside the query', async () => {
    const standIn = await startStandIn([], 3);
    const index = await createOpenSearchKnowledgeIndex({
      url: standIn.url,
      indexPrefix: 'kb',
      embeddingModel: 'test',
      logger: createLogger({ level: 'silent' }),
    });
    await index.search({
      text: '年假',
      vector: [1, 0, 0],
      principals: ['everyone', 'user:slack:T1:U1'],
      limit: 5,
    });
    const msearch = standIn.received.filter((request) => request.path.startsWith('/_msearch'));
    expect(msearch).toHaveLength(1);
    const lines = msearch[0].body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const access = { terms: { access: ['everyone', 'user:slack:T1:U1'] } };
    expect(lines[0]).toEqual({ index: 'kb-chunks' });
    // The title and heading path are searched with the text (search_text).
    expect(lines[1].query).toEqual({
      bool: { must: [{ match: { search_text: '年假' } }], filter: [access] },
    });
    expect(lines[3].query).toEqual({ knn: { vector: { vector: [1, 0, 0], k: 40, filter: access } } });
    await index.close();
    await standIn.stop();
  });

  test('no principals: nothing is asked at all', async () => {
    const standIn = await startStandIn(['analysis-smartcn']);
    const index = await createOpenSearchKnowledgeIndex({
      url: standIn.url,
      indexPrefix: 'kb',
      logger: createLogger({ level: 'silent' }),
    });
    expect(await index.search({ text: '年假', principals: [], limit: 5 })).toEqual([]);
    expect(standIn.received.some((request) => request.path.startsWith('/_msearch'))).toBe(false);
    await index.close();
    await standIn.stop();
  });
});
