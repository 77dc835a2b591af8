/**
 * `.redproof.yaml`, the project settings file read beside the family manifest (or in the working
 * directory for an image): today one key, `policy`, the policy file used when `--policy` is not given.
 */
import { isMap, isScalar, LineCounter } from 'yaml';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { combineInputErrors, InputError } from './errors.js';
import { spanOfNode, spanOfRange, toErrorPosition, type YamlSource } from './manifest-yaml.js';
import { parseDocumentGuarded } from './yaml-guard.js';

export { PROJECT_CONFIG_FILE } from './project-config-file.js';

export interface ProjectConfig {
  /** The policy file, relative to the directory of `.redproof.yaml`. */
  policy?: string;
}

const KEYS = ['policy'];

/** Parses `.redproof.yaml`; unknown keys and a non-string `policy` are errors with positions. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const lines = new LineCounter();
  const doc = parseDocumentGuarded(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, doc, lines };
  const errors = doc.errors.map(
    (e) =>
      new InputError(
        'yaml-syntax',
        `invalid YAML: ${clip(e.message.split('\n')[0] ?? '', CLIP_TEXT_LENGTH)}`,
        toErrorPosition(spanOfRange(source, e.pos[0], Math.max(e.pos[0], e.pos[1]))),
      ),
  );
  const out: ProjectConfig = {};
  const root = doc.contents;
  if (errors.length === 0 && root !== null && !isMap(root)) {
    errors.push(new InputError('wrong-type', 'must be a mapping', toErrorPosition(spanOfNode(source, root))));
  }
  if (errors.length === 0 && isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const at = toErrorPosition(spanOfNode(source, (pair.key ?? root) as never));
      if (!KEYS.includes(key)) {
        errors.push(
          new InputError('unknown-key', `unknown key \`${clip(key)}\``, {
            ...at,
            expected: KEYS.map((k) => `\`${k}\``).join(', '),
          }),
        );
      } else if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || pair.value.value === '') {
        errors.push(new InputError('wrong-type', '`policy` must be the path of a policy file', at));
      } else out.policy = pair.value.value;
    }
  }
  if (errors.length > 0) throw combineInputErrors(errors);
  return out;
}
