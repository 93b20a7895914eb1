import type { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import {
  analyzeRequest,
  analyzerResource,
  configureRequest,
  resourceUrn,
  stackConfigureRequest,
} from './analyzer-messages.js';
import { readAnalyzerInfo, readDiagnostics } from './analyzer-results.js';
import { packEnvironment } from './pack-env.js';
import { spawnPack } from './pack-process.js';
import { reconcilePolicyConfig } from './policy-config.js';
import { loadProtocol } from './protocol.js';
import type { AnalyzerInfo, Diagnostic, EngineResource, PolicyConfig, StackRef } from './types.js';
import { unaryCall } from './unary-call.js';

/** How to start a pack, as `pulumi preview|up --policy-pack <packDir>` would. */
export interface StartPackOptions {
  packDir: string;
  stack: StackRef;
  /** `true` for preview, `false` for update. */
  dryRun: boolean;
  /** Extra environment variables for the pack process (on top of this process's environment). */
  env?: Record<string, string> | undefined;
  /** Stack config (`<project>:<key>` → value). */
  config?: Record<string, string>;
  /** Stack tags, sent with `ConfigureStack`. */
  tags?: Record<string, string>;
  /** Maximum time from spawn to the port line. Default 60 s. */
  startTimeoutMs?: number | undefined;
  /** Deadline of each gRPC call. Default 60 s. */
  callTimeoutMs?: number;
}

/** A running pack, driven through the analyzer protocol. */
export interface PackHandle {
  pid: number;
  port: number;
  /** Milliseconds from spawn to the port line. */
  coldStartMs: number;
  configureStack(): Promise<void>;
  /** `GetPluginInfo`, the engine's first call to a started pack. */
  getPluginInfo(): Promise<void>;
  getAnalyzerInfo(): Promise<AnalyzerInfo>;
  /** Sends `Configure` with the given config reconciled with the pack's defaults, as the engine does. */
  configure(policyConfig: PolicyConfig): Promise<void>;
  /** Sends `Remediate`, which the engine calls before every `Analyze`. */
  remediate(resource: EngineResource): Promise<void>;
  /** Sends `Analyze` with the resource's inputs; returns its diagnostics. */
  analyze(resource: EngineResource): Promise<Diagnostic[]>;
  /** Sends `AnalyzeStack` with every resource's outputs; returns its diagnostics. */
  analyzeStack(resources: EngineResource[]): Promise<Diagnostic[]>;
  /** The pack's recent stderr output. */
  stderr(): string;
  /** Closes the connection and stops the process; resolves once it has exited. */
  close(): Promise<void>;
}

/** Starts a policy pack the way the engine does and connects to it. */
export async function startPack(options: StartPackOptions): Promise<PackHandle> {
  const protocol = loadProtocol(options.packDir);
  const env = packEnvironment({ ...options, base: process.env });
  const pack = await spawnPack({
    runPolicyPackPath: protocol.runPolicyPackPath,
    packDir: options.packDir,
    env,
    startTimeoutMs: options.startTimeoutMs,
  });
  const client: AnalyzerClient = new protocol.AnalyzerClient(
    `127.0.0.1:${pack.port}`,
    protocol.grpc.credentials.createInsecure(),
    {
      'grpc.max_receive_message_length': 400 * 1024 * 1024,
      'grpc.max_send_message_length': 400 * 1024 * 1024,
    },
  );
  const timeoutMs = options.callTimeoutMs ?? 60_000;
  const call = <Req, Res>(method: Parameters<typeof unaryCall<Req, Res>>[0], request: Req) =>
    unaryCall(method.bind(client), request, new protocol.grpc.Metadata(), timeoutMs);
  let info: AnalyzerInfo | undefined;
  let closed: Promise<void> | undefined;

  const getAnalyzerInfo = async () => {
    info = readAnalyzerInfo(await call(client.getAnalyzerInfo, new protocol.Empty()));
    return info;
  };

  return {
    pid: pack.pid,
    port: pack.port,
    coldStartMs: pack.coldStartMs,
    stderr: pack.stderr,
    configureStack: async () => {
      const request = stackConfigureRequest(
        protocol,
        options.stack,
        options.dryRun,
        options.config ?? {},
        options.tags ?? {},
      );
      await call(client.configureStack, request);
    },
    getPluginInfo: async () => {
      await call(client.getPluginInfo, new protocol.Empty());
    },
    getAnalyzerInfo,
    configure: async (policyConfig) => {
      const reconciled = reconcilePolicyConfig(info ?? (await getAnalyzerInfo()), policyConfig);
      await call(client.configure, configureRequest(protocol, reconciled));
    },
    remediate: async (resource) => {
      await call(client.remediate, analyzeRequest(protocol, options.stack, resource));
    },
    analyze: async (resource) => {
      const response = await call(
        client.analyze,
        analyzeRequest(protocol, options.stack, resource),
      );
      return readDiagnostics(response, resourceUrn(options.stack, resource));
    },
    analyzeStack: async (resources) => {
      const request = new protocol.analyzer.AnalyzeStackRequest().setResourcesList(
        resources.map((r) => analyzerResource(protocol, options.stack, r)),
      );
      return readDiagnostics(await call(client.analyzeStack, request), '');
    },
    close: () => {
      closed ??= (async () => {
        client.close();
        await pack.stop();
      })();
      return closed;
    },
  };
}
