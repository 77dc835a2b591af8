/**
 * The yaml library's parser and `toJS` recurse as the text nests: a hostile file can exhaust the call
 * stack (a 1.6 MB lockfile the fuzz campaign made, one block repeated 16,577 times after a broken
 * quote, threw `RangeError: Maximum call stack size exceeded` out of `parseDocument`). These wrappers
 * turn that into what the yaml library reports for any other unreadable input: a document whose only
 * error is `RESOURCE_EXHAUSTION` at the start of the file, so every caller's error path (with the file
 * and a position) handles it.
 */
import {
  type Document,
  type DocumentOptions,
  type ParseOptions,
  parseAllDocuments,
  parseDocument,
  type SchemaOptions,
  type ToJSOptions,
  YAMLParseError,
} from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** What the message says when the parser ran out of stack. */
export const YAML_TOO_DEEP =
  'the YAML parser ran out of stack on this file: it nests too deeply, or repeats a block thousands of times';

/** True for the RangeError V8 throws when the call stack is exhausted. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

function tooDeep(text: string, options: Options): Document.Parsed {
  // an empty document carrying one error, as parseDocument returns for bad input
  const doc = parseDocument('', options);
  doc.errors.push(new YAMLParseError([0, Math.min(1, text.length)], 'RESOURCE_EXHAUSTION', YAML_TOO_DEEP));
  return doc;
}

/** `parseDocument`, with a stack overflow reported as the document's error. */
export function parseDocumentGuarded(text: string, options: Options = {}): Document.Parsed {
  try {
    return parseDocument(text, options);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    return tooDeep(text, options);
  }
}

/** `parseAllDocuments`, with a stack overflow reported as the error of one document. */
export function parseAllDocumentsGuarded(text: string, options: Options = {}): Document.Parsed[] {
  try {
    return parseAllDocuments(text, options) as Document.Parsed[];
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    return [tooDeep(text, options)];
  }
}

/** `doc.toJS(options)`; a stack overflow throws an Error saying so (callers report it with the file). */
export function toJsGuarded(doc: Document, options?: ToJSOptions): unknown {
  try {
    return doc.toJS(options);
  } catch (err) {
    if (isStackOverflow(err)) throw new Error(YAML_TOO_DEEP);
    throw err;
  }
}
