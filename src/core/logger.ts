/** The structured logger everything writes to (pino's shape: object first, message second). */
export interface Logger {
  /** Detail for debugging. */
  debug(fields: object, message?: string): void;
  /** Normal operation. */
  info(fields: object, message?: string): void;
  /** Something went wrong but was handled. */
  warn(fields: object, message?: string): void;
  /** A failure. */
  error(fields: object, message?: string): void;
  /** A logger that adds these fields to every line. */
  child(fields: object): Logger;
}
