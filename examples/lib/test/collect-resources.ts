import * as pulumi from '@pulumi/pulumi';

/** One resource a program registered, as the engine would see it. */
export interface CollectedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  provider?: string;
  protect: boolean;
  dependencies: string[];
  /**
   * The inputs in the engine's wire form, as a policy pack receives them: an unknown value
   * (preview) is the unknown sentinel string, a secret is `{<sig>: <secret sig>, value}`.
   */
  inputs: Record<string, unknown>;
}

export interface CollectOptions {
  project: string;
  stack: string;
  organization?: string;
  /** Run as a preview: ids of new resources, and what depends on them, are unknown. */
  preview?: boolean;
  /** Stack config, keys as `namespace:key`, values as the CLI passes them (strings). */
  config?: Record<string, string>;
  secretConfigKeys?: string[];
  /** Results of provider functions (invokes), by token; an invoke not listed fails the run. */
  invokes?:
    Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> | undefined;
}

export interface Collected<M> {
  resources: CollectedResource[];
  /** The program module (its exports). */
  program: M;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, response?: { getUrn(): string }) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

function mocksFor(options: CollectOptions): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      const id = options.preview ? undefined : `${args.name}-id`;
      return {
        id,
        state: { ...args.inputs, ...(id ? { arn: `arn:aws:mock:::${args.name}` } : {}) },
      };
    },
    call(args) {
      const invoke = options.invokes?.[args.token];
      if (!invoke) throw new Error(`the program called ${args.token}, which the test did not stub`);
      return invoke(args.inputs as Record<string, unknown>);
    },
  };
}

/**
 * Runs a Pulumi program under Pulumi's mocks and returns the resources it registered.
 * `load` must import the program afresh (call `vi.resetModules()` before, or use a query
 * string), because the program registers its resources when its module is evaluated.
 */
export async function collectResources<M>(
  load: () => Promise<M>,
  options: CollectOptions,
): Promise<Collected<M>> {
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretConfigKeys);
  await pulumi.runtime.setMocks(
    mocksFor(options),
    options.project,
    options.stack,
    options.preview ?? false,
    options.organization ?? 'organization',
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  const resources: CollectedResource[] = [];
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const parent = req.getParent();
        const provider = req.getProvider();
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          ...(parent ? { parent } : {}),
          ...(provider ? { provider } : {}),
          protect: req.getProtect(),
          dependencies: req.getDependenciesList(),
          // The request already carries the wire form: the engine passes it on unchanged.
          inputs: req.getObject()?.toJavaScript() ?? {},
        });
      }
      callback(err, response);
    });
  const program = await load();
  await pulumi.runtime.disconnect();
  return { resources, program };
}

/** The one collected resource of this type (and name, when given); throws otherwise. */
export function resourceOf(
  resources: CollectedResource[],
  type: string,
  name?: string,
): CollectedResource {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0] as CollectedResource;
}
