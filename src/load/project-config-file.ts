/**
 * The name of the project settings file (src/load/project-config.ts reads it), apart from its YAML
 * parser: every run looks for the file, few have one, and repo-check reads no other YAML.
 */
export const PROJECT_CONFIG_FILE = '.redproof.yaml';
