import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { packageRoot } from '../package-root';
import { send, sendText } from './respond';

/** The console's own files (`src/admin/assets/`) and their types: nothing else is served. */
const assetTypes: Record<string, string> = {
  'admin.css': 'text/css; charset=utf-8',
  'previews.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'admin.js': 'text/javascript; charset=utf-8',
};

const loaded = new Map<string, Buffer>();

/** Serve `/admin/assets/<name>` from the console's folder (read once), or 404 for any other name. */
export function serveAsset(response: ServerResponse, name: string): void {
  const type = assetTypes[name];
  if (!type) {
    sendText(response, 404, 'not found');
    return;
  }
  let body = loaded.get(name);
  if (!body) {
    body = readFileSync(join(packageRoot(), 'src', 'admin', 'assets', name));
    loaded.set(name, body);
  }
  send(response, 200, type, body, { 'cache-control': 'public, max-age=300' });
}
