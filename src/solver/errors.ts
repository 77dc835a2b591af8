/** Why the engine refused or failed. */
export type EngineErrorKind =
  | 'disposed' // a facade object was used after dispose()
  | 'abort' // the wasm module aborted; the instance is unusable and a new one is loaded next time
  | 'out-of-memory' // wasm memory could not grow
  | 'load' // the module could not be loaded or is of another version
  | 'input' // libsolv refused the data (pool_errstr is in the message)
  | 'semantics'; // the build cannot give rpm semantics

/** A failure of the libsolv engine or of data handed to it; the CLI maps it to exit code 3. */
export class EngineError extends Error {
  override name = 'EngineError';
  readonly kind: EngineErrorKind;
  /** The file being read when the error happened, when there is one. */
  readonly file: string | undefined;

  constructor(kind: EngineErrorKind, message: string, options?: { cause?: unknown; file?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.file = options?.file;
  }
}
