import { apiToken, exampleRules, startE2eService, type E2eService } from '../e2e/e2e-service.js';
import {
  createPulumiProject,
  exampleDir,
  type PulumiProject,
  type PulumiResult,
} from './pulumi-project.js';

/**
 * An example under the real CLI, against the real service (the example's own rules), its program
 * prebuilt to JavaScript (the README walkthrough runs one as shipped).
 */
export interface RealExample {
  svc: E2eService;
  project: PulumiProject;
  /** `pulumi preview --policy-pack policy-pack` at the service's time, as carol. */
  preview(env?: Record<string, string>, args?: string[]): Promise<PulumiResult>;
  /** `pulumi up --yes --policy-pack policy-pack` at the service's time, as carol. */
  up(env?: Record<string, string>, args?: string[]): Promise<PulumiResult>;
  /** URNs in the stack's state. */
  urns(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startRealExample(
  example: string,
  options: { stack: string; config: Record<string, string>; rules?: unknown[] },
): Promise<RealExample> {
  const svc = await startE2eService(options.rules ?? (await exampleRules(example)));
  const project = await createPulumiProject({
    source: exampleDir(example),
    stack: options.stack,
    config: options.config,
    env: { CLEARANCE_URL: svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
    prebuilt: true,
  });
  const at = () => ({ now: svc.clock.now() });
  return {
    svc,
    project,
    preview: (env = {}, args = []) => project.preview(args, { ...at(), env }),
    up: (env = {}, args = []) => project.up(args, { ...at(), env }),
    urns: async () => (await project.resources()).map((r) => r.urn),
    close: async () => {
      await project.close();
      await svc.close();
    },
  };
}

/** The request ids in the console links of Pulumi's output. */
export function consoleLinks(output: string, consoleUrl: string): string[] {
  const escaped = consoleUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    ...new Set(
      [...output.matchAll(new RegExp(`${escaped}/requests/([\\w-]+)`, 'g'))].map(
        (m) => m[1] as string,
      ),
    ),
  ];
}

/** Pulumi's own report line for a mandatory violation of `policy`. */
export const mandatoryLine = (policy: string): RegExp =>
  new RegExp(`\\[mandatory\\]\\s+${policy}\\s`);
