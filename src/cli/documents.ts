import type { UpdatePlan } from '../engine/update/plan.js';
import { UsageError } from '../load/errors.js';
import type { CheckResult } from '../model/finding.js';
import type { FailOn } from '../policy/exit-code.js';
import type { LockChanges } from '../reporters/html/index.js';
import { clip } from '../util/clip.js';

/** `--html FILE`, `--cyclonedx FILE`, `--spdx FILE`. */
export interface DocumentRequest {
  kind: 'html' | 'cyclonedx' | 'spdx';
  file: string;
}

/** What only some commands pass to the HTML report. */
export interface DocumentExtras {
  plan?: UpdatePlan;
  lockChanges?: LockChanges;
}

/** SOURCE_DATE_EPOCH as seconds, or undefined when unset; anything but a whole number is a usage error. */
export function sourceDateEpoch(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,12}$/.test(raw)) {
    throw new UsageError(
      `SOURCE_DATE_EPOCH \`${clip(raw)}\`: expected a whole number of seconds since 1970-01-01`,
    );
  }
  return Number(raw);
}

/** Renders one audit document; each writer is imported only when asked for. */
export async function renderDocument(
  kind: DocumentRequest['kind'],
  result: CheckResult,
  options: DocumentExtras & {
    sources: ReadonlyMap<string, string>;
    ruleDocs: ReadonlyMap<string, string>;
    failOn: FailOn;
  },
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const epoch = sourceDateEpoch(env);
  switch (kind) {
    case 'html': {
      const { htmlReporter } = await import('../reporters/html/index.js');
      return htmlReporter(result, {
        ...options,
        ...(epoch !== undefined && { generated: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z') }),
      });
    }
    case 'cyclonedx': {
      const { cyclonedxReporter } = await import('../reporters/sbom/cyclonedx.js');
      return cyclonedxReporter(result, epoch === undefined ? {} : { sourceDateEpoch: epoch });
    }
    case 'spdx': {
      const { spdxReporter } = await import('../reporters/sbom/spdx.js');
      return spdxReporter(result, epoch === undefined ? {} : { sourceDateEpoch: epoch });
    }
  }
}
