import { CONFIG_SCHEMA } from '../../load/redpak/schema.js';

/** Keys of the `config:` section of etc/redpak.yaml, taken from the red-pak schema the audit reads with. */
export const CONFIG_KEYS: readonly string[] = (() => {
  const top = CONFIG_SCHEMA.schema;
  const config = top.kind === 'map' ? top.fields.config?.schema : undefined;
  return config?.kind === 'map' ? Object.keys(config.fields) : [];
})();
