import { type SchemaValidator, schemaValidator } from '../../load/schema-validators.js';

/** The compiled validator of schema/policy-v1.schema.json (generated at build time, see schema-validators.ts). */
export function policyValidator(): SchemaValidator {
  return schemaValidator('policy-v1');
}
