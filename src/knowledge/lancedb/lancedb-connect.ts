import * as lancedb from '@lancedb/lancedb';
import { DeskmateError } from '../../core/errors';

/** Where a LanceDB knowledge index lives and how often a process sees another's writes. */
export interface LanceDbLocation {
  /** A folder, or object storage (`s3://…`, `gs://…`, `az://…`). */
  uri: string;
  /** Object-storage options, passed through to LanceDB. */
  storageOptions?: Record<string, string>;
  /** Seconds after which a process sees what another wrote (shared replicas); 5 by default. */
  readConsistencySeconds?: number;
}

/** Connect to the index's LanceDB database; a failure is a configuration error naming the fix. */
export async function connectLanceDb(
  location: LanceDbLocation,
  access: 'read' | 'write',
): Promise<lancedb.Connection> {
  try {
    return await lancedb.connect(location.uri, {
      readConsistencyInterval: location.readConsistencySeconds ?? 5,
      ...(location.storageOptions ? { storageOptions: location.storageOptions } : {}),
    });
  } catch (error) {
    throw new DeskmateError(
      'not_configured',
      `the knowledge index at ${location.uri} could not be opened. Fix: check KNOWLEDGE_URI (or DATA_DIR) and that this process may ${access} there`,
      { cause: error },
    );
  }
}
