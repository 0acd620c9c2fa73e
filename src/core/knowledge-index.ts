/**
 * The knowledge index port: the company's documents cut into chunks, searched by keyword (and by meaning when
 * an embedding model is configured), each chunk readable only by the principals its source names.
 *
 * Access is decided inside the query: a search names the principals the asker holds for the place the answer
 * goes, and an engine returns only chunks whose `access` shares one of them, before any top-k cut.
 */

/**
 * Who may read a source, as strings an engine can filter on:
 * - `everyone`: everyone allowed to use Deskmate, in any workspace (knowledge folder files without an
 *   `access.json`); an asker holds it wherever they hold their workspace's `everyone:…` (not in a channel
 *   with outsiders);
 * - `everyone:<platform>:<workspace>`: everyone allowed to use Deskmate in that workspace;
 * - `conversation:<platform>:<workspace>:<channel>`: the members of one conversation;
 * - `user:<platform>:<workspace>:<user>`: one person.
 * The console's principals use platform `console` and workspace `local`.
 */
export type KnowledgePrincipal = string;

/** The principal every asker holds: sources with it are open to everyone allowed to use Deskmate. */
export const everyonePrincipal: KnowledgePrincipal = 'everyone';

/** Where a knowledge source came from. */
export type KnowledgeOrigin = 'folder' | 'shared_file' | 'linked_document';

/** A document in the knowledge base, at one version. */
export interface KnowledgeSource {
  /** Stable id: the same file or document keeps its id across versions (folder: its path; shared: platform ids). */
  id: string;
  /** Hash of the content this version was made from: indexing the same version again changes nothing. */
  version: string;
  /** Where it came from. */
  origin: KnowledgeOrigin;
  /** What answers call it (a title or file name). */
  title: string;
  /** A link that opens it, when there is one (citations point to it). */
  link?: string;
  /** Who may read it; never empty. */
  access: KnowledgePrincipal[];
  /** Who added it (`kb add`), as a user principal; absent for folder files. */
  addedBy?: KnowledgePrincipal;
  /** When this version was indexed (ISO 8601). */
  indexedAt: string;
}

/** One chunk of a source: a section or a few hundred tokens of it, with its place. */
export interface KnowledgeChunk {
  /** Unique within the index: `<source id>#<ordinal>`. */
  id: string;
  /** The source it belongs to. */
  sourceId: string;
  /** The text, as extracted (Markdown for structured formats). */
  text: string;
  /** The heading path it sits under (empty at the top). */
  headingPath: string[];
  /** Its place as a citation label without brackets, in the source's terms: `p. 3`, `§ Budget › Q3`, `slide 4`. */
  place: string;
  /** `zh` or `en`, detected from the text. */
  language: 'zh' | 'en';
  /** The embedding of `text`, when an embedding model is configured. */
  vector?: number[];
}

/** A search of the index for one question. */
export interface KnowledgeQuery {
  /** The question as the person asked it (keyword search runs on it). */
  text: string;
  /** The question's embedding, when an embedding model is configured. */
  vector?: number[];
  /** The principals the asker holds for the place the answer goes; a chunk is returned only if its source shares one. */
  principals: KnowledgePrincipal[];
  /** Most chunks returned. */
  limit: number;
}

/** A chunk found by a search, with its source and its rank-fused score. */
export interface KnowledgeHit {
  /** The chunk. */
  chunk: KnowledgeChunk;
  /** Its source. */
  source: KnowledgeSource;
  /** Higher is better; comparable within one search only. */
  score: number;
}

/** What the index holds, for `kb status` and the web console. */
export interface KnowledgeStatus {
  /** The engine's name (`lancedb`, `opensearch`). */
  engine: string;
  /** Sources indexed. */
  sources: number;
  /** Chunks indexed. */
  chunks: number;
  /** Whether chunks carry embeddings (false: keyword search only). */
  vectors: boolean;
}

/** Where the knowledge base's chunks live and are searched; one engine per deployment. */
export interface KnowledgeIndex {
  /**
   * Put a source's chunks in place of any older version's. `unchanged` (nothing written) when this version
   * is already there with the same access, title and link; otherwise the old chunks are replaced.
   */
  upsert(source: KnowledgeSource, chunks: KnowledgeChunk[]): Promise<'indexed' | 'unchanged'>;
  /** Remove a source and its chunks; true when it was there. */
  remove(sourceId: string): Promise<boolean>;
  /** The chunks the query's principals may read, best first (keyword and vector results fused by rank). */
  search(query: KnowledgeQuery): Promise<KnowledgeHit[]>;
  /** The sources whose access shares one of `principals` (all sources when omitted), newest first. */
  sources(principals?: KnowledgePrincipal[]): Promise<KnowledgeSource[]>;
  /** Counts and capabilities. */
  status(): Promise<KnowledgeStatus>;
  /** Release files and connections. */
  close(): Promise<void>;
}
